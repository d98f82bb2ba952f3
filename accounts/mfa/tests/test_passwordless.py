"""「パスキーでログイン」: a passkey that verified its user is the whole login, for
the companies that allow it (ログインの設定), under every rule of a login."""

import pytest
from django.core import mail
from django.test import Client

from accounts.identity import login_policy
from accounts.mfa.tests.authenticator import SoftPasskey
from accounts.mfa.tests.test_passkeys import register
from accounts.models import SecurityEvent
from accounts.people.offboarding import user_offboard
from accounts.sessions import office_ip
from tests.helpers import PASSWORD, post_login, session_full

URL = "/accounts/login/passkey/"


@pytest.fixture
def phone(client, employee_a):
    """employee_a's passkey on their phone (registered the usual way)."""
    key = SoftPasskey()
    session_full(client, employee_a)
    register(client, key)
    mail.outbox.clear()
    return key


@pytest.fixture
def allowed(acme, admin_a):
    return login_policy.login_policy_set(tenant=acme, passwordless=True, actor=admin_a)


def passwordless(browser, key, **answer):
    options = browser.post(URL, {"begin": "1"})
    assert options.status_code == 200, options.content
    return browser.post(URL, {"passkey": key.get(options.json(), **answer), "next": "/attendance/requests/"})


def refused_with(response, browser, text):
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert text in browser.get("/accounts/login/").content.decode()
    assert "_auth_user_id" not in browser.session


def test_off_by_default_and_not_offered(phone):
    browser = Client()
    assert "パスキーでログイン" not in browser.get("/accounts/login/").content.decode()
    assert browser.post(URL, {"begin": "1"}).status_code == 403


def test_a_verified_passkey_is_the_whole_login(phone, allowed, employee_a):
    browser = Client()
    page = browser.get("/accounts/login/").content.decode()
    assert "パスキーでログイン" in page and 'id="passwordless-form"' in page
    options = browser.post(URL, {"begin": "1"}).json()
    assert options["userVerification"] == "required" and not options.get("allowCredentials")
    response = browser.post(URL, {"passkey": phone.get(options), "next": "/attendance/requests/"})
    assert response.status_code == 302 and response["Location"] == "/attendance/requests/"
    assert browser.get("/attendance/requests/").status_code == 200, "all features, as after the code"
    success = SecurityEvent.objects.filter(user=employee_a, kind="login_success").latest("pk")
    assert success.data["method"] == "passwordless"
    assert "パスキーだけでログイン（ID・パスワードなし、すべての機能）" in browser.get("/accounts/history/").content.decode()
    assert [m.subject for m in mail.outbox] == ["【ネット de 顧問】新しい端末からログインがありました"]


def test_presence_without_verification_is_not_enough(phone, allowed, employee_a):
    browser = Client()
    refused_with(passwordless(browser, phone, verified=False), browser, "このパスキーではログインできません")
    assert SecurityEvent.objects.filter(kind="passkey_refused").latest("pk").data == {"reason": "invalid"}


def test_a_company_that_does_not_allow_it(phone, other_tenant, admin_a, other_admin, employee_a):
    login_policy.login_policy_set(tenant=other_tenant, passwordless=True, actor=other_admin)  # offered, not for acme
    browser = Client()
    refused_with(passwordless(browser, phone), browser, "会社の設定により、パスキーだけではログインできません")
    refusal = SecurityEvent.objects.filter(kind="passkey_refused").latest("pk")
    assert (refusal.user, refusal.data) == (employee_a, {"reason": "not_allowed"})


def test_an_inactive_account_is_refused_even_with_its_passkey(phone, allowed, employee_a):
    """退職 removes the passkeys (below); an account made inactive otherwise still has one."""
    employee_a.is_active = False
    employee_a.save(update_fields=["is_active"])
    browser = Client()
    refused_with(passwordless(browser, phone), browser, "このパスキーではログインできません")
    assert SecurityEvent.objects.filter(kind="passkey_refused").latest("pk").data == {"reason": "inactive"}


def test_offboarding_removes_the_passkey(phone, allowed, employee_a, admin_a):
    user_offboard(user=employee_a, actor=admin_a)
    browser = Client()
    refused_with(passwordless(browser, phone), browser, "このパスキーではログインできません")
    assert SecurityEvent.objects.filter(kind="passkey_refused").latest("pk").data == {"reason": "unknown"}


