"""1,000 wrong codes against one account: how many does the server actually evaluate?

django-otp's exponential back-off (``OTP_TOTP_THROTTLE_FACTOR`` = 1) lets the
n-th consecutive failure be followed by an evaluated guess only after
2^(n-1) seconds; every other guess is refused without being compared. The
figure that matters is ``throttling_failure_count``: the number of guesses
that were really compared with the secret. Reproduce the figures with::

    .venv/bin/pytest -s accounts/mfa/tests/test_brute_force.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/netdekomon .venv/bin/pytest -s \
        accounts/mfa/tests/test_brute_force.py   # adds the 50-in-parallel run

The bursts send ``BRUTE_FORCE_GUESSES`` codes (1,000 for the figures in
docs/security.md; 300 in `make test`, where the assertion is the same and a
burst of 1,000 cost 20–36 s).
"""

import math
import os
import threading
import time
from datetime import datetime, timezone as dt_timezone
from unittest import mock

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.mfa.code_backoff import evaluated_codes_per_day
from tests.helpers import post_choice, post_code, post_login, session_limited, totp_for

GUESSES = 1000  # over the simulated day
BURST = int(os.environ.get("BRUTE_FORCE_GUESSES", "300"))  # sequential and in parallel
DAY = 24 * 3600


def backoff_allowance(seconds: float) -> int:
    """Most guesses django-otp evaluates within ``seconds``: the k-th needs 1+2+…+2^(k-2) s before it
    while the doubling wait is under the cap (OTP_THROTTLE_MAX_DELAY_SECONDS), then one per cap."""
    factor, cap = settings.OTP_TOTP_THROTTLE_FACTOR, settings.OTP_THROTTLE_MAX_DELAY_SECONDS
    doublings = 1 + math.floor(math.log2(seconds / factor + 1))
    if factor * 2 ** (doublings - 2) < cap:  # the cap was not reached within ``seconds``
        return doublings
    return evaluated_codes_per_day(seconds=math.floor(seconds) + 1)


def wrong_codes(device, count, at):
    """``count`` codes that are valid in no time step near ``at``."""
    totp = totp_for(device)
    valid = {totp.at(at + d * device.step) for d in range(-2, 3)}
    codes, n = [], 0
    while len(codes) < count:
        code = f"{(n * 7919 + 123457) % 1_000_000:06d}"
        n += 1
        if code not in valid:
            codes.append(code)
    return codes


class Clock:
    """A fake wall clock for time.time() and timezone.now()."""

    def __init__(self, start: float):
        self.now = start

    def time(self):
        return self.now

    def datetime(self):
        return datetime.fromtimestamp(self.now, tz=dt_timezone.utc)


def test_allowance_arithmetic():
    assert backoff_allowance(0) == 1
    assert backoff_allowance(1) == 2  # second guess after the 1 s delay
    assert backoff_allowance(3) == 3  # 1 + 2
    assert backoff_allowance(1023) == 11  # 1 + 2 + … + 512 s: the last wait under the 1,200 s cap
    assert backoff_allowance(DAY) == 82  # then one every 1,200 s (accounts/mfa/code_backoff.py)
    assert backoff_allowance(DAY) <= 100


def _step_up(client, user):
    session_limited(client, user)
    return lambda code: client.post("/accounts/verify/", {"otp_token": code, "next": "/"})


def _login_code_step(client, user):
    post_login(client, user.login_id)  # password known; the code step of the login wizard
    post_choice(client, "full")
    return lambda code: post_code(client, code)


