"""The login wizard's code step: the six-digit code as people type it, replays,
wrong codes recorded without the code, and django-otp's back-off shown in
Japanese."""

import re
from datetime import timedelta
from types import SimpleNamespace
from unittest import mock

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.login.tests.test_bad_input import errors_of
from accounts.login.tests.test_login_wizard import client_factory, device_of, logged_in  # noqa: F401 (a fixture)
from accounts.models import SecurityEvent
from tests.helpers import code_for, post_code, post_login

NOW = 1_800_000_015  # a fixed instant, 15 s into its 30-second step


def clock(at):
    return mock.patch("django_otp.plugins.otp_totp.models.time", SimpleNamespace(time=lambda: at))


# --- codes ---------------------------------------------------------------

def test_pyotp_code_logs_in(client, employee_a):
    post_login(client, "A1000002")
    response = post_code(client, code_for(device_of(employee_a)))
    assert response.status_code == 302 and response["Location"] == "/"
    assert logged_in(client)


@pytest.mark.parametrize("shape", ["full-width", "google-authenticator-space", "full-width-space", "padded"])
def test_code_as_people_type_it_is_accepted(client, employee_a, shape):
    """Decided: full-width digits (Japanese IME) and "123 456" (as Google Authenticator shows it)."""
    code = code_for(device_of(employee_a))
    typed = {
        "full-width": code.translate(str.maketrans("0123456789", "０１２３４５６７８９")),
        "google-authenticator-space": f"{code[:3]} {code[3:]}",
        "full-width-space": f"{code[:3]}\u3000{code[3:]}",
        "padded": f" {code} ",
    }[shape]
    post_login(client, "A1000002")
    assert post_code(client, typed).status_code == 302
    assert logged_in(client)


def test_full_width_and_lower_case_login_id(client, employee_a):
    response = post_login(client, "ａ１０００００２")
    assert 'autocomplete="one-time-code"' in response.content.decode()


def test_replay_in_the_same_time_step_is_rejected(client, client_factory, employee_a):
    device = device_of(employee_a)
    code = code_for(device, NOW)
    with clock(NOW):
        post_login(client, "A1000002")
        assert post_code(client, code).status_code == 302
    other = client_factory()
    with clock(NOW + 10):
        post_login(other, "A1000002")
        response = post_code(other, code)
    assert response.status_code == 200
    assert "認証コードが正しくありません" in errors_of(response)
    assert not logged_in(other)


def test_previous_step_code_after_a_success_is_rejected(client, client_factory, employee_a):
    device = device_of(employee_a)
    with clock(NOW):
        post_login(client, "A1000002")
        assert post_code(client, code_for(device, NOW)).status_code == 302
        other = client_factory()
        post_login(other, "A1000002")
        # Within the tolerance window, but older than the code just used.
        response = post_code(other, code_for(device, NOW - 30))
    assert response.status_code == 200
    assert not logged_in(other)
    assert device_of(employee_a).throttling_failure_count == 1  # counted as a wrong guess
    TOTPDevice.objects.filter(user=employee_a).update(throttling_failure_count=0)
    with clock(NOW + 30):  # the next step's code still works
        assert post_code(other, code_for(device, NOW + 30)).status_code == 302


def test_wrong_code_is_recorded_without_the_code(client, employee_a):
    post_login(client, "A1000002")
    response = post_code(client, "000000" if code_for(device_of(employee_a)) != "000000" else "111111")
    assert "認証コードが正しくありません" in errors_of(response)
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.CODE_FAILURE)
    assert event.user == employee_a and "000000" not in event.detail + str(event.data)
    assert device_of(employee_a).throttling_failure_count == 1


# --- throttling (django-otp's back-off) -----------------------------------

def frozen_otp_clock(at):
    return mock.patch("django_otp.models.timezone", SimpleNamespace(now=lambda: at))


def test_throttling_delay_is_shown_in_japanese(client, employee_a):
    device = device_of(employee_a)
    start = timezone.now()
    post_login(client, "A1000002")
    with frozen_otp_clock(start):
        post_code(client, "999999" if code_for(device) != "999999" else "888888")
        response = post_code(client, code_for(device))  # right code, but too soon
    assert response.status_code == 200
    assert re.search(r"一時的に入力を受け付けていません。\d+ 秒ほど待って", errors_of(response))
    assert device_of(employee_a).throttling_failure_count == 1  # the throttled try is not evaluated
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.CODE_THROTTLED).count() == 1
    with frozen_otp_clock(start + timedelta(seconds=1.1)):
        assert post_code(client, code_for(device)).status_code == 302
    assert device_of(employee_a).throttling_failure_count == 0


def test_throttling_delay_doubles(client, employee_a):
    device = device_of(employee_a)
    start = timezone.now()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=3,
                                                   throttling_failure_timestamp=start)
    post_login(client, "A1000002")
    with frozen_otp_clock(start + timedelta(seconds=3.5)):  # 3rd failure → 4 s
        response = post_code(client, code_for(device))
    assert "受け付けていません" in errors_of(response)
    with frozen_otp_clock(start + timedelta(seconds=4.1)):
        assert post_code(client, code_for(device)).status_code == 302
