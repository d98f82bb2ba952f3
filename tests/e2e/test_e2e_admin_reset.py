"""The company administrator resets an employee's 2FA in the Django admin (FAQ ④)."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecurityEvent
from tests.helpers import PASSWORD

from .conftest import shot
from .flows import log_in, signed_in

pytestmark = pytest.mark.e2e

EMPLOYEE_PASSWORD = "Employee-own-horse-77"


def test_admin_resets_an_employee_with_their_own_password(browser_factory, admin_a, employee_a):
    employee_a.set_password(EMPLOYEE_PASSWORD)
    employee_a.save()
    # The employee is logged in elsewhere with the code.
    employee = browser_factory()
    signed_in(employee, employee_a, password=EMPLOYEE_PASSWORD)
    assert employee.url == employee.base + "/"

    page = browser_factory()
    signed_in(page, admin_a)
    with page.expect_navigation():
        page.get_by_role("link", name="管理画面").click()
    assert page.url == page.base + "/admin/"
    shot(page, "14-admin")

    page.goto(page.base + "/admin/accounts/user/")
    with page.expect_navigation():
        page.get_by_role("link", name="A1000002").click()
    shot(page, "15-admin-user")
    with page.expect_navigation():
        page.get_by_role("link", name="2要素認証を初期化").click()
    assert page.get_by_text("管理者ご自身のパスワード").first.is_visible()
    shot(page, "16-admin-reset-confirm")

    # The employee's password is refused: it has to be the administrator's own.
    page.locator("#content-main input[type=password]").fill(EMPLOYEE_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="2要素認証を初期化する").click()
    assert TOTPDevice.objects.filter(user=employee_a).exists()

    page.locator("#content-main input[type=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="2要素認証を初期化する").click()
    assert page.get_by_text("A1000002 の2要素認証を初期化しました").is_visible()
    temporary = page.locator(".temporary-password").inner_text()  # issued with the reset, shown once
    shot(page, "17-admin-reset-done")
    assert not TOTPDevice.objects.filter(user=employee_a).exists()
    event = SecurityEvent.objects.filter(kind=SecurityEvent.Kind.RESET, user=employee_a).get()
    assert event.actor == admin_a

    # The employee's session has ended; the old password no longer logs in, and
    # the temporary one the administrator handed over starts a fresh setup.
    employee.reload()
    assert employee.url.startswith(employee.base + "/accounts/login/")
    log_in(employee, "A1000002", EMPLOYEE_PASSWORD)
    assert employee.url.startswith(employee.base + "/accounts/login/")
    log_in(employee, "A1000002", temporary)
    assert employee.url.startswith(employee.base + "/accounts/setup/")
    assert employee.locator("#qr svg").is_visible()
