"""「新しい端末からログインがありました」: once per new browser, never for a recognised one."""

import pytest
from django.core import mail
from django.test import Client

from accounts.identity.known_browsers import COOKIE as KNOWN_BROWSER_COOKIE
from accounts.models import SecurityEvent
from tests.helpers import code_for, post_choice, post_code, post_login

from netdekomon.tests.test_settings import start

UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"


def log_in_limited(client, user, *, trust=False):
    post_login(client, user.login_id, trust=trust)
    response = post_choice(client, "limited")
    assert response.status_code == 302 and response["Location"] == "/"
    return client


def browser():
    return Client(HTTP_USER_AGENT=UA, REMOTE_ADDR="203.0.113.9")


def notices():
    return [m for m in mail.outbox if "新しい端末からログインがありました" in m.subject]


def test_the_first_login_of_a_new_account_sends_nothing(employee_b):
    log_in_limited(browser(), employee_b)
    assert notices() == [] and not SecurityEvent.objects.filter(kind="new_device").exists()


def test_a_new_browser_is_told_once_and_a_recognised_one_never(employee_b):
    first = log_in_limited(browser(), employee_b, trust=True)
    second = log_in_limited(browser(), employee_b, trust=True)
    assert len(notices()) == 1
    message = notices()[0]
    assert message.to == [employee_b.email]
    assert "203.0.113.9" in message.body and "Chrome 124・Windows 10・パソコン" in message.body
    assert "2要素認証の初期化と仮パスワードの発行を依頼" in message.body
    assert SecurityEvent.objects.filter(kind="new_device", user=employee_b).count() == 1

    for client in (first, second, second):  # the same browsers again (trusted: logging out keeps it)
        client.post("/accounts/logout/")
        log_in_limited(client, employee_b, trust=True)
    assert len(notices()) == 1


def test_the_full_mode_login_is_a_login_too(employee_a):
    device = employee_a.totpdevice_set.get()
    employee_a.last_login = employee_a.date_joined
    employee_a.save(update_fields=["last_login"])
    client = browser()
    post_login(client, employee_a.login_id)
    assert post_code(client, code_for(device)).status_code == 302
    assert len(notices()) == 1 and notices()[0].to == [employee_a.email]


def test_the_cookie_is_signed_httponly_and_per_user(employee_b, temp_b):
    client = log_in_limited(browser(), employee_b)
    cookie = client.cookies[KNOWN_BROWSER_COOKIE]
    assert cookie["httponly"] and int(cookie["max-age"]) == 30 * 86400
    # Another user on the same browser is new to them; a forged cookie is nobody's.
    log_in_limited(browser(), temp_b)
    client.post("/accounts/logout/")
    temp_b.refresh_from_db()
    log_in_limited(client, temp_b)
    assert [m.to for m in notices()] == [[temp_b.email]]
    forged = browser()
    forged.cookies[KNOWN_BROWSER_COOKIE] = str(employee_b.pk)
    log_in_limited(forged, employee_b)
    assert [m.to for m in notices()] == [[temp_b.email], [employee_b.email]]


def test_without_an_address_the_event_is_still_recorded(employee_b):
    employee_b.email = ""
    employee_b.save(update_fields=["email"])
    log_in_limited(browser(), employee_b)
    log_in_limited(browser(), employee_b)
    assert notices() == []
    event = SecurityEvent.objects.get(kind="new_device")
    assert event.user == employee_b and event.ip_address == "203.0.113.9"


def test_the_file_backend_writes_the_notice_where_the_environment_says(employee_b, settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path)
    log_in_limited(browser(), employee_b)
    log_in_limited(browser(), employee_b)
    written = "".join(p.read_text() for p in tmp_path.iterdir())
    assert "=?utf-8?" in written or "新しい端末" in written


@pytest.mark.parametrize("env,message", [
    ({"EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend"}, "EMAIL_FILE_PATH must be set"),
    ({"EMAIL_USE_TLS": "true", "EMAIL_USE_SSL": "true"}, "cannot both be true"),
    ({"EMAIL_PORT": "smtp"}, "EMAIL_PORT has a wrong value"),
    ({"EMAIL_USE_TLS": "ja"}, "EMAIL_USE_TLS must be true or false"),
])
def test_wrong_email_settings_fail_at_start(env, message):
    status, _out, err = start(**env)
    assert status != 0 and message in err


def test_email_settings_come_from_the_environment(tmp_path):
    import json
    import subprocess
    import sys

    from netdekomon.tests.test_settings import ROOT

    code = ("import django, json; django.setup(); from django.conf import settings as s; print(json.dumps("
            "[s.EMAIL_BACKEND, s.EMAIL_FILE_PATH, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_SSL, s.EMAIL_TIMEOUT]))")
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "netdekomon.settings",
           "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend", "EMAIL_FILE_PATH": str(tmp_path),
           "EMAIL_HOST": "smtp.example", "EMAIL_PORT": "465", "EMAIL_USE_SSL": "yes", "EMAIL_TIMEOUT": "5"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [
        "django.core.mail.backends.filebased.EmailBackend", str(tmp_path), "smtp.example", 465, True, 5]
