"""RFC test vectors through the code path the login uses: django-otp's
``TOTPDevice.verify_token`` (django_otp.oath) and the wizard's TokenForm.
Only the clock is replaced; the device lives in the database."""

from binascii import hexlify
from types import SimpleNamespace
from unittest import mock

import pytest
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.helpers import post_code, post_login

RFC_KEY = b"12345678901234567890"  # RFC 4226 Appendix D / RFC 6238 Appendix B (SHA1)

# RFC 6238 Appendix B, SHA1 column: (Unix time, 8-digit TOTP)
RFC6238_SHA1 = [
    (59, "94287082"),
    (1111111109, "07081804"),
    (1111111111, "14050471"),
    (1234567890, "89005924"),
    (2000000000, "69279037"),
    (20000000000, "65353130"),
]

# RFC 4226 Appendix D: HOTP values for counters 0…9
RFC4226_HOTP = ["755224", "287082", "359152", "969429", "338314",
                "254676", "287922", "162583", "399871", "520489"]


def clock(at):
    """Freeze the clock TOTPDevice.verify_token reads (its module's ``time``)."""
    return mock.patch("django_otp.plugins.otp_totp.models.time", SimpleNamespace(time=lambda: at))


def rfc_device(user, digits=6, tolerance=1):
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, name="rfc", key=hexlify(RFC_KEY).decode(),
                                     digits=digits, tolerance=tolerance, confirmed=True)


@pytest.mark.parametrize("counter,expected", list(enumerate(RFC4226_HOTP)))
def test_rfc4226_hotp_values(counter, expected):
    assert hotp(RFC_KEY, counter, digits=6) == int(expected)


@pytest.mark.parametrize("counter,expected", list(enumerate(RFC4226_HOTP)))
def test_rfc4226_values_verify_as_totp_counters(fresh_a, counter, expected):
    # TOTP is HOTP over T = floor(time / 30): at time 30·c the device expects HOTP(c).
    device = rfc_device(fresh_a, tolerance=0)
    with clock(counter * 30 + 29):
        wrong = RFC4226_HOTP[(counter + 1) % 10]
        assert not device.verify_token(wrong)
        device.throttle_reset()
        assert device.verify_token(expected)
    device.refresh_from_db()
    assert device.last_t == counter


@pytest.mark.parametrize("at,expected", RFC6238_SHA1)
def test_rfc6238_sha1_eight_digits(fresh_a, at, expected):
    device = rfc_device(fresh_a, digits=8, tolerance=0)
    with clock(at):
        assert device.verify_token(expected)
    device.refresh_from_db()
    assert device.last_t == at // 30


@pytest.mark.parametrize("at,expected", RFC6238_SHA1)
def test_rfc6238_sha1_six_digit_login(client, employee_a, at, expected):
    """The 6-digit code (the last six digits of the vector) logs in through the wizard."""
    rfc_device(employee_a)
    post_login(client, "A1000002")
    with clock(at):
        response = post_code(client, expected[-6:])
    assert response.status_code == 302
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("at,expected", RFC6238_SHA1[:3])
def test_rfc6238_code_is_wrong_one_window_later_than_tolerance(client, employee_a, at, expected):
    rfc_device(employee_a)
    post_login(client, "A1000002")
    with clock(at + 2 * 30):
        response = post_code(client, expected[-6:])
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
