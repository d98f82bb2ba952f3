"""Security events: every kind is recorded by the real flow, with time, IP and
user agent; nothing secret is ever recorded or logged."""

import datetime
import logging
import re
import time
from base64 import b32encode
from binascii import unhexlify

import pyotp
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from accounts.models import Passkey

from accounts.mfa.tests.authenticator import SoftPasskey, options_of
from accounts.models import SecurityEvent
from sso.models import ServiceKey
from sso.tests import flow
from tests.helpers import (
    PASSWORD, add_device, code_for, post_choice, post_code, post_login, session_full, session_limited,
)

Kind = SecurityEvent.Kind
UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) テスト"
NEW_PASSWORD = "Another-Passw0rd-551"
WRONG = "Wrong-guess-pw-310"


def browser(**extra):
    return Client(HTTP_USER_AGENT=UA, **extra)


PASSKEYS = "/accounts/security/passkeys/"


def wrong_code(device) -> str:
    right = {code_for(device, time.time() + 30 * k) for k in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in right)


def test_every_event_kind_is_recorded_by_the_real_flow_and_nothing_secret_leaks(
        caplog, admin_a, employee_a, employee_b, fresh_a, other_user, settings):
    caplog.set_level(logging.DEBUG)
    settings.AXES_FAILURE_LIMIT = 3
    secrets = {PASSWORD, NEW_PASSWORD, WRONG}
    codes = set()

    # Login failure, then lockout (django-axes) for an ID hammered from one browser.
    attacker = browser()
    for _ in range(4):
        post_login(attacker, employee_b.login_id, WRONG)

    # Login success with the code; a wrong code, then a throttled one.
    device_a = TOTPDevice.objects.get(user=employee_a)
    secrets |= {device_a.key, b32encode(unhexlify(device_a.key)).decode().rstrip("=")}
    phone = browser()
    post_login(phone, employee_a.login_id)
    for _ in range(2):
        bad = wrong_code(device_a)
        codes.add(bad)
        post_code(phone, bad)
    TOTPDevice.objects.filter(pk=device_a.pk).update(throttling_failure_timestamp=None, throttling_failure_count=0)
    good = code_for(device_a)
    codes.add(good)
    assert post_code(phone, good).status_code == 302

    # Mode choice (limited) and step-up with the code.
    admin_device = TOTPDevice.objects.get(user=admin_a)
    lifted = session_full(browser(), admin_a).post(  # the company administrator lifts the lockout
        f"/admin/accounts/user/{employee_b.pk}/lift-lockout/", {"confirm": "yes"})
    assert lifted.status_code == 302
    device_b = TOTPDevice.objects.get(user=employee_b)
    secrets |= {device_b.key, admin_device.key}
    punch = browser()
    post_login(punch, employee_b.login_id)
    assert post_choice(punch, "limited").status_code == 302
    step_code = code_for(device_b, time.time() + 30)
    codes.add(step_code)
    assert punch.post("/accounts/verify/", {"otp_token": step_code}).status_code == 302

    # A login in a browser employee_b never logged in on (the new-device notice).
    second = browser()
    post_login(second, employee_b.login_id)
    assert post_choice(second, "limited").status_code == 302

    # Setup of a first device.
    newcomer = browser()
    post_login(newcomer, fresh_a.login_id)
    secret = newcomer.get("/accounts/setup/").context["secret_key"]
    secrets.add(secret)
    setup_code = pyotp.TOTP(secret).now()
    codes.add(setup_code)
    newcomer.post("/accounts/setup/", {"setup_view-current_step": "generator", "generator-token": setup_code})

    # Password change, a refused and a done self reset, logout.
    session_full(punch, employee_b)
    punch.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": NEW_PASSWORD,
                                       "new_password2": NEW_PASSWORD})
    punch.post("/accounts/security/reset/", {"password": WRONG})
    punch.post("/accounts/security/reset/", {"password": NEW_PASSWORD})
    punch.post("/accounts/logout/")

    # A passkey registered, refused once (a broken answer), used at the code step, removed.
    passkey = SoftPasskey()
    keyed = session_full(browser(), employee_a)
    page = keyed.post(PASSKEYS + "new/", {"name": "会社のPC", "password": PASSWORD}).content.decode()
    keyed.post(PASSKEYS + "new/", {"name": "会社のPC", "passkey": passkey.create(options_of(page))})
    login = browser()
    post_login(login, employee_a.login_id)
    page = login.post("/accounts/login/", {"login_view-current_step": "token", "token-passkey": "{}"})
    assert login.post("/accounts/login/", {"login_view-current_step": "token",
                                           "token-passkey": passkey.get(options_of(page.content.decode()))
                                           }).status_code == 302
    keyed.post(f"{PASSKEYS}{Passkey.objects.get(user=employee_a).pk}/delete/", {"password": PASSWORD})

    # 回復コード issued, then one used at the code step.
    page = keyed.post("/accounts/security/recovery-codes/", {"password": PASSWORD}).content.decode()
    recovery_codes = re.findall(r"<li><code>([A-Z0-9-]+)</code></li>", page)
    secrets.update(recovery_codes)
    lost = browser()
    post_login(lost, employee_a.login_id)
    assert lost.post("/accounts/login/", {"login_view-current_step": "token",
                                          "token-recovery": recovery_codes[0]}).status_code == 302

    # 従業員の一括登録: another company's ID refused; a new employee; 退職 and back.
    console = session_full(browser(), admin_a)

    def imported(rows):
        preview = console.post("/admin/accounts/user/import/", {"file": SimpleUploadedFile(
            "e.csv", ("ログインID,状態\r\n" + rows).encode())})
        token = re.search(r'name="token" value="([^"]+)"', preview.content.decode())
        if token:
            done = console.post("/admin/accounts/user/import/confirm/", {"token": token.group(1)})
            secrets.update(re.findall(r'class="temporary-password">([^<]+)<', done.content.decode()))

    imported(f"{other_user.login_id},在籍\r\n")
    imported(f"B1000091,在籍\r\n{fresh_a.login_id},退職\r\n")
    imported(f"{fresh_a.login_id},在籍\r\n")
    # 列の対応: a column the title does not name, read as 社員番号 from now on.
    preview = console.post("/admin/accounts/user/import/", {"file": SimpleUploadedFile(
        "e.csv", "ログインID,番号\r\nB1000092,7\r\n".encode())}).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', preview.split("import-columns")[-1]).group(1)
    console.post("/admin/accounts/user/import/columns/", {"token": token, "title": ["ログインID", "番号"],
                                                          "column": ["ログインID", "社員番号"]})

    # Temporary password issued by the administrator.
    response = console.post("/admin/accounts/user/", {
        "action": "issue_temporary_password_action", "_selected_action": [employee_a.pk], "confirm": "yes"})
    secrets.add(re.search(r'class="temporary-password">([^<]+)<', response.content.decode()).group(1))
    # A request decided in the console (the products' decision services record it).
    from attendance.models import AttendanceRequest

    filed = AttendanceRequest.objects.create(user=employee_b, kind=AttendanceRequest.Kind.LEAVE, reason="私用",
                                             start_date=datetime.date.today() + datetime.timedelta(days=3))
    console.post("/admin/attendance/attendancerequest/", {"action": "reject", "_selected_action": [filed.pk]})
    # A login ID of another company refused (accounts/identity/login_ids.py).
    from tests.helpers import make_operator

    make_operator("A9000009")
    console.post("/admin/accounts/user/add/", {"login_id": "A9000009", "is_active": "on"})

    # ログインの設定: the administrator allows a passkey alone.
    assert console.post(f"/admin/accounts/tenant/{admin_a.tenant_id}/login-policy/",
                        {"passwordless": "on", "recovery_codes": "on"}).status_code == 302

    # シングルサインオン: the administrator saves the provider, tests the connection and requires it
    # of A-IDs (naming themself for break-glass); a forged answer and an A-ID's password are
    # refused; the break-glass administrator logs in with the password and the code.
    flow.need_xmlsec1()
    idp = flow.provider(admin_a.tenant)
    secrets.add(ServiceKey.objects.get(tenant=admin_a.tenant).private_key.splitlines()[3])
    sso_page = "/admin/sso/ssosettings/"
    assert console.post(sso_page, {"idp_metadata": idp.metadata, "second_factor": "unless_mfa",
                                   "password": PASSWORD}).status_code == 302
    flow.answer(console, idp, console.post(sso_page + "test/", {"password": PASSWORD})["Location"], admin_a.login_id)
    assert console.post(sso_page, {"second_factor": "unless_mfa", "enabled": "on", "a_ids_require_sso": "on",
                                   "break_glass": [admin_a.pk], "password": PASSWORD}).status_code == 302
    forged = browser()
    flow.answer(forged, idp, flow.start(forged, "acme"), employee_a.login_id,
                tamper=lambda xml: xml.replace(f">{employee_a.login_id}<", f">{admin_a.login_id}<"))
    glass = browser()
    post_login(glass, admin_a.login_id)
    glass_code = code_for(admin_device)
    codes.add(glass_code)
    assert post_code(glass, glass_code).status_code == 302
    idp.close()

    # 社外からのアクセス制限: the administrator allows their own address, an operator
    # narrows it to another network, and a login from here is refused (the password was right).
    restriction = f"/admin/accounts/tenant/{admin_a.tenant_id}/ip-restriction/"
    assert console.post(restriction, {"enabled": "on", "allowed_networks": "127.0.0.1"}).status_code == 302
    operator = make_operator("A9000010")
    add_device(operator)
    assert session_full(browser(), operator).post(
        restriction, {"enabled": "on", "allowed_networks": "192.0.2.0/24"}).status_code == 302
    assert "社外からのアクセス" in post_login(browser(), employee_b.login_id, NEW_PASSWORD).content.decode()

    recorded = set(SecurityEvent.objects.values_list("kind", flat=True))
    assert recorded == set(Kind.values), f"missing: {set(Kind.values) - recorded}"

    by_kind = {e.kind: e for e in SecurityEvent.objects.order_by("created_at")}
    assert by_kind[Kind.LOCKOUT].login_id == employee_b.login_id
    assert by_kind[Kind.MODE_CHOSEN].data == {"mode": "limited"}
    assert (by_kind[Kind.TEMP_PASSWORD_ISSUED].user, by_kind[Kind.TEMP_PASSWORD_ISSUED].actor) == (employee_a, admin_a)
    for event in SecurityEvent.objects.all():
        assert event.created_at and event.ip_address == "127.0.0.1" and event.user_agent == UA, event

    stored = " ".join(
        " ".join(str(v) for v in row) for row in SecurityEvent.objects.values_list(
            "login_id", "detail", "data", "user_agent", "ip_address"))
    logged = caplog.text
    for secret in secrets:
        assert secret not in stored and secret not in logged
    for code in codes:
        assert not re.search(rf"(?<!\d){code}(?!\d)", stored)
        assert not re.search(rf"(?<![\d.]){code}(?!\d)", logged)


