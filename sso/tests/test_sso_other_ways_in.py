"""「A-IDはシングルサインオンでのみログインできる」 holds for every way in besides single
sign-on (the passkey alone too), and the portal says truly how the login was proved."""

import pytest
from django.core import mail
from django.test import Client

from accounts.identity import login_policy
from accounts.mfa.tests.authenticator import SoftPasskey
from accounts.mfa.tests.test_passkeys import register
from accounts.models import SecurityEvent
from sso.models import SsoSettings
from sso.tests import flow
from sso.tests.idp import MFA_CONTEXT
from sso.tests.test_sso_login import acme_idp  # noqa: F401 (a fixture)
from tests.helpers import session_full

URL = "/accounts/login/passkey/"


def passkey_of(user):
    key, browser = SoftPasskey(), Client()
    session_full(browser, user)
    register(browser, key)
    mail.outbox.clear()
    return key


def passwordless(key):
    browser = Client()
    options = browser.post(URL, {"begin": "1"}).json()
    return browser, browser.post(URL, {"passkey": key.get(options)})


@pytest.fixture
def required(acme, admin_a):
    login_policy.login_policy_set(tenant=acme, passwordless=True, actor=admin_a)
    return SsoSettings.objects.create(tenant=acme, enabled=True, a_ids_require_sso=True)


def test_a_passkey_alone_does_not_let_an_a_id_past_single_sign_on(employee_a, required):
    key = passkey_of(employee_a)
    browser, response = passwordless(key)
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in browser.session
    assert "シングルサインオンでのみ" in browser.get("/accounts/login/").content.decode()
    assert SecurityEvent.objects.filter(user=employee_a, kind="sso_refused").exists()


def test_a_break_glass_administrators_passkey_login_is_recorded_and_mailed(acme, admin_a, required):
    admin_a.email = "kanri@acme.example"
    admin_a.save()
    required.break_glass.add(admin_a)
    key = passkey_of(admin_a)
    browser, response = passwordless(key)
    assert response.status_code == 302 and "_auth_user_id" in browser.session
    assert SecurityEvent.objects.filter(user=admin_a, kind="sso_break_glass").count() == 1
    assert [m.to[0] for m in mail.outbox if "例外ログイン" in m.subject] == ["kanri@acme.example"]


def test_after_single_sign_on_the_portal_does_not_claim_our_code_was_entered(client, acme, employee_a, acme_idp):
    flow.connect(acme, acme_idp)
    location = flow.start(client, "acme", next_path="/")
    flow.answer(client, acme_idp, location, "A1000002", context=MFA_CONTEXT)
    page = client.get("/").content.decode()
    assert "認証コードで確認済み" not in page
    assert "会社のアカウント（シングルサインオン）でログインしたため" in page
