"""The login wizard's code step: the six-digit code as people type it, replays,
wrong codes recorded without the code, and django-otp's back-off shown in
Japanese."""

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
    # One mistake is not 「誤りが続いた」; the wait is in seconds; the code sent was not judged.
    text = errors_of(response)
    assert text.count("直前の認証コードが正しくなかったため、安全のため一時的に入力を受け付けていません") == 1
    assert "（今回入力されたコードは確認していません）。1 秒待ってから" in text
    assert "誤りが続いた" not in text
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
    assert "認証コードの誤りが3回続いたため、安全のため一時的に入力を受け付けていません" in errors_of(response)
    assert "秒待ってから、アプリに表示されている最新のコードで" in errors_of(response)
    with frozen_otp_clock(start + timedelta(seconds=4.1)):
        assert post_code(client, code_for(device)).status_code == 302


def test_a_throttled_code_stays_in_the_form_for_the_next_try(client, employee_a):
    """Decided (docs/security.md): the right code typed during the wait is refused, unjudged,
    like any other — else the answer would tell right from wrong codes at request speed.
    Nothing is lost: the wizard stays at its code step with the code typed still in the field."""
    device = device_of(employee_a)
    start = timezone.now()
    post_login(client, "A1000002")
    right = code_for(device)
    with frozen_otp_clock(start):
        post_code(client, "999999" if right != "999999" else "888888")
        response = post_code(client, right)
    assert 'autocomplete="one-time-code"' in response.content.decode()
    assert f'value="{right}"' in response.content.decode()
    with frozen_otp_clock(start + timedelta(seconds=1.1)):
        assert post_code(client, right).status_code == 302  # the same code, pressed again
    assert logged_in(client)


def test_a_long_wait_is_said_in_minutes_and_seconds(client, employee_a):
    device = device_of(employee_a)
    TOTPDevice.objects.filter(pk=device.pk).update(  # the 9th failure, 16 s ago: 256 s in all
        throttling_failure_count=9, throttling_failure_timestamp=timezone.now() - timedelta(seconds=16))
    post_login(client, "A1000002")
    response = post_code(client, code_for(device))
    assert "認証コードの誤りが9回続いたため" in errors_of(response)
    assert "約4分（240 秒）待ってから" in errors_of(response)


def test_the_step_up_page_keeps_the_code_and_next_when_throttled(client, employee_b):
    from tests.helpers import session_limited

    session_limited(client, employee_b)
    device = device_of(employee_b)
    start = timezone.now()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=2,
                                                   throttling_failure_timestamp=start)
    right = code_for(device)
    with frozen_otp_clock(start + timedelta(seconds=0.5)):
        response = client.post("/accounts/verify/", {"next": "/attendance/requests/new/", "otp_token": right})
    html = response.content.decode()
    assert "認証コードの誤りが2回続いたため" in errors_of(response) and "2 秒待ってから" in errors_of(response)
    assert f'value="{right}"' in html and 'value="/attendance/requests/new/"' in html