def test_ip_is_remote_addr_when_no_proxy_is_trusted(employee_a, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    client = Client(REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.66")
    post_login(client, employee_a.login_id, WRONG)
    assert SecurityEvent.objects.get(kind=Kind.LOGIN_FAILURE).ip_address == "198.51.100.7"


def test_ip_comes_from_the_trusted_proxy_hop(employee_a, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client forged the first entry; our proxy appended the real address.
    client = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    post_login(client, employee_a.login_id, WRONG)
    assert SecurityEvent.objects.get(kind=Kind.LOGIN_FAILURE).ip_address == "203.0.113.9"


def test_reset_event_names_who_reset_whom(client, admin_a, employee_a):
    session_full(client, admin_a)
    client.post(f"/admin/accounts/user/{employee_a.pk}/reset-2fa/", {"confirm": "yes", "password": PASSWORD})
    event = SecurityEvent.objects.get(kind=Kind.RESET)
    assert (event.user, event.actor, event.tenant) == (employee_a, admin_a, employee_a.tenant)
    assert event.login_id == employee_a.login_id and event.data == {"actor_login_id": admin_a.login_id}


@pytest.mark.parametrize("mode", ["limited", "full"])
def test_mode_choice_is_recorded(client, employee_b, mode):
    post_login(client, employee_b.login_id)
    post_choice(client, mode)
    assert SecurityEvent.objects.get(kind=Kind.MODE_CHOSEN).data == {"mode": mode}


def test_limited_mode_login_is_recorded_as_a_success(client, employee_b):
    session_limited(client, employee_b)  # (force_login records nothing)
    assert not SecurityEvent.objects.filter(kind=Kind.LOGIN_SUCCESS).exists()
    post_login(client, employee_b.login_id)
    post_choice(client, "limited")
    assert SecurityEvent.objects.get(kind=Kind.LOGIN_SUCCESS).data == {"method": "limited"}
