"""Approve where you read (issue 26 §4): 承認 / 却下 with a comment on the console's
detail page of a 届出申請, through ``request_decide`` and its rules; the front
page counts what waits and links to the filtered list."""

from datetime import timedelta

import pytest
from django.utils import timezone

from attendance.models import AttendanceRequest, Punch
from attendance.services import request_decide
from reception.models import Submission
from reception.tests.factories import make_address_change
from tests.helpers import make_user, session_full

Status = AttendanceRequest.Status
LIST = "/admin/attendance/attendancerequest/"


def make_request(user, **fields):
    fields.setdefault("kind", AttendanceRequest.Kind.LEAVE)
    fields.setdefault("leave_type", AttendanceRequest.LeaveType.PAID)
    fields.setdefault("start_date", timezone.localdate() + timedelta(days=3))
    return AttendanceRequest.objects.create(user=user, reason="私用のため", **fields)


def decide(client, item, decision, comment="", seen=Status.PENDING):
    return client.post(f"{LIST}{item.pk}/change/", {"_decision": decision, "_decision_seen": seen,
                                                     "_decision_comment": comment})


def test_the_detail_page_offers_approve_and_reject_with_a_comment(console, employee_b):
    item = make_request(employee_b)
    page = console.get(f"{LIST}{item.pk}/change/").content.decode()
    assert 'value="approved"' in page and "承認する" in page and "却下する" in page
    assert 'name="_decision_comment"' in page
    assert 'name="_save"' not in page, "an open request is decided, not saved"
    assert "有給" in page


def test_a_waiting_item_reads_as_a_record_with_its_decision_below(console, employee_b):
    """「届出申請の詳細」 (not 「…の変更」); 処理 follows the record with no 「閉じる」 before it;
    an empty 職務分離 is not shown (it appears only when there is something to say)."""
    request = make_request(employee_b)
    submission = make_address_change(employee_b)
    for url, title in [(f"{LIST}{request.pk}/change/", "届出申請の詳細"),
                       (f"/admin/reception/submission/{submission.pk}/change/", "届出の詳細")]:
        page = console.get(url).content.decode()
        assert f"<h1>{title}</h1>" in page and "の変更</h1>" not in page, url
        assert "closelink" not in page and "職務分離" not in page, url
        assert page.index('id="decision-title"') < page.index('id="decision-list-link"')


def test_approve_with_a_comment_from_the_detail_page(console, admin_a, employee_b):
    item, following = make_request(employee_b), make_request(employee_b)
    response = decide(console, item, "approved", "よい休暇を")
    assert response.status_code == 302 and response["Location"] == f"{LIST}{item.pk}/change/"
    item.refresh_from_db()
    assert (item.status, item.decided_by, item.decision_note) == (Status.APPROVED, admin_a, "よい休暇を")
    page = console.get(response["Location"]).content.decode()
    assert "申請を承認しました。" in page
    assert f'href="{LIST}?status__exact=pending"' in page
    assert f'href="{LIST}{following.pk}/change/"' in page and "次の対応待ちへ" in page
    assert 'value="approved"' not in page


def test_reject_from_the_detail_page(console, employee_b):
    item = make_request(employee_b)
    page = console.get(decide(console, item, "rejected", "人員不足のため")["Location"]).content.decode()
    item.refresh_from_db()
    assert (item.status, item.decision_note) == (Status.REJECTED, "人員不足のため")
    assert "申請を却下しました。" in page and "ほかに対応待ちはありません。" in page


def test_an_approved_correction_sets_the_punch(console, employee_b):
    item = make_request(employee_b, kind=AttendanceRequest.Kind.CORRECTION, leave_type="", punch_kind="out",
                        start_time=timezone.datetime(2026, 1, 1, 18, 30).time(),
                        start_date=timezone.localdate() - timedelta(days=1))
    page = console.get(f"{LIST}{item.pk}/change/").content.decode()
    assert "退勤時刻を 18:30 に修正" in page
    decide(console, item, "approved")
    assert Punch.objects.get(user=employee_b).kind == "out"


def test_own_request_is_refused_and_the_comment_kept(console, admin_a):
    item = make_request(admin_a)
    page = console.get(f"{LIST}{item.pk}/change/").content.decode()
    assert "ご自身の申請は承認・却下できません。" in page and 'value="approved"' not in page
    response = decide(console, item, "approved", "自分で承認")
    assert response.status_code == 409
    html = response.content.decode()
    assert "ご自身の申請は承認・却下できません。" in html and "自分で承認" in html
    item.refresh_from_db()
    assert item.status == Status.PENDING


