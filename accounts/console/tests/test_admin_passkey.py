"""「会社管理者は管理画面でパスキーでの確認を必須にする」 (ログインの設定): an administrator
verified with the app's code is asked for a passkey before the console, or sent to
register one; employees, operators and other companies are not touched."""

import pytest
from django.test import Client

from accounts.identity import login_policy
from accounts.mfa.tests.authenticator import SoftPasskey, options_of
from accounts.mfa.tests.test_passkeys import register
from accounts.models import SecurityEvent
from tests.helpers import PASSWORD, add_device, code_for, session_full

POLICY = "/admin/accounts/tenant/{}/login-policy/"


@pytest.fixture
def admin_key(client, admin_a):
    key = SoftPasskey()
    session_full(client, admin_a)
    register(client, key)
    return key


def require(tenant, actor):
    login_policy.login_policy_set(tenant=tenant, passwordless=False, admins_need_passkey=True, actor=actor)


def test_the_console_asks_a_code_verified_administrator_for_the_passkey(admin_a, admin_key, acme):
    require(acme, admin_a)
    console = session_full(Client(), admin_a)  # verified with the app's code
    response = console.get("/admin/accounts/user/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/verify/?next=%2Fadmin%2Faccounts%2Fuser%2F&passkey=required"
    page = console.get(response["Location"]).content.decode()
    assert "管理画面を使うにはパスキーでの確認が必要です" in page and "認証コード（6桁）" not in page
    code = console.post(response["Location"], {"otp_token": code_for(admin_a.totpdevice_set.get())})
    assert "管理画面にはパスキーでの確認が必要です" in code.content.decode(), "the code does not do here"
    page = console.get(response["Location"]).content.decode()
    done = console.post(response["Location"], {"passkey": admin_key.get(options_of(page))})
    assert done.status_code == 302 and done["Location"] == "/admin/accounts/user/"
    assert console.get("/admin/accounts/user/").status_code == 200
    assert SecurityEvent.objects.filter(user=admin_a, kind="step_up").latest("pk").data == {"method": "passkey"}


def test_an_administrator_without_a_passkey_is_sent_to_register_one(admin_a, acme, operator):
    add_device(operator)
    require(acme, operator)
    console = session_full(Client(), admin_a)
    response = console.get("/admin/")
    assert response.status_code == 302 and response["Location"] == "/accounts/security/"
    assert "管理画面を使うにはパスキーが必要です" in console.get("/accounts/security/").content.decode()
    assert console.get("/attendance/").status_code == 200, "their own pages stay open"


def test_employees_operators_and_other_companies_are_not_touched(admin_a, admin_key, acme, other_admin, operator,
                                                                 employee_a):
    require(acme, admin_a)
    assert session_full(Client(), other_admin).get("/admin/").status_code == 200
    add_device(operator)
    assert session_full(Client(), operator).get("/admin/").status_code == 200
    assert session_full(Client(), employee_a).get("/attendance/").status_code == 200


def test_the_setting_cannot_lock_out_the_administrator_saving_it(client, admin_a, acme):
    console = session_full(client, admin_a)
    page = console.post(POLICY.format(acme.pk), {"admins_need_passkey": "on", "recovery_codes": "on"})
    assert page.status_code == 200 and "先に、ご自身のパスキーを" in page.content.decode()
    assert not login_policy.policy_of(acme).admins_need_passkey


def test_the_administrator_with_a_passkey_turns_it_on(client, admin_a, admin_key, acme):
    console = session_full(Client(), admin_a)
    assert console.post(POLICY.format(acme.pk), {"admins_need_passkey": "on", "recovery_codes": "on"}).status_code == 302
    assert login_policy.policy_of(acme).admins_need_passkey
    change = SecurityEvent.objects.filter(kind="login_policy_changed").latest("pk")
    assert change.data["admins_need_passkey"] is True
    assert console.get("/admin/").status_code == 302, "now the console wants the passkey in this session too"


def test_a_relayed_login_cannot_bring_its_own_passkey(admin_a, admin_key, acme):
    """A fake page relays the password and the code: the session it gets cannot add a passkey
    while the administrator has one, and a first passkey of another administrator counts at
    the console only after the registration mail had PASSKEY_SETTLE_HOURS to be read."""
    require(acme, admin_a)
    relayed = session_full(Client(), admin_a)
    response = relayed.get("/accounts/security/passkeys/new/")
    assert response.status_code == 302 and "passkey=required" in response["Location"]


def test_a_passkey_registered_after_the_requirement_waits(admin_a, admin_key, acme, settings):
    from datetime import timedelta

    from accounts.models import Passkey
    from tests.helpers import make_user

    require(acme, admin_a)
    second = make_user("A1000009", acme, name="管理 次郎", admin=True, device=True)
    relayed = session_full(Client(), second)
    key = SoftPasskey()
    register(relayed, key)  # no passkey yet: allowed, and mailed
    page = relayed.get("/accounts/verify/?next=/admin/&passkey=required").content.decode()
    relayed.post("/accounts/verify/?next=/admin/&passkey=required", {"passkey": key.get(options_of(page))})
    response = relayed.get("/admin/")
    assert response.status_code == 302 and response["Location"] == "/accounts/security/", "not yet"
    assert "24時間後に管理画面で使えるようになります" in relayed.get("/accounts/security/").content.decode()
    Passkey.objects.filter(user=second).update(created_at=Passkey.objects.get(user=second).created_at
                                               - timedelta(hours=settings.PASSKEY_SETTLE_HOURS))
    assert relayed.get("/admin/").status_code == 200, "after the registration mail had its time"


def test_a_new_passkey_used_next_to_a_settled_one_asks_again_without_a_loop(client, admin_a, admin_key, acme):
    """A second passkey added later (from a passkey-verified session) is not settled yet:
    the verify page asks again instead of sending the browser back and forth."""
    from accounts.models import Passkey

    require(acme, admin_a)
    newer = SoftPasskey()
    console = session_full(Client(), admin_a)
    url = "/accounts/verify/?next=/admin/&passkey=required"
    page = console.get(url).content.decode()
    console.post(url, {"passkey": admin_key.get(options_of(page))})
    register(console, newer, name="新しいPC")
    assert Passkey.objects.filter(user=admin_a).count() == 2
    later = session_full(Client(), admin_a)  # another day, with the new PC's passkey
    page = later.get(url).content.decode()
    later.post(url, {"passkey": newer.get(options_of(page))})
    assert later.get("/admin/")["Location"].startswith("/accounts/verify/")
    assert later.get(url).status_code == 200, "the passkey step again, not a redirect loop"
