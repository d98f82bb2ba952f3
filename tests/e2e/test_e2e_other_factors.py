"""The second factors beside the app's code, in a real browser.

Passkeys: Chromium's virtual authenticator (CDP
``WebAuthn.addVirtualAuthenticator``) stands in for the phone's fingerprint
reader. Registered on the security page, used at the code step, removed; a
copy of the key whose counter lags is refused and recorded; a key of another
company's user is never offered. 回復コード: issued once with print and copy,
then the phone is "lost" and a code opens the login, landing where the phone
is set up again."""

import re

import pytest

from accounts.models import Passkey, SecurityEvent
from tests.helpers import PASSWORD

from .conftest import DESKTOP, PHONE, shot
from .flows import log_in, signed_in

pytestmark = pytest.mark.e2e


def authenticator(page, *, credentials=()):
    """A platform authenticator with biometrics, always present and verified, in this page."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    found = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
        "hasUserVerification": True, "isUserVerified": True, "automaticPresenceSimulation": True}})
    for credential in credentials:
        cdp.send("WebAuthn.addCredential", {"authenticatorId": found["authenticatorId"], "credential": credential})
    return cdp, found["authenticatorId"]


def held(cdp, authenticator_id):
    return cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})["credentials"]


def register(page, name, *, screenshots=False):
    page.goto(page.base + "/accounts/security/")
    with page.expect_navigation():
        page.get_by_role("link", name="パスキーを登録").click()
    page.get_by_label("パスキーの名前").fill(name)
    page.get_by_label("ご自身のパスワード").fill(PASSWORD)
    if screenshots:
        shot(page, "38-passkey-password")
    with page.expect_navigation():
        page.get_by_role("button", name="次へ").click()
    assert page.get_by_label("パスキーの名前").input_value() == name, "the name typed is kept"
    if screenshots:
        shot(page, "39-passkey-create")
    with page.expect_navigation():
        page.get_by_role("button", name="パスキーを作成").click()


def use_passkey(page):
    with page.expect_navigation():
        page.get_by_role("button", name="パスキーを使う").click()


@pytest.mark.parametrize("viewport", [PHONE, None], ids=["phone", "desktop"])
def test_register_log_in_with_it_and_remove_it(browser_factory, employee_a, viewport):
    phone = viewport is PHONE
    page = browser_factory(PHONE, is_mobile=True, has_touch=True) if phone else browser_factory(DESKTOP)
    cdp, key = authenticator(page)
    signed_in(page, employee_a)

    register(page, "仕事用スマホ", screenshots=phone)
    assert page.url == page.base + "/accounts/security/"
    assert page.get_by_text("パスキー「仕事用スマホ」を登録しました。").is_visible()
    assert page.locator(".passkeys li").get_by_text("仕事用スマホ").is_visible()
    assert len(held(cdp, key)) == 1
    if phone:
        shot(page, "40-passkey-registered")
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, "no sideways scrolling"

    with page.expect_navigation():
        page.get_by_role("button", name="ログアウト").click()
    log_in(page, "A1000002")
    assert page.get_by_role("button", name="パスキーを使う").is_visible()
    if phone:
        shot(page, "41-code-step-with-passkey")
    use_passkey(page)
    assert page.url == page.base + "/"
    last = SecurityEvent.objects.filter(user=employee_a, kind="login_success").latest("pk")
    assert last.data["method"] == "passkey"

    device = Passkey.objects.get(user=employee_a)
    page.goto(page.base + f"/accounts/security/passkeys/{device.pk}/delete/")
    page.get_by_label("ご自身のパスワード").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="削除する").click()
    assert page.get_by_text("パスキー「仕事用スマホ」を削除しました。").is_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="ログアウト").click()
    log_in(page, "A1000002")
    assert page.get_by_label("認証コード（6桁）").is_visible()
    assert page.get_by_role("button", name="パスキーを使う").count() == 0, "a removed passkey is not offered"


def test_a_copy_of_the_key_with_a_lagging_counter_is_refused(browser_factory, employee_a):
    page = browser_factory()
    cdp, key = authenticator(page)
    signed_in(page, employee_a)
    register(page, "PC")
    with page.expect_navigation():
        page.get_by_role("button", name="ログアウト").click()
    log_in(page, "A1000002")
    use_passkey(page)  # the original's counter moves on
    [original] = held(cdp, key)
    assert original["signCount"] >= 1

    copy = browser_factory()
    authenticator(copy, credentials=[{**original, "signCount": 0}])
    log_in(copy, "A1000002")
    use_passkey(copy)
    assert copy.get_by_text("このパスキーは安全のため使えません。").is_visible()
    assert copy.url.startswith(copy.base + "/accounts/login/")
    refused = SecurityEvent.objects.filter(user=employee_a, kind="passkey_refused").latest("pk")
    assert refused.data == {"reason": "cloned"}


def test_another_companys_key_does_not_open_an_employees_login(browser_factory, employee_a, other_admin):
    theirs = browser_factory()
    cdp, key = authenticator(theirs)
    signed_in(theirs, other_admin)
    register(theirs, "他社のPC")
    stolen = held(cdp, key)

    mine = browser_factory()
    authenticator(mine)
    signed_in(mine, employee_a)
    register(mine, "自分のPC")

    page = browser_factory()
    authenticator(page, credentials=stolen)  # a browser holding only the other company's key
    log_in(page, "A1000002")
    page.get_by_role("button", name="パスキーを使う").click()
    status = page.get_by_text("パスキーを使えませんでした。もう一度押すか、認証コードを入力してください。")
    status.wait_for()
    assert page.url.startswith(page.base + "/accounts/login/") and page.get_by_label("認証コード（6桁）").is_visible()
    assert not SecurityEvent.objects.filter(user=employee_a, kind="login_success").exclude(
        data__method="code").exists()


@pytest.mark.parametrize("allowed", [True, False], ids=["allowed", "not-allowed"])
def test_log_in_with_the_passkey_alone_where_the_company_allows_it(browser_factory, employee_a, other_admin,
                                                                  allowed):
    from accounts.identity import login_policy

    tenant = employee_a.tenant if allowed else other_admin.tenant  # offered on the page either way
    login_policy.login_policy_set(tenant=tenant, passwordless=True, actor=other_admin)
    page = browser_factory(PHONE, is_mobile=True, has_touch=True)
    authenticator(page)
    signed_in(page, employee_a)
    register(page, "仕事用スマホ")
    with page.expect_navigation():
        page.get_by_role("button", name="ログアウト").click()

    page.goto(page.base + "/accounts/login/?next=/attendance/requests/")
    if allowed:
        shot(page, "42-login-with-passkey")
    use_passkey_alone = page.get_by_role("button", name="パスキーでログイン")
    with page.expect_navigation():
        use_passkey_alone.click()
    if allowed:
        assert page.url == page.base + "/attendance/requests/", "signed in with all features, where it was going"
        last = SecurityEvent.objects.filter(user=employee_a, kind="login_success").latest("pk")
        assert last.data["method"] == "passwordless"
    else:
        assert page.url.startswith(page.base + "/accounts/login/")
        assert page.get_by_text("会社の設定により、パスキーだけではログインできません。").is_visible()


def test_issue_print_copy_and_log_in_with_one(browser_factory, employee_a):
    page = browser_factory(PHONE, is_mobile=True, has_touch=True)
    signed_in(page, employee_a, go="/accounts/security/")
    with page.expect_navigation():
        page.get_by_role("link", name="回復コードを発行").click()
    page.get_by_label("ご自身のパスワード").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="回復コードを発行する").click()
    codes = page.locator("#recovery-code-list code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"(\w{4}-){3}\w{4}", code) for code in codes)
    assert page.get_by_role("button", name="印刷する").is_visible()
    assert page.get_by_role("button", name="すべてコピー").get_attribute("data-copy") == "\n".join(codes)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, "no sideways scrolling"
    shot(page, "43-recovery-codes")

    with page.expect_navigation():
        page.get_by_role("button", name="ログアウト").click()
    log_in(page, "A1000002")
    page.get_by_text("スマートフォンが手元にない場合（回復コード）").click()
    page.get_by_label("回復コード").fill(codes[0])
    shot(page, "44-code-step-recovery")
    with page.expect_navigation():
        page.get_by_role("button", name="回復コードで認証する").click()
    assert page.url == page.base + "/accounts/security/"
    assert page.get_by_text("回復コードで認証しました（残り 9 個）").is_visible()


def test_a_removed_passkey_still_in_the_browser_is_refused(browser_factory, employee_a):
    """The phone still holds the key the employee removed on the server: 「パスキーでログイン」
    offers it, and the server refuses it."""
    from accounts.identity import login_policy

    login_policy.login_policy_set(tenant=employee_a.tenant, passwordless=True, actor=employee_a)
    page = browser_factory()
    cdp, key = authenticator(page)
    signed_in(page, employee_a)
    register(page, "古いスマホ")
    device = Passkey.objects.get(user=employee_a)
    page.goto(page.base + f"/accounts/security/passkeys/{device.pk}/delete/")
    page.get_by_label("ご自身のパスワード").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="削除する").click()
    assert len(held(cdp, key)) == 1, "the browser still has it"
    with page.expect_navigation():
        page.get_by_role("button", name="ログアウト").click()

    page.goto(page.base + "/accounts/login/")
    with page.expect_navigation():
        page.get_by_role("button", name="パスキーでログイン").click()
    assert page.get_by_text("このパスキーではログインできません。").is_visible()
    refusal = SecurityEvent.objects.filter(kind="passkey_refused").latest("pk")
    assert refusal.data == {"reason": "unknown"}
