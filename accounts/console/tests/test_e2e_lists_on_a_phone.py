"""The console's lists on a 375×667 phone (issue 26): the security log, ユーザー, 届出申請,
届出 and 給与明細 read as one block per row (「項目 値」 lines), the page never wider
than the screen; at 1280×800 the same lists stay tables. One login walks them all;
axe-core checks every page (the browser_factory of tests/e2e)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import SecurityEvent
from attendance.models import TOKYO, AttendanceRequest
from attendance.tests.test_e2e_approvals import signed_in
from payslips.tests.factories import make_payslip
from reception.tests.factories import make_address_change
from tests.e2e.conftest import DESKTOP, PHONE, browser_factory, chromium, chromium_path, playwright_driver, shot  # noqa: F401

pytestmark = pytest.mark.e2e
LISTS = ["/admin/accounts/user/", "/admin/attendance/attendancerequest/", "/admin/reception/submission/",
         "/admin/payslips/payslip/"]
WIDTH = "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"


def test_every_list_reads_as_blocks_on_a_phone_and_as_a_table_on_a_desktop(browser_factory, admin_a, employee_b):
    SecurityEvent.objects.create(kind=SecurityEvent.Kind.LOGIN_FAILURE, tenant=admin_a.tenant, user=employee_b,
                                 login_id=employee_b.login_id, data={"reason": "wrong_password"})
    AttendanceRequest.objects.create(user=employee_b, kind="leave", leave_type="paid", reason="私用のため",
                                     start_date=timezone.localdate(timezone=TOKYO) + timedelta(days=7))
    make_address_change(employee_b)
    make_payslip(employee_b)
    page = signed_in(browser_factory, admin_a)

    page.goto(page.base + "/admin/accounts/securityevent/")
    row = page.locator("#result_list tbody tr", has_text="IDまたはパスワードの誤り").first
    assert page.evaluate(WIDTH)[0] <= 1280
    assert row.locator("td").first.evaluate("(el) => getComputedStyle(el).display") == "table-cell"
    shot(page, "26-security-log-desktop")

    page.set_viewport_size(PHONE)
    page.goto(page.base + "/admin/accounts/securityevent/")
    scroll_width, client_width = page.evaluate(WIDTH)
    assert scroll_width <= 375 and client_width == 375
    row = page.locator("#result_list tbody tr", has_text="IDまたはパスワードの誤り").first
    for text in ("IDまたはパスワードの誤り", employee_b.name, employee_b.login_id):
        cell = row.get_by_text(text).first
        assert cell.is_visible(), text
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375, text
    when = row.locator(".field-when")
    assert when.is_visible() and when.bounding_box()["x"] + when.bounding_box()["width"] <= 375
    assert when.evaluate("(el) => getComputedStyle(el, '::before').content") == '"日時"'  # its column named
    # Still a table to a screen reader: its rows, column headers and cells.
    assert page.get_by_role("columnheader", name="種類").count() == 1
    assert row.get_attribute("role") == "row" and row.locator('[role="cell"]').count() >= 3
    shot(page, "26-security-log-phone")

    for url in LISTS:
        page.goto(page.base + url)
        scroll_width, _ = page.evaluate(WIDTH)
        assert scroll_width <= 375, f"{url}: {scroll_width}"
        first = page.locator("#result_list tbody tr").first
        assert first.is_visible(), url
        assert first.locator("[data-label]").nth(1).evaluate("(el) => getComputedStyle(el).display") == "block"
        shot(page, "26-list-phone-" + url.strip("/").split("/")[-1])
