"""The setup page never shows or replaces an existing secret (the reset path is the only way)."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.helpers import session_full, session_limited, session_password_only

SESSIONS = {"password only": session_password_only, "limited": session_limited, "verified": session_full}


@pytest.mark.parametrize("state", SESSIONS)
def test_existing_device_is_neither_shown_nor_replaced(client, employee_b, state):
    SESSIONS[state](client, employee_b)
    before = list(TOTPDevice.objects.filter(user=employee_b).values_list("pk", "key"))
    response = client.get("/accounts/setup/", follow=True)
    body = response.content.decode()
    assert "otpauth://" not in body and 'id="qr"' not in body
    key_b32 = __import__("base64").b32encode(bytes.fromhex(before[0][1])).decode().rstrip("=")
    assert key_b32 not in body.replace(" ", "")
    # A forged setup POST (the generator step with a code) changes nothing either.
    client.post("/accounts/setup/", {"setup_view-current_step": "generator", "generator-token": "123456"})
    client.post("/accounts/setup/", {"setup_view-current_step": "welcome"})
    assert list(TOTPDevice.objects.filter(user=employee_b).values_list("pk", "key")) == before


def test_setup_secret_is_not_cached(client, fresh_a):
    session_password_only(client, fresh_a)
    response = client.get("/accounts/setup/")
    assert "no-store" in response["Cache-Control"]
