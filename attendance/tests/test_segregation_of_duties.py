"""A request is decided by someone other than its filer (issue 20 §5).

The rule lives in the decision services (届出申請: ``request_decide``,
各種届出: ``submission_process``), so every path that decides goes through
it; the console and the security log show when the deciding account was
registered by the filer (a second account of the same person is the likely
reason). A person with two accounts registered by someone else cannot be
told apart from two people (docs/security.md)."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.people import services
from accounts.audit.duties import OwnRequest
from accounts.people.employee_apply import employees_import
from accounts.models import SecurityEvent, User
from attendance.models import AttendanceRequest
from attendance.services import request_decide
from reception.services import submission_process
from tests.helpers import add_device, session_full
from reception.tests.factories import make_address_change

Kind = SecurityEvent.Kind
REQUESTS = "/admin/attendance/attendancerequest/"
FORMS = "/admin/reception/submission/"


def make_request(user):
    return AttendanceRequest.objects.create(user=user, kind=AttendanceRequest.Kind.LEAVE, reason="私用のため",
                                            start_date=timezone.localdate() + timedelta(days=3))


@pytest.fixture
def second_account(client, console, admin_a):
    """admin_a registers, in the console, a second company administrator account (for themselves)."""
    response = console.post("/admin/accounts/user/add/", {
        "login_id": "A1000077", "name": "管理 太郎（別）", "email": "second@example.com", "is_active": "on",
        "company_admin": "on",
    })
    assert response.status_code == 200
    second = User.objects.get(login_id="A1000077")
    assert second.is_staff and second.created_by == admin_a
    services.user_change_password(user=second, new_password="Second-account-7-staple")  # its first login
    add_device(second)
    client.logout()
    return second


def test_the_service_refuses_the_filer_as_decider(admin_a, operator):
    item = make_request(admin_a)
    with pytest.raises(OwnRequest):
        request_decide(item=item, approve=True, actor=admin_a)
    item.refresh_from_db()
    assert item.status == AttendanceRequest.Status.PENDING and item.decided_by is None
    assert not SecurityEvent.objects.filter(kind=Kind.DECIDED).exists()


def test_the_services_refuse_an_operator_deciding_their_own(operator):
    item = make_request(operator)
    with pytest.raises(OwnRequest):
        request_decide(item=item, approve=False, actor=operator)
    with pytest.raises(OwnRequest):
        submission_process(submission=make_address_change(operator), status="accepted", actor=operator)


def test_second_account_registered_by_the_filer_is_shown_and_recorded(client, admin_a, second_account):
    item = make_request(admin_a)
    session_full(client, second_account)
    page = client.post(REQUESTS, {"action": "approve", "_selected_action": [item.pk]}, follow=True)
    html = page.content.decode()
    item.refresh_from_db()
    assert item.status == AttendanceRequest.Status.APPROVED and item.decided_by == second_account
    assert "1 件は、申請者が登録したアカウントで処理しました（セキュリティログに記録しました）。" in html
    assert "申請者が登録したアカウント" in client.get(REQUESTS).content.decode()
    assert "処理した管理者のアカウントは申請者が登録したものです" in client.get(
        f"{REQUESTS}{item.pk}/change/").content.decode()
    event = SecurityEvent.objects.get(kind=Kind.DECIDED)
    assert (event.user, event.actor) == (admin_a, second_account)
    assert (event.data["outcome"], event.data["created_by_requester"]) == ("approved", True)
    log = client.get(f"/admin/accounts/securityevent/{event.pk}/change/").content.decode()
    assert "「承認」に処理（処理した管理者のアカウントは申請者が登録したもの）" in log


def test_forms_decided_by_a_second_account_are_shown_and_recorded(client, admin_a, second_account):
    own = make_address_change(admin_a)
    session_full(client, second_account)
    html = client.post(FORMS, {"action": "mark_accepted", "_selected_action": [own.pk]},
                       follow=True).content.decode()
    own.refresh_from_db()
    assert own.status == "accepted"
    assert "1 件は、申請者が登録したアカウントで処理しました（セキュリティログに記録しました）。" in html
    assert "処理した管理者のアカウントは申請者が登録したものです" in client.get(FORMS).content.decode()
    event = SecurityEvent.objects.get(kind=Kind.DECIDED)
    assert (event.user, event.actor) == (admin_a, second_account)
    assert (event.data["outcome"], event.data["created_by_requester"]) == ("accepted", True)


def test_an_ordinary_decision_is_recorded_without_the_flag(client, console, admin_a, employee_b):
    item = make_request(employee_b)
    html = console.post(REQUESTS, {"action": "reject", "_selected_action": [item.pk]}, follow=True).content.decode()
    assert "申請者が登録したアカウント" not in html
    event = SecurityEvent.objects.get(kind=Kind.DECIDED)
    assert (event.user, event.actor) == (employee_b, admin_a)
    assert (event.data["outcome"], event.data["created_by_requester"]) == ("rejected", False)


def test_import_records_who_registered_the_accounts(acme, admin_a):
    data = "ログインID,氏名,会社管理者\nA1000088,別 アカウント,○\n".encode()
    employees_import(tenant=acme, actor=admin_a, data=data, filename="x.csv")
    assert User.objects.get(login_id="A1000088").created_by == admin_a


def test_command_leaves_the_registrar_empty(acme):
    call_command("create_user", "A1000099", "--tenant", acme.code, stdout=io.StringIO())
    assert User.objects.get(login_id="A1000099").created_by is None


def test_the_console_shows_who_registered_an_account(console, admin_a, second_account):
    session_full(console, admin_a)
    page = console.get(f"/admin/accounts/user/{second_account.pk}/change/").content.decode()
    assert "登録した管理者" in page and "A1000001 管理 太郎" in page