@pytest.mark.parametrize("entry", [_step_up, _login_code_step], ids=["step-up page", "login code step"])
def test_sequential_burst_is_throttled(client, employee_b, capsys, entry):
    """``BURST`` wrong codes as fast as the server answers."""
    send = entry(client, employee_b)
    device = TOTPDevice.objects.get(user=employee_b)
    started = time.monotonic()
    throttled_answers = 0
    for code in wrong_codes(device, BURST, time.time()):
        response = send(code)
        assert response.status_code == 200
        throttled_answers += "一時的に入力を受け付けていません" in response.content.decode()
    elapsed = time.monotonic() - started
    device.refresh_from_db()
    evaluated = device.throttling_failure_count
    with capsys.disabled():
        print(f"\n[brute force] sequential via the {entry.__name__.strip('_').replace('_', ' ')}: "
              f"{BURST} wrong codes in {elapsed:.1f} s, "
              f"{evaluated} evaluated (back-off allows {backoff_allowance(elapsed)})")
    assert 1 <= evaluated <= backoff_allowance(elapsed)
    assert throttled_answers == BURST - evaluated
    assert client.session.get("otp_device_id") is None


def test_spread_over_24_hours_stays_under_the_allowance(client, employee_b, capsys):
    """1,000 wrong codes spread evenly over a (simulated) day: within the capped back-off's 82, under 100.

    The session's absolute lifetime (12 h) ends the attempt half-way."""
    session_limited(client, employee_b)
    device = TOTPDevice.objects.get(user=employee_b)
    clock = Clock(time.time())
    codes = wrong_codes(device, GUESSES, clock.now)
    interval = DAY / GUESSES
    with mock.patch("time.time", clock.time), mock.patch("django.utils.timezone.now", clock.datetime):
        for i, code in enumerate(codes):
            clock.now += interval
            valid = {totp_for(device).at(clock.now + d * device.step) for d in (-1, 0, 1)}
            if code in valid:  # the clock moved on: never send a code that happens to be right now
                continue
            client.post("/accounts/verify/", {"otp_token": code})
    device.refresh_from_db()
    evaluated = device.throttling_failure_count
    with capsys.disabled():
        print(f"\n[brute force] 24 h: {GUESSES} wrong codes, one every {interval:.1f} s, "
              f"{evaluated} evaluated (back-off allows {backoff_allowance(DAY)} a day)")
    assert evaluated <= backoff_allowance(DAY) <= 100
    assert evaluated >= 8  # the delays 1…64 s are shorter than the interval: those guesses were compared


@pytest.mark.django_db(transaction=True)
def test_fifty_in_parallel_on_postgresql(on_postgres, employee_b, capsys):
    """``BURST`` wrong codes, 50 requests at a time (one session): the row lock serialises them.

    On a loaded machine a request may wait longer than DATABASE_LOCK_TIMEOUT_MS
    for the lock: it is answered 「混み合っています」 (503, Retry-After) and
    compares nothing, as in production."""
    bootstrap = session_limited(Client(), employee_b)
    cookie = bootstrap.cookies[settings.SESSION_COOKIE_NAME].value
    device = TOTPDevice.objects.get(user=employee_b)
    codes = wrong_codes(device, BURST, time.time())
    statuses, lock = [], threading.Lock()

    def attacker(chunk):
        client = Client(raise_request_exception=False)
        client.cookies[settings.SESSION_COOKIE_NAME] = cookie
        try:
            for code in chunk:
                response = client.post("/accounts/verify/", {"otp_token": code})
                busy = response.status_code == 503 and response.get("Retry-After") is not None
                with lock:
                    statuses.append("busy" if busy else response.status_code)
        finally:
            connection.close()

    workers = [threading.Thread(target=attacker, args=(codes[i::50],)) for i in range(50)]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.monotonic() - started
    device.refresh_from_db()
    evaluated = device.throttling_failure_count
    with capsys.disabled():
        print(f"\n[brute force] 50 in parallel on PostgreSQL: {BURST} wrong codes in {elapsed:.1f} s, "
              f"{evaluated} evaluated (back-off allows {backoff_allowance(elapsed)}), "
              f"{statuses.count('busy')} answered 混み合っています")
    assert len(statuses) == BURST and set(statuses) <= {200, "busy"} and statuses.count(200) > BURST // 2
    assert 1 <= evaluated <= backoff_allowance(elapsed)
