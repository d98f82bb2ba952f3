"""Session lifetime: idle timeout (short in full mode, longer in the limited
mode), absolute lifetime, and a logout that ends everything."""

import time

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecurityEvent
from accounts.sessions.state import LAST_SEEN_SESSION_KEY, STARTED_SESSION_KEY
from tests.helpers import code_for, post_code, post_login, session_full, session_limited


def age(client, *, idle=0, since_login=0):
    session = client.session
    now = int(time.time())
    session[LAST_SEEN_SESSION_KEY] = now - idle
    session[STARTED_SESSION_KEY] = now - since_login
    session.save()


def logged_out(client) -> bool:
    response = client.get("/")
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_defaults(settings):
    assert settings.SESSION_IDLE_SECONDS == 30 * 60
    assert settings.SESSION_ABSOLUTE_SECONDS == 12 * 3600
    assert settings.SESSION_LIMITED_IDLE_SECONDS > settings.SESSION_IDLE_SECONDS


@pytest.mark.parametrize("idle, out", [(29 * 60, False), (31 * 60, True)])
def test_full_mode_idle_timeout(client, employee_a, idle, out):
    session_full(client, employee_a)
    age(client, idle=idle, since_login=idle)
    assert logged_out(client) is out


def test_limited_mode_keeps_a_longer_idle_session(client, employee_b, settings):
    session_limited(client, employee_b)
    age(client, idle=2 * 3600, since_login=2 * 3600)
    assert not logged_out(client)  # a punch two hours later needs no new login
    age(client, idle=settings.SESSION_LIMITED_IDLE_SECONDS + 60, since_login=settings.SESSION_LIMITED_IDLE_SECONDS + 60)
    assert logged_out(client)


def test_stepped_up_session_gets_the_full_mode_timeout(client, employee_b):
    session_full(client, employee_b)
    age(client, idle=2 * 3600, since_login=2 * 3600)
    assert logged_out(client)


@pytest.mark.parametrize("make_session", [session_full, session_limited])
def test_absolute_lifetime_ends_even_an_active_session(client, employee_b, make_session, settings):
    make_session(client, employee_b)
    age(client, idle=60, since_login=settings.SESSION_ABSOLUTE_SECONDS - 120)
    assert not logged_out(client)
    age(client, idle=60, since_login=settings.SESSION_ABSOLUTE_SECONDS + 1)
    assert logged_out(client)
    assert SecurityEvent.objects.filter(kind="logout", data__reason="lifetime").exists()


def test_timeouts_are_configurable(client, employee_a, settings):
    settings.SESSION_IDLE_SECONDS = 120
    settings.SESSION_ABSOLUTE_SECONDS = 600
    session_full(client, employee_a)
    age(client, idle=180, since_login=180)
    assert logged_out(client)
    session_full(client, employee_a)
    age(client, idle=10, since_login=700)
    assert logged_out(client)


def test_login_starts_the_lifetime_clock(client, employee_a):
    post_login(client, employee_a.login_id)
    post_code(client, code_for(TOTPDevice.objects.get(user=employee_a)))
    started = client.session[STARTED_SESSION_KEY]
    assert abs(started - time.time()) < 5


def test_logout_ends_a_half_finished_login(client, employee_a):
    device = TOTPDevice.objects.get(user=employee_a)
    response = post_login(client, employee_a.login_id)
    assert 'autocomplete="one-time-code"' in response.content.decode()  # waiting for the code
    assert any(key.startswith("wizard_") for key in client.session.keys())

    client.post("/accounts/logout/")

    assert not any(key.startswith("wizard_") for key in client.session.keys())
    response = post_code(client, code_for(device))  # the code alone must not finish the login
    assert response.status_code == 200 and 'name="auth-password"' in response.content.decode()
    assert logged_out(client)


def test_logout_ends_the_session_on_the_server(client, employee_a):
    session_full(client, employee_a)
    stolen = Client()
    stolen.cookies = client.cookies.__class__(client.cookies)  # a copied session cookie
    assert stolen.get("/").status_code == 200

    client.post("/accounts/logout/")

    assert logged_out(stolen)
    assert SecurityEvent.objects.filter(kind="logout", user=employee_a).exists()
