"""ネット de 就業 — 届出申請: the employee files and follows requests; the
company administrator decides them in the admin, for their own company only."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from kit.form_tokens import new_form_token
from attendance.models import TOKYO, AttendanceRequest, Punch
from tests.helpers import session_full

Kind, Status = AttendanceRequest.Kind, AttendanceRequest.Status
ADMIN_LIST = "/admin/attendance/attendancerequest/"


def today():
    return timezone.localdate(timezone=TOKYO)


def make_request(user, kind=Kind.LEAVE, **fields):
    fields.setdefault("start_date", today() + timedelta(days=3))
    return AttendanceRequest.objects.create(user=user, kind=kind, reason=fields.pop("reason", "私用のため"), **fields)


@pytest.fixture
def full_b(client, employee_b):
    return session_full(client, employee_b)


def test_employee_files_a_leave_request_and_sees_it_pending(full_b, employee_b):
    start = today() + timedelta(days=10)
    response = full_b.post("/attendance/requests/new/", {
        "token": new_form_token(), "kind": "leave", "leave_type": "paid", "start_date": start.isoformat(),
        "end_date": (start + timedelta(days=2)).isoformat(), "reason": "家族旅行のため",
    }, follow=True)
    item = AttendanceRequest.objects.get(user=employee_b)
    assert (item.kind, item.status, item.end_date) == (Kind.LEAVE, Status.PENDING, start + timedelta(days=2))
    assert "休暇を申請しました" in response.content.decode()
    listing = full_b.get("/attendance/requests/").content.decode()
    assert f'data-request="{item.pk}"' in listing
    assert "申請中" in listing


def test_overtime_and_correction_requests_keep_their_times(full_b, employee_b):
    full_b.post("/attendance/requests/new/", {"token": new_form_token(), "kind": "overtime",
                                              "start_date": today().isoformat(), "start_time": "18:00",
                                              "end_time": "20:30", "reason": "月次締め"})
    full_b.post("/attendance/requests/new/", {"token": new_form_token(), "kind": "correction",
                                              "start_date": today().isoformat(), "punch_kind": "in",
                                              "start_time": "08:55", "reason": "打刻忘れ"})
    overtime, correction = AttendanceRequest.objects.filter(user=employee_b).order_by("pk")
    assert (overtime.start_time, overtime.end_time) == (time(18), time(20, 30))
    assert (correction.punch_kind, correction.start_time) == ("in", time(8, 55))


@pytest.mark.parametrize("data, field, message", [
    ({"kind": "overtime", "reason": "締め"}, "start_time", "残業の開始時刻と終了時刻を入力してください"),
    ({"kind": "overtime", "start_time": "20:00", "end_time": "18:00", "reason": "締め"}, "end_time",
     "終了時刻は開始時刻より後にしてください"),
    ({"kind": "leave", "end_date": "PAST", "reason": "私用"}, "end_date", "終了日は開始日以降の日付にしてください"),
    ({"kind": "correction", "start_time": "09:00", "reason": "忘れ"}, "punch_kind", "修正する打刻を選んでください"),
    ({"kind": "leave", "reason": "   "}, "reason", "理由を入力してください"),
    ({"kind": "leave", "start_date": "2026-13-45", "reason": "私用"}, "start_date", "日付を正しく入力してください"),
])
def test_bad_requests_get_a_japanese_form_error(full_b, employee_b, data, field, message):
    data = {"start_date": today().isoformat(), **data}
    if data.get("end_date") == "PAST":
        data["end_date"] = (today() - timedelta(days=1)).isoformat()
    response = full_b.post("/attendance/requests/new/", {**data, "token": new_form_token()})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AttendanceRequest.objects.filter(user=employee_b).exists()


def test_employee_withdraws_a_pending_request_but_not_a_decided_one(full_b, employee_b, admin_a):
    pending, decided = make_request(employee_b), make_request(employee_b, status=Status.APPROVED,
                                                              decided_by=admin_a)
    assert "取り下げました" in full_b.post(f"/attendance/requests/{pending.pk}/", follow=True).content.decode()
    assert "取り下げられません" in full_b.post(f"/attendance/requests/{decided.pk}/", follow=True).content.decode()
    pending.refresh_from_db(), decided.refresh_from_db()
    assert (pending.status, decided.status) == (Status.WITHDRAWN, Status.APPROVED)


def test_a_colleagues_request_is_404_too(full_b, employee_a):
    item = make_request(employee_a)
    assert full_b.get(f"/attendance/requests/{item.pk}/").status_code == 404
    assert full_b.post(f"/attendance/requests/{item.pk}/").status_code == 404
    assert f'data-request="{item.pk}"' not in full_b.get("/attendance/requests/").content.decode()


def test_request_list_query_count_does_not_grow_with_rows(full_b, employee_b, admin_a,
                                                          django_assert_max_num_queries):
    full_b.get("/attendance/requests/")
    make_request(employee_b, status=Status.APPROVED, decided_by=admin_a)
    with django_assert_max_num_queries(5) as few:
        full_b.get("/attendance/requests/")
    for n in range(30):
        make_request(employee_b, status=Status.REJECTED, decided_by=admin_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = full_b.get("/attendance/requests/")
    assert response.content.decode().count("data-request=") == 31


# The company administrator's side, in the admin.

@pytest.fixture
def admin_client(client, admin_a):
    return session_full(client, admin_a)


def test_admin_lists_only_their_own_companys_requests(admin_client, employee_b, other_user):
    mine, foreign = make_request(employee_b, reason="自社の申請"), make_request(other_user, reason="他社の申請")
    response = admin_client.get(ADMIN_LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"/{mine.pk}/change/" in html
    assert f"/{foreign.pk}/change/" not in html
    assert "選択した申請を承認する" in html and "選択した申請を却下する" in html


def test_admin_approves_and_the_employee_sees_the_result(admin_client, client, admin_a, employee_b, mailoutbox,
                                                         django_capture_on_commit_callbacks):
    item = make_request(employee_b)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(ADMIN_LIST, {"action": "approve", "_selected_action": [item.pk]},
                                     follow=True)
    assert "1件を承認しました" in response.content.decode()
    assert [m.to for m in mailoutbox] == [[employee_b.email]]
    assert "休暇の申請が承認されました" in mailoutbox[0].subject
    item.refresh_from_db()
    assert (item.status, item.decided_by) == (Status.APPROVED, admin_a)
    session_full(client, employee_b)
    detail = client.get(f"/attendance/requests/{item.pk}/").content.decode()
    assert 'id="status">承認<' in detail
    assert admin_a.name in detail


def test_admin_rejects_with_a_comment(admin_client, client, employee_b):
    item = make_request(employee_b, kind=Kind.OVERTIME, start_time=time(18), end_time=time(22))
    admin_client.post(f"{ADMIN_LIST}{item.pk}/change/", {  # 却下 on the detail page, with its comment
        "_decision": "rejected", "_decision_seen": "pending", "_decision_comment": "22時以降の残業は不可です"})
    item.refresh_from_db()
    assert item.status == Status.REJECTED
    session_full(client, employee_b)
    detail = client.get(f"/attendance/requests/{item.pk}/").content.decode()
    assert "却下" in detail and "22時以降の残業は不可です" in detail


def test_a_decided_or_own_request_is_not_changed_by_an_action(admin_client, admin_a, employee_b):
    """The list's 承認 goes through the same service as the detail page: one's own refused, one
    withdrawn meanwhile left as it is, only the real decision audited."""
    from accounts.models import SecurityEvent

    withdrawn = make_request(employee_b, status=Status.WITHDRAWN)
    own = make_request(admin_a)
    other = make_request(employee_b)
    response = admin_client.post(ADMIN_LIST, {"action": "approve",
                                              "_selected_action": [withdrawn.pk, own.pk, other.pk]}, follow=True)
    page = response.content.decode()
    assert "1件を承認しました。" in page and "1件は処理済みまたは取下げ済みのため変更していません。" in page
    assert "1件はご自身の申請のため変更していません。ほかの管理者に依頼してください。" in page
    withdrawn.refresh_from_db(), own.refresh_from_db(), other.refresh_from_db()
    assert (withdrawn.status, own.status, other.status) == (Status.WITHDRAWN, Status.PENDING, Status.APPROVED)
    decided = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.DECIDED)
    assert [(e.user, e.actor, e.data["outcome"]) for e in decided] == [(employee_b, admin_a, "approved")]


def test_another_companys_admin_gets_404_and_cannot_decide(client, other_admin, employee_b):
    item = make_request(employee_b)
    session_full(client, other_admin)
    assert client.get(f"{ADMIN_LIST}{item.pk}/change/").status_code == 404
    client.post(ADMIN_LIST, {"action": "approve", "_selected_action": [item.pk]})
    item.refresh_from_db()
    assert item.status == Status.PENDING


def test_employees_cannot_decide_in_the_admin(client, employee_b):
    item = make_request(employee_b)
    session_full(client, employee_b)
    client.post(ADMIN_LIST, {"action": "approve", "_selected_action": [item.pk]})
    item.refresh_from_db()
    assert item.status == Status.PENDING


def test_an_approved_correction_sets_the_punch(admin_client, employee_b):
    day = today() - timedelta(days=1)
    wrong = datetime.combine(day, time(9, 40), tzinfo=TOKYO)
    Punch.objects.create(user=employee_b, kind=Punch.Kind.IN, punched_at=wrong, work_date=day, token="x" * 32)
    fix_in = make_request(employee_b, Kind.CORRECTION, start_date=day, punch_kind="in", start_time=time(8, 55))
    add_out = make_request(employee_b, Kind.CORRECTION, start_date=day, punch_kind="out", start_time=time(1, 30))
    admin_client.post(ADMIN_LIST, {"action": "approve", "_selected_action": [fix_in.pk, add_out.pk]})
    clock_in = Punch.objects.get(user=employee_b, kind=Punch.Kind.IN)
    clock_out = Punch.objects.get(user=employee_b, kind=Punch.Kind.OUT)
    assert Punch.objects.filter(user=employee_b).count() == 2  # replaced, not added
    assert timezone.localtime(clock_in.punched_at, TOKYO).time() == time(8, 55)
    assert clock_in.source == Punch.Source.CORRECTION
    # 01:30 is the night after the work day, and stays on it.
    assert timezone.localtime(clock_out.punched_at, TOKYO) == datetime.combine(
        day + timedelta(days=1), time(1, 30), tzinfo=TOKYO)
    assert clock_out.work_date == day


def test_admin_punch_list_is_own_company_only_and_read_only(admin_client, employee_b, other_user):
    now = timezone.now()
    mine = Punch.objects.create(user=employee_b, kind="in", punched_at=now, work_date=now.date(), token="m" * 32)
    theirs = Punch.objects.create(user=other_user, kind="in", punched_at=now, work_date=now.date(), token="o" * 32)
    html = admin_client.get("/admin/attendance/punch/").content.decode()
    assert f"/{mine.pk}/change/" in html and f"/{theirs.pk}/change/" not in html
    assert admin_client.get(f"/admin/attendance/punch/{theirs.pk}/change/").status_code == 404
    assert admin_client.post(f"/admin/attendance/punch/{mine.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Punch.objects.filter(pk=mine.pk).exists()


def test_admin_request_list_query_count_does_not_grow(admin_client, admin_a, employee_a, employee_b,
                                                      django_assert_max_num_queries):
    admin_client.get(ADMIN_LIST)
    make_request(employee_b, status=Status.APPROVED, decided_by=admin_a)
    with django_assert_max_num_queries(30) as few:
        admin_client.get(ADMIN_LIST)
    for n in range(20):
        make_request(employee_a if n % 2 else employee_b, status=Status.APPROVED, decided_by=admin_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = admin_client.get(ADMIN_LIST)
    assert response.content.decode().count("/change/\"") >= 21
