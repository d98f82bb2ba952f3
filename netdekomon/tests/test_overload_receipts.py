"""The receipt of a shed punch: it dates only the very form one login sent, at
the moment it first arrived, and nothing else (kit/receipts.py)."""

import time

import pytest
from django.core import signing
from django.test import Client

from attendance.forms import new_punch_token
from attendance.models import Punch
from kit import receipts
from netdekomon.tests.test_overload import LATE, behind_proxy, hidden_fields, shed_punch, waited  # noqa: F401
from tests.helpers import session_limited

REFUSED = "受付の記録を確認できませんでした"


def punch_page_after(client, response) -> str:
    return client.get(response["Location"]).content.decode()


def shed(client, employee, kind="in"):
    session_limited(client, employee)
    _token, response = shed_punch(client, kind=kind)
    assert response.status_code == 503
    return hidden_fields(response.content.decode())


def test_a_forged_receipt_is_refused(client, employee_b):
    session_limited(client, employee_b)
    forged = signing.dumps({"f": "x" * 32, "t": time.time() - 60}, salt="another purpose", compress=False)
    response = client.post("/attendance/", {"kind": "in", "token": new_punch_token(), receipts.FIELD: forged})
    assert REFUSED in punch_page_after(client, response) and not Punch.objects.exists()


def test_a_receipt_with_an_altered_time_is_refused(behind_proxy, client, employee_b):
    fields = shed(client, employee_b)
    payload, rest = fields[receipts.FIELD].split(":", 1)
    data = signing.loads(fields[receipts.FIELD], salt=receipts.SALT)
    earlier = signing.b64_encode(('{"f":"%s","t":%d,"n":1}' % (data["f"], time.time() - 100)).encode()).decode()
    assert earlier != payload
    response = client.post("/attendance/", {**fields, receipts.FIELD: f"{earlier}:{rest}"})
    assert REFUSED in punch_page_after(client, response) and not Punch.objects.exists()


def test_a_receipt_used_for_another_punch_of_the_same_login_is_refused(behind_proxy, client, employee_b):
    """Kept from one shed punch, it cannot date a second one (another token) …"""
    fields = shed(client, employee_b)
    response = client.post("/attendance/", {**fields, "token": new_punch_token()})
    assert REFUSED in punch_page_after(client, response) and not Punch.objects.exists()


def test_a_receipt_cannot_change_the_kind_it_was_given_for(behind_proxy, client, employee_b):
    """… nor turn a shed 出勤 into a 退勤 at the same early time."""
    fields = shed(client, employee_b, kind="in")
    response = client.post("/attendance/", {**fields, "kind": "out"})
    assert REFUSED in punch_page_after(client, response) and not Punch.objects.exists()


def test_a_receipt_is_worth_nothing_to_another_employee(behind_proxy, client, employee_b, employee_a):
    """Obtained by one login (or by anyone, before the session is even read), it dates
    nothing for another: the receipt is bound to the session that sent the form."""
    fields = shed(client, employee_a)
    other = Client()
    session_limited(other, employee_b)
    response = other.post("/attendance/", fields)
    assert REFUSED in punch_page_after(other, response) and not Punch.objects.exists()


def test_without_a_session_there_is_no_receipt(behind_proxy, client):
    response = client.post("/attendance/", {"kind": "in", "token": "t" * 32}, **waited(LATE))
    assert response.status_code == 503 and receipts.FIELD not in hidden_fields(response.content.decode())


def test_a_receipt_expires_from_the_first_arrival_however_often_it_is_shed_again(
        behind_proxy, client, employee_b, monkeypatch):
    fields = shed(client, employee_b)
    lifetime = behind_proxy.OVERLOAD_RECEIPT_SECONDS
    clock = time.time() + lifetime * 0.6
    monkeypatch.setattr(time, "time", lambda: clock)
    again = client.post("/attendance/", fields, HTTP_X_REQUEST_START=f"t={clock - LATE:.3f}")
    assert again.status_code == 503  # shed again: the receipt is signed anew, its first arrival kept
    fields = hidden_fields(again.content.decode())
    clock += lifetime * 0.6  # 1.2 × the lifetime after the first arrival, 0.6 × after the last signature
    response = client.post("/attendance/", fields)
    monkeypatch.undo()
    assert "受付から時間がたちすぎた" in punch_page_after(client, response) and not Punch.objects.exists()


def test_a_stamp_older_than_any_queue_gets_no_receipt(behind_proxy, client, employee_b):
    """A load balancer that passed a client's own stamp on must not let it date a punch hours back."""
    session_limited(client, employee_b)
    response = client.post("/attendance/", {"kind": "in", "token": "t" * 32}, **waited(3 * 3600))
    assert response.status_code == 503 and receipts.FIELD not in hidden_fields(response.content.decode())


@pytest.mark.parametrize("path, shown", [
    ("/%09/evil.example/", 'href="/%09/evil.example/"'),
    ("/\\evil.example/", 'href="/%5Cevil.example/"'),
])
def test_the_pages_own_link_stays_on_this_site(behind_proxy, client, path, shown):
    page = client.get(path, **waited(LATE)).content.decode()
    assert shown in page and 'href="//' not in page