def test_the_office_address_rule_applies(phone, allowed, acme, admin_a, employee_a):
    office_ip.access_rule_set(tenant=acme, enabled=True, networks=["192.0.2.0/24"], limited_anywhere=False,
                              actor=admin_a)
    browser = Client(REMOTE_ADDR="198.51.100.7")
    refused_with(passwordless(browser, phone), browser, "社外からのアクセスは会社の設定により制限されています")
    assert SecurityEvent.objects.filter(kind="office_ip_refused", user=employee_a).exists()


def test_a_locked_id_is_refused(phone, allowed, settings, employee_a):
    attacker = Client(REMOTE_ADDR="203.0.113.5")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(attacker, "A1000002", "Wrong-password-1")
    refused_with(passwordless(attacker, phone), attacker, "一時的にログインを制限しています")
    assert passwordless(Client(REMOTE_ADDR="198.51.100.8"), phone).status_code == 302, "another address is not locked"


def test_the_console_page_sets_it_and_counts_the_factors(client, admin_a, employee_a, other_tenant, phone):
    console = session_full(Client(), admin_a)
    front = console.get("/admin/").content.decode()
    assert "ログインの設定" in front and "ID・パスワード・認証コード" in front
    url = f"/admin/accounts/tenant/{admin_a.tenant_id}/login-policy/"
    page = console.get(url).content.decode()
    assert "パスキー登録済み 1 名" in page and "認証アプリ設定済み 2 名" in page
    assert console.post(url, {"passwordless": "on", "recovery_codes": "on"}).status_code == 302
    assert login_policy.policy_of(admin_a.tenant).passwordless
    change = SecurityEvent.objects.filter(kind="login_policy_changed").latest("pk")
    assert (change.actor, change.tenant, change.data["passwordless"]) == (admin_a, admin_a.tenant, True)
    assert console.get(f"/admin/accounts/tenant/{other_tenant.pk}/login-policy/").status_code == 404
    employee = session_full(Client(), employee_a)
    assert employee.get(url).status_code in (302, 403)
    assert "パスキー" in console.get("/admin/accounts/user/?passkey=yes").content.decode()


def test_an_expired_temporary_password_is_refused(phone, allowed, employee_a):
    from datetime import timedelta

    from django.utils import timezone

    employee_a.set_temporary_password()
    employee_a.password_expires_at = timezone.now() - timedelta(days=1)
    employee_a.save()
    browser = Client()
    refused_with(passwordless(browser, phone), browser, "このパスキーではログインできません")


def test_where_only_the_limited_mode_is_allowed_the_password_login_is_the_way(client, allowed, acme, admin_a,
                                                                               employee_b):
    key = SoftPasskey()
    session_full(client, employee_b)
    register(client, key)
    office_ip.access_rule_set(tenant=acme, enabled=True, networks=["192.0.2.0/24"], limited_anywhere=True,
                              actor=admin_a)
    browser = Client(REMOTE_ADDR="198.51.100.7")
    refused_with(passwordless(browser, key), browser, "「就業打刻・明細閲覧のみ利用する」を選んでください")


def test_the_browsers_trust_is_kept(phone, allowed, employee_a):
    from accounts.models import KnownBrowser
    from tests.helpers import code_for, post_code

    browser = Client()
    post_login(browser, "A1000002", trust=True)  # 「このブラウザを信頼する」
    post_code(browser, code_for(employee_a.totpdevice_set.get()))
    browser.post("/accounts/logout/")
    assert passwordless(browser, phone).status_code == 302
    browser.post("/accounts/logout/")
    assert KnownBrowser.objects.filter(user=employee_a, kept=True).count() == 1, "the trust survives the passkey login"
    mail.outbox.clear()
    assert passwordless(browser, phone).status_code == 302
    assert not mail.outbox, "still a known browser: no new-device mail"


def test_saving_the_same_policy_records_nothing(acme, admin_a):
    login_policy.login_policy_set(tenant=acme, passwordless=True, actor=admin_a)
    login_policy.login_policy_set(tenant=acme, passwordless=True, actor=admin_a)
    assert SecurityEvent.objects.filter(kind="login_policy_changed").count() == 1


def test_nothing_is_recorded_where_no_company_allows_it(phone):
    Client().post(URL, {"passkey": "{}"})
    assert not SecurityEvent.objects.filter(kind="passkey_refused").exists()


def test_the_button_in_english_asks_to_log_in(phone, allowed):
    from django.conf import settings

    browser = Client()
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # 言語 → English in the footer
    page = browser.get("/accounts/login/").content.decode()
    assert ">Log in with a passkey</button>" in page
