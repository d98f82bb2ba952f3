"""Approve where you read, in a real browser (issue 26 §4 and §10): the administrator
follows the front page's 対応待ち to a 届出申請, approves it with a comment on its
page at 1280×800 and goes on to the next one; the list keeps 申請中 on one line and
shows the whole 管理者コメント; an employee files a 有給 on a 375×667 phone through
the 確認画面. axe-core checks every page (the browser_factory of tests/e2e)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from attendance.models import TOKYO, AttendanceRequest
from tests.e2e import flows
from tests.e2e.conftest import PHONE, browser_factory, chromium, chromium_path, playwright_driver, shot  # noqa: F401

pytestmark = pytest.mark.e2e
COMMENT = "年末の繁忙期ですが、引継ぎをお願いします。承認します。"


def signed_in(browser_factory, user, **options):
    return flows.signed_in(browser_factory(**options), user)


def test_the_administrator_approves_on_the_detail_page(browser_factory, admin_a, employee_b):
    day = timezone.localdate(timezone=TOKYO) + timedelta(days=7)
    first, second = (AttendanceRequest.objects.create(user=employee_b, kind="leave", leave_type=kind,
                                                      start_date=day, reason="私用のため")
                     for kind in ("paid", "half_am"))
    page = signed_in(browser_factory, admin_a)
    page.goto(page.base + "/admin/")
    waiting = page.get_by_role("link", name="2 件届出申請 申請中")
    assert waiting.is_visible()
    with page.expect_navigation():
        waiting.click()
    with page.expect_navigation():
        page.locator(f'a[href*="/{first.pk}/change/"]').first.click()
    page.get_by_label("コメント（任意・申請者に表示されます）").fill(COMMENT)
    shot(page, "26-approve-detail")
    with page.expect_navigation():
        page.get_by_role("button", name="承認する").click()
    assert page.get_by_text("申請を承認しました。").is_visible()
    first.refresh_from_db()
    assert (first.status, first.decision_note) == ("approved", COMMENT)
    with page.expect_navigation():
        page.get_by_role("link", name="次の対応待ちへ").click()
    assert f"/{second.pk}/change/" in page.url
    assert page.get_by_role("button", name="却下する").is_visible()

    page.goto(page.base + "/admin/attendance/attendancerequest/")
    pending = page.locator("td.field-status", has_text="申請中").first
    lines = pending.evaluate("(el) => { const r = document.createRange(); r.selectNodeContents(el);"
                             " return new Set([...r.getClientRects()].map((b) => Math.round(b.top))).size; }")
    assert lines == 1, "申請中 stays on one line"
    note = page.locator("td.field-decision_note", has_text="引継ぎ").first
    box = note.bounding_box()
    results = page.locator("#changelist-form .results")
    assert results.evaluate("(el) => el.scrollWidth <= el.clientWidth + 1"), "the list does not scroll sideways"
    assert box["x"] + box["width"] <= 1280, "管理者コメント is not cut at the edge"
    assert COMMENT in note.inner_text()
    shot(page, "26-request-list")


def test_an_employee_files_a_paid_leave_on_the_phone(browser_factory, employee_b):
    page = signed_in(browser_factory, employee_b, viewport=PHONE)
    page.goto(page.base + "/attendance/requests/new/")
    page.get_by_label("有給").check()
    day = timezone.localdate(timezone=TOKYO) + timedelta(days=14)
    page.get_by_label("休暇の日（複数日のときは開始日）").fill(day.isoformat())
    page.get_by_label("理由").fill("家族の用事のため")
    assert page.evaluate("document.documentElement.scrollWidth <= 375"), "nothing runs off the phone's screen"
    shot(page, "26-leave-form-phone")
    with page.expect_navigation():
        page.get_by_role("button", name="確認画面へ進む").click()
    assert page.locator("#confirm-list").get_by_text("有給").is_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="送信する").click()
    assert page.get_by_text("休暇を申請しました。").is_visible()
    item = AttendanceRequest.objects.get(user=employee_b)
    assert (item.kind, item.leave_type, item.start_date) == ("leave", "paid", day)

    page.goto(page.base + "/attendance/requests/new/?kind=correction")
    page.get_by_label("退勤", exact=True).check()
    assert page.locator('label[for="id_start_time"]').inner_text().startswith("退勤時刻")
