"""ネット de 就業 — 届出申請: a double click or a resent form files one request.

Each rendering of the form carries a one-time token; the database keeps
(user, token) unique, so the same form sent again lands on the request it
already filed, and nothing is filed twice even when both arrive at once.
"""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from kit.form_tokens import new_form_token
from attendance.models import TOKYO, AttendanceRequest
from attendance.services import request_submit
from tests.helpers import session_full
from tests.parallel import post_together

URL = "/attendance/requests/new/"
TOKEN = re.compile(r'name="token" value="([0-9a-f]{32})"')
STALE = "送信内容を確認できませんでした。入力内容を確かめて、もう一度送信してください。"


def leave(token, reason="私用のため"):
    start = timezone.localdate(timezone=TOKYO) + timedelta(days=7)
    return {"token": token, "kind": "leave", "leave_type": "paid", "start_date": start.isoformat(), "reason": reason}


def token_on(page: str) -> str:
    return TOKEN.search(page).group(1)


@pytest.fixture
def full_b(client, employee_b):
    return session_full(client, employee_b)


def test_every_rendering_of_the_form_carries_its_own_token(full_b):
    first, second = (token_on(full_b.get(URL).content.decode()) for _ in range(2))
    assert first != second


def test_the_same_form_sent_twice_files_one_request(full_b, employee_b):
    data = leave(token_on(full_b.get(URL).content.decode()))
    first = full_b.post(URL, data, follow=True)
    item = AttendanceRequest.objects.get(user=employee_b)
    assert first.redirect_chain[-1][0] == f"/attendance/requests/{item.pk}/"
    again = full_b.post(URL, data, follow=True)
    assert AttendanceRequest.objects.filter(user=employee_b).count() == 1
    assert again.redirect_chain[-1][0] == f"/attendance/requests/{item.pk}/"
    page = again.content.decode()
    assert "この内容は既に送信されています。" in page and "申請しました" not in page


def test_a_resent_form_with_changed_text_still_files_nothing_new(full_b, employee_b):
    token = new_form_token()
    full_b.post(URL, leave(token, reason="私用のため"))
    full_b.post(URL, leave(token, reason="通院のため"))
    assert list(AttendanceRequest.objects.filter(user=employee_b).values_list("reason", flat=True)) == ["私用のため"]


@pytest.mark.parametrize("token", [None, "", "abc", "g" * 32, "A" * 32, "0" * 33, "<script>" * 4])
def test_a_missing_or_forged_token_is_a_form_error_and_the_form_can_be_sent_again(full_b, employee_b, token):
    data = leave(token, reason="家族の用事")
    if token is None:
        del data["token"]
    response = full_b.post(URL, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert STALE in page
    assert not AttendanceRequest.objects.filter(user=employee_b).exists()
    assert "家族の用事" in page, "what the user typed is kept"
    fresh = token_on(page)
    assert fresh != token
    assert full_b.post(URL, {**data, "token": fresh}).status_code == 302
    assert AttendanceRequest.objects.filter(user=employee_b).count() == 1


def test_another_users_token_does_not_collide(full_b, employee_a, employee_b):
    token = new_form_token()
    theirs, created = request_submit(
        item=AttendanceRequest(user=employee_a, kind="leave", start_date=timezone.localdate(), reason="私用"),
        token=token)
    assert created
    response = full_b.post(URL, leave(token))
    mine = AttendanceRequest.objects.get(user=employee_b)
    assert response.url == f"/attendance/requests/{mine.pk}/" and mine.pk != theirs.pk


def test_the_form_and_its_submission_take_few_queries(full_b, django_assert_max_num_queries):
    full_b.get(URL)
    with django_assert_max_num_queries(4):  # session, user, device, licences: the token costs none
        page = full_b.get(URL).content.decode()
    data = leave(token_on(page))
    with django_assert_max_num_queries(10):
        full_b.post(URL, data)
    with django_assert_max_num_queries(12):  # the refused insert (in a savepoint) and the lookup
        full_b.post(URL, data)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_concurrent_double_submit_files_one_request(on_postgres, employee_b):
    clients = [session_full(Client(), employee_b) for _ in range(4)]
    for _ in range(3):  # several rounds: the race must be lost every time
        AttendanceRequest.objects.filter(user=employee_b).delete()
        locations = post_together(clients, URL, leave(new_form_token()))
        item = AttendanceRequest.objects.get(user=employee_b)
        assert locations == [f"/attendance/requests/{item.pk}/"] * 4