def test_a_stale_decision_is_refused_and_the_comment_kept(console, acme, employee_b):
    item = make_request(employee_b)
    colleague = make_user("A1000055", acme, name="管理 花子", admin=True, device=True)
    assert request_decide(item=item, approve=True, actor=colleague)  # decided meanwhile
    response = decide(console, item, "rejected", "理由を書き直してください")
    assert response.status_code == 409
    html = response.content.decode()
    assert "ほかの管理者が処理したか申請者が取り下げたため、処理していません。" in html
    assert "理由を書き直してください" in html
    item.refresh_from_db()
    assert (item.status, item.decided_by) == (Status.APPROVED, colleague)


def test_a_too_long_comment_is_refused_and_kept_in_the_field(console, employee_b):
    item = make_request(employee_b)
    response = decide(console, item, "rejected", "あ" * 201)
    html = response.content.decode()
    assert response.status_code == 409 and "コメントは200文字以内で入力してください。" in html
    assert f'id="id_decision_comment" rows="3" maxlength="200" autocomplete="off">{"あ" * 201}</textarea>' in html
    item.refresh_from_db()
    assert item.status == Status.PENDING


def test_a_withdrawn_request_cannot_be_approved(console, employee_b):
    item = make_request(employee_b)
    item.withdraw()
    assert decide(console, item, "approved").status_code == 409
    item.refresh_from_db()
    assert item.status == Status.WITHDRAWN


def test_another_companys_request_is_404(client, other_admin, employee_b):
    item = make_request(employee_b)
    session_full(client, other_admin)
    assert client.get(f"{LIST}{item.pk}/change/").status_code == 404
    assert decide(client, item, "approved").status_code == 404
    item.refresh_from_db()
    assert item.status == Status.PENDING


def test_forms_are_accepted_and_returned_on_their_detail_page(console, employee_b):
    submission = make_address_change(employee_b)
    url = f"/admin/reception/submission/{submission.pk}/change/"
    page = console.get(url).content.decode()
    assert "受理する" in page and "差戻す" in page
    response = console.post(url, {"_decision": "accepted", "_decision_seen": "submitted",
                                  "_decision_comment": "確認しました"})
    assert "届出を受理しました。" in console.get(response["Location"]).content.decode()
    submission.refresh_from_db()
    assert (submission.status, submission.admin_comment) == ("accepted", "確認しました")
    # A page opened before the 受理 still says 提出済: its 差戻し is stale.
    stale = console.post(url, {"_decision": "returned", "_decision_seen": "submitted",
                               "_decision_comment": "番地が違います"})
    assert stale.status_code == 409 and "番地が違います" in stale.content.decode()
    submission.refresh_from_db()
    assert submission.status == "accepted"


def test_own_form_is_refused(console, admin_a):
    submission = make_address_change(admin_a)
    response = console.post(f"/admin/reception/submission/{submission.pk}/change/", {
        "_decision": "accepted", "_decision_seen": "submitted"})
    assert response.status_code == 409 and "ご自身の届出は処理できません。" in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED


def test_the_front_page_counts_what_waits_and_links_to_it(console, employee_b, other_user):
    make_request(employee_b), make_request(employee_b), make_request(employee_b, status=Status.APPROVED)
    make_request(other_user)
    make_address_change(employee_b)
    page = console.get("/admin/").content.decode()
    assert "対応待ち" in page
    assert f'<a href="{LIST}?status__exact=pending"><span class="count">2 件</span>届出申請 申請中</a>' in page
    assert ('<a href="/admin/reception/submission/?status__exact=submitted"><span class="count">1 件</span>'
            "届出 未処理</a>") in page
    assert console.get(f"{LIST}?status__exact=pending").status_code == 200


def test_the_front_page_takes_the_same_queries_however_many_wait(console, employee_b, django_assert_num_queries,
                                                                django_assert_max_num_queries):
    console.get("/admin/")
    with django_assert_max_num_queries(20) as few:
        console.get("/admin/")
    for _ in range(5):
        make_request(employee_b)
        make_address_change(employee_b)
    with django_assert_num_queries(len(few.captured_queries)):
        console.get("/admin/")
