"""A B-ID in the limited mode punches, then steps up with the code to 届出申請 (FAQ ⑥⑫)."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from attendance.models import Punch
from tests.helpers import code_for

from .conftest import PHONE, shot
from .flows import enter_code, log_in

pytestmark = pytest.mark.e2e


def test_b_id_punches_in_limited_mode_then_steps_up_to_requests(browser_factory, employee_b):
    page = browser_factory(PHONE, is_mobile=True, has_touch=True)
    log_in(page, "B1000001")
    assert page.get_by_role("heading", name="二要素認証 ログイン選択").is_visible()
    assert page.get_by_text("全ての機能を利用する場合は2要素認証が必要です").is_visible()
    shot(page, "06-choice")
    with page.expect_navigation():
        page.get_by_role("button", name="就業打刻・明細閲覧のみ利用する").click()
    assert page.url == page.base + "/"
    assert page.locator("#mode").inner_text() == "就業打刻・明細閲覧のみ"
    shot(page, "07-portal-limited")

    with page.expect_navigation():
        page.locator('[data-product="attendance"]').get_by_role("link", name="打刻", exact=True).click()
    assert page.url == page.base + "/attendance/"
    with page.expect_navigation():
        page.get_by_role("button", name="出勤").click()
    assert page.locator(".messages").get_by_text("出勤を").is_visible()
    assert Punch.objects.filter(user=employee_b, kind=Punch.Kind.IN).count() == 1
    shot(page, "08-punch")

    # 届出申請 needs the code: the code page, then the page that was asked for.
    with page.expect_navigation():
        page.get_by_role("link", name="届出申請（休暇・残業・打刻修正）").click()
    assert page.url.startswith(page.base + "/accounts/verify/")
    shot(page, "09-step-up")
    enter_code(page, code_for(TOTPDevice.objects.get(user=employee_b)))
    assert page.url == page.base + "/attendance/requests/"
    assert page.get_by_role("heading", name="届出申請").first.is_visible()
    shot(page, "10-requests")
