"""The shared cache is an accelerator, never a dependency: every flow works,
quickly, with the test's own Redis paused, killed or restored from an old
snapshot, and nothing the cache holds brings back an ended session or a
withdrawn licence (issue 21; docs/security.md "Faults").

Each test starts its own ``redis-server`` on a free port (tests/redis_server.py,
fixture ``faulty_cache``: the production timeout of 100 ms, a breaker that
probes again after 0.3 s). Run in both passes; required under CI."""

import logging
import re
import time
from unittest import mock

import pyotp
import pytest
from django.conf import settings
from django.test import Client

from accounts.models import User
from accounts.people.offboarding import user_offboard
from accounts.people.services import (
    user_change_password,
    user_issue_temporary_password,
    user_reset_2fa,
)
from attendance.models import Punch
from licensing.services import licence_set
from tests.helpers import PASSWORD, code_for, post_choice, post_code, post_login, session_full

pytestmark = pytest.mark.django_db(transaction=False)


def device_of(user):
    return user.totpdevice_set.get()


def token_from(response) -> str:
    return re.search(r'name="token" value="([0-9a-f]{32})"', response.content.decode()).group(1)


def licence_sets_in(server) -> list:
    return server.client().keys("*licences:*")


def is_login_page(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def every_flow(employee_a, employee_b, admin_a, fresh_a) -> None:
    """Login (A-ID with the code; B-ID limited, then step-up), the 2FA setup,
    portal, punch, payslips, the console, logout — as a user would, asserting
    each answer."""
    a = Client()
    assert post_login(a, employee_a.login_id).status_code == 200
    response = post_code(a, code_for(device_of(employee_a)))
    assert response.status_code == 302 and response["Location"] == "/"
    assert a.get("/").status_code == 200
    token = token_from(a.get("/attendance/"))
    assert a.post("/attendance/", {"kind": "in", "token": token}).status_code == 302
    assert Punch.objects.filter(user=employee_a).count() == 1
    assert a.get("/payslips/").status_code == 200

    b = Client()
    post_login(b, employee_b.login_id)
    assert post_choice(b, "limited").status_code == 302
    assert b.get("/attendance/").status_code == 200
    response = b.post("/accounts/verify/", {"otp_token": code_for(device_of(employee_b)), "next": "/"})
    assert response.status_code == 302
    assert b.get("/accounts/sessions/").status_code == 200  # needs the full mode

    new = Client()
    post_login(new, fresh_a.login_id)
    secret = new.get("/accounts/setup/").context["secret_key"]
    response = new.post("/accounts/setup/", {"setup_view-current_step": "generator",
                                             "generator-token": pyotp.TOTP(secret).now()})
    assert response.status_code == 302 and new.get("/").status_code == 200

    console = Client()
    post_login(console, admin_a.login_id)
    post_code(console, code_for(device_of(admin_a), at=time.time() + 30))
    assert console.get("/admin/").status_code == 200

    old = a.cookies["sessionid"].value
    assert a.post("/accounts/logout/").status_code == 302
    replay = Client()
    replay.cookies["sessionid"] = old
    assert is_login_page(replay.get("/"))


def test_redis_paused_every_flow_works_and_answers_quickly(faulty_cache, employee_a, employee_b, admin_a,
                                                          fresh_a):
    faulty_cache.pause()
    started = time.monotonic()
    every_flow(employee_a, employee_b, admin_a, fresh_a)
    # One 100 ms timeout opens the breaker; a probe every 0.3 s costs another.
    # Loose: a behaviour bound (before: ~4 s for the login alone), not a benchmark.
    assert time.monotonic() - started < 3.0
    faulty_cache.resume()


def test_redis_paused_a_login_answers_within_a_bound(faulty_cache, employee_a):
    faulty_cache.pause()
    client = Client()
    started = time.monotonic()
    post_login(client, employee_a.login_id)
    response = post_code(client, code_for(device_of(employee_a)))
    assert client.get("/").status_code == 200
    assert response.status_code == 302 and time.monotonic() - started < 1.5
    faulty_cache.resume()


def test_redis_paused_requests_stay_off_it(faulty_cache, employee_b):
    client = Client()
    session_full(client, employee_b)
    assert client.get("/attendance/").status_code == 200
    faulty_cache.pause()
    started = time.monotonic()
    for _ in range(20):
        assert client.get("/attendance/").status_code == 200
    # Without the breaker each request waits its own timeout: 20 × 100 ms = 2 s at least.
    assert time.monotonic() - started < 1.5
    faulty_cache.resume()


def test_redis_down_every_flow_works(faulty_cache, employee_a, employee_b, admin_a, fresh_a):
    faulty_cache.stop()
    every_flow(employee_a, employee_b, admin_a, fresh_a)


def test_redis_down_logout_really_ends_the_session(faulty_cache, employee_b):
    client = Client()
    session_full(client, employee_b)
    assert client.get("/").status_code == 200
    old = client.cookies["sessionid"].value
    faulty_cache.stop()
    assert client.post("/accounts/logout/").status_code == 302
    faulty_cache.start()  # back, empty
    replay = Client()
    replay.cookies["sessionid"] = old
    assert is_login_page(replay.get("/"))


def _end(how, *, victim, user, admin, client_of_user):
    if how == "logout":
        assert victim.post("/accounts/logout/").status_code == 302
    elif how == "ended from the list":
        row = user.login_sessions.get(session_key=victim.cookies["sessionid"].value)
        assert client_of_user.post("/accounts/sessions/logout/", {"session": row.pk}).status_code == 302
    elif how == "others":
        assert client_of_user.post("/accounts/sessions/logout-others/").status_code == 302
    elif how == "password change":
        user_change_password(user=User.objects.get(pk=user.pk), new_password="Another-horse-7-battery")
    elif how == "2FA reset (self)":
        assert client_of_user.post("/accounts/security/reset/", {"password": PASSWORD}).status_code == 302
    elif how == "2FA reset (admin)":
        user_reset_2fa(user=User.objects.get(pk=user.pk), actor=admin)
    elif how == "temporary password":
        user_issue_temporary_password(user=User.objects.get(pk=user.pk), actor=admin, notify=False)
    elif how == "退職":
        user_offboard(user=User.objects.get(pk=user.pk), actor=admin)
    elif how == "timeout":
        later = time.time() + settings.SESSION_IDLE_SECONDS + 60
        with mock.patch("accounts.sessions.lifetime.time.time", return_value=later):
            assert is_login_page(victim.get("/"))
    else:
        raise AssertionError(how)


@pytest.mark.parametrize("how", ["logout", "ended from the list", "others", "password change",
                                 "2FA reset (self)", "2FA reset (admin)", "temporary password", "退職",
                                 "timeout"])
def test_an_ended_session_stays_ended_when_redis_is_restored_from_before(faulty_cache, how, employee_a,
                                                                           admin_a):
    victim, own = Client(), Client()
    session_full(victim, employee_a)
    session_full(own, employee_a)
    for client in (victim, own):
        assert client.get("/").status_code == 200
        assert client.get("/attendance/").status_code == 200
    old = victim.cookies["sessionid"].value
    before = faulty_cache.snapshot()  # Redis as it was while the session was alive

    _end(how, victim=victim, user=employee_a, admin=admin_a, client_of_user=own)

    faulty_cache.restore(before)
    replay = Client()
    replay.cookies["sessionid"] = old
    assert is_login_page(replay.get("/"))
    assert is_login_page(replay.get("/attendance/"))


def test_a_licence_withdrawn_while_redis_was_paused_stays_withdrawn(faulty_cache, acme, employee_b):
    client = Client()
    session_full(client, employee_b)
    assert client.get("/attendance/").status_code == 200
    assert licence_sets_in(faulty_cache)  # the set is in Redis
    before = faulty_cache.snapshot()
    faulty_cache.pause()
    licence_set(tenant=acme, product_code="attendance", in_use=False)
    assert client.get("/attendance/").status_code == 404
    faulty_cache.resume()
    # Redis back holding the old set (whatever the change tried to tell it
    # while paused is overwritten: restarted from its last dump).
    faulty_cache.restore(before)
    time.sleep(0.35)  # the breaker's probe is due
    assert client.get("/attendance/").status_code == 404
    assert 'data-product="attendance"' not in client.get("/").content.decode()


def test_a_licence_withdrawn_stays_withdrawn_when_redis_is_restored_from_before(faulty_cache, acme, employee_b):
    client = Client()
    session_full(client, employee_b)
    assert client.get("/attendance/").status_code == 200
    assert licence_sets_in(faulty_cache)
    before = faulty_cache.snapshot()
    licence_set(tenant=acme, product_code="attendance", in_use=False)
    assert client.get("/attendance/").status_code == 404
    faulty_cache.restore(before)
    assert client.get("/attendance/").status_code == 404


def test_one_warning_when_the_cache_goes_and_one_when_it_is_back(faulty_cache, employee_b, caplog):
    client = Client()
    session_full(client, employee_b)
    assert client.get("/attendance/").status_code == 200
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        faulty_cache.stop()
        for _ in range(5):
            assert client.get("/attendance/").status_code == 200
            time.sleep(0.1)  # probes fail as well: still one line
        faulty_cache.start()
        time.sleep(0.35)
        for _ in range(3):
            assert client.get("/attendance/").status_code == 200
    lines = [r for r in caplog.records if r.name == "accounts.shared_cache"]
    assert [r.levelno for r in lines] == [logging.WARNING, logging.WARNING], [r.getMessage() for r in lines]
    assert "unavailable" in lines[0].getMessage() and "back" in lines[1].getMessage()
    assert all(r.exc_info is None for r in caplog.records), "no traceback per call"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
