"""2要素認証の初期化 (FAQ ④) in a real browser: by the user, and by the company administrator."""

import base64

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.helpers import PASSWORD, code_for

from .conftest import decode_qr, shot
from .flows import enter_code, log_in, totp_from_uri

pytestmark = pytest.mark.e2e


def test_self_reset_then_fresh_setup_with_a_new_secret(page, employee_a):
    old = TOTPDevice.objects.get(user=employee_a)
    log_in(page, "A1000002")
    assert page.url.startswith(page.base + "/accounts/login/")
    assert page.get_by_role("heading", name="認証コードの入力").is_visible()
    shot(page, "11-code")
    enter_code(page, code_for(old))
    assert page.url == page.base + "/"

    page.goto(page.base + "/accounts/security/")
    shot(page, "12-security")
    page.once("dialog", lambda dialog: dialog.accept())  # a confirmation, if the page asks
    page.locator("main input[type=password]").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="2要素認証を初期化する").click()
    assert page.url.startswith(page.base + "/accounts/setup/")
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    shot(page, "13-reset-setup")

    uri = decode_qr(page.locator("#qr svg").screenshot())
    totp = totp_from_uri(uri)
    old_secret = base64.b32encode(old.bin_key).decode().rstrip("=")
    assert totp.secret != old_secret, "a reset makes a new secret; old backups stop working"
    enter_code(page, totp.now())
    assert page.url == page.base + "/"
    new = TOTPDevice.objects.get(user=employee_a, confirmed=True)
    assert new.key != old.key
