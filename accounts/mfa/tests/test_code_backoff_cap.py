"""The capped code back-off: the wait stops doubling at OTP_THROTTLE_MAX_DELAY_SECONDS, and an
attacker with the password still gets at most 100 evaluated codes a day (accounts/mfa/code_backoff.py)."""

import time
from datetime import timedelta
from unittest import mock

from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

import pytest

from accounts.mfa.code_backoff import evaluated_codes_per_day
from accounts.login.forms import TokenForm
from tests.helpers import session_limited, totp_for

from accounts.mfa.tests.test_brute_force import DAY, Clock, wrong_codes


def test_the_daily_figures():
    assert evaluated_codes_per_day() == 82  # 11 while the wait doubles to 512 s, then one per 1,200 s
    assert evaluated_codes_per_day(seconds=2 * DAY) - evaluated_codes_per_day() == 72  # a day after that
    assert evaluated_codes_per_day(cap=10 ** 9) == 17  # django-otp's uncapped doubling
    assert evaluated_codes_per_day(cap=900) == 105  # why not 15 minutes: over 100


def test_the_wait_stops_doubling_at_the_cap(employee_b, settings):
    device = TOTPDevice.objects.get(user=employee_b)
    start = time.time() - 10
    device.throttling_failure_count = 30  # uncapped: 2^29 s, 17 years
    device.throttling_failure_timestamp = Clock(start).datetime()
    device.save()
    form = TokenForm(employee_b, device)
    locked = form._chosen_device(employee_b)
    allowed, extra = locked.verify_is_allowed()
    assert not allowed
    assert extra["locked_until"] - device.throttling_failure_timestamp == timedelta(seconds=1200)
    settings.OTP_THROTTLE_MAX_DELAY_SECONDS = 1800
    locked = TokenForm(employee_b, device)._chosen_device(employee_b)
    assert locked.verify_is_allowed()[1]["locked_until"] - device.throttling_failure_timestamp \
        == timedelta(seconds=1800)


def test_a_guess_every_five_minutes_for_a_day_is_evaluated_at_most_the_daily_figure(employee_b):
    """288 wrong codes over a simulated day through the step-up (a fresh session each time, as an
    attacker holding the password would log in again): the capped back-off lets 72 through,
    under 100, where django-otp alone would have let 17."""
    device = TOTPDevice.objects.get(user=employee_b)
    clock = Clock(time.time())
    codes = wrong_codes(device, 288, clock.now)
    with mock.patch("time.time", clock.time), mock.patch("django.utils.timezone.now", clock.datetime):
        for code in codes:
            clock.now += 300
            if code in {totp_for(device).at(clock.now + d * device.step) for d in (-1, 0, 1)}:
                continue
            client = session_limited(Client(), employee_b)
            assert client.post("/accounts/verify/", {"otp_token": code}).status_code == 200
    device.refresh_from_db()
    evaluated = device.throttling_failure_count
    assert 60 <= evaluated <= evaluated_codes_per_day() <= 100


def test_check_refuses_a_cap_that_allows_more_than_100_a_day(settings):
    settings.OTP_THROTTLE_MAX_DELAY_SECONDS = 600
    with pytest.raises(SystemCheckError, match="accounts.E004"):
        call_command("check")
