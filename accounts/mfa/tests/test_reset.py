"""2要素認証の初期化 (FAQ ④): self reset, and what a reset does to devices,
sessions, the security log, the e-mail and the old secret."""

import time

import pyotp
import pytest
from django.core import mail
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecurityEvent
from tests.helpers import (
    PASSWORD, add_device, code_for, post_choice, post_code, post_login, session_full,
    session_limited, session_password_only, totp_for,
)

RESET_URL = "/accounts/security/reset/"
Kind = SecurityEvent.Kind


def finish_setup(client) -> str:
    """Run the real setup wizard for the logged-in user; returns the new base32 secret."""
    secret = client.get("/accounts/setup/").context["secret_key"]
    response = client.post("/accounts/setup/", {
        "setup_view-current_step": "generator", "generator-token": pyotp.TOTP(secret).now(),
    })
    assert response.status_code == 302, response.content.decode()[:500]
    return secret


def test_self_reset_with_own_password_removes_the_device_and_goes_to_setup(client, employee_a):
    session_full(client, employee_a)
    page = client.get("/accounts/security/").content.decode()
    assert "ご自身のパスワード" in page

    response = client.post(RESET_URL, {"password": PASSWORD})

    assert response.status_code == 302 and response["Location"] == "/accounts/setup/"
    assert not TOTPDevice.objects.filter(user=employee_a).exists()
    event = SecurityEvent.objects.get(kind=Kind.RESET)
    assert (event.user, event.actor) == (employee_a, employee_a)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [employee_a.email]
    assert "2要素認証が初期化されました" in mail.outbox[0].subject
    # This session may set up the new key right away.
    assert client.get("/accounts/setup/").status_code == 200


def test_self_reset_with_a_wrong_password_changes_nothing(client, employee_a):
    session_full(client, employee_a)

    response = client.post(RESET_URL, {"password": "not-my-password"})

    assert response.status_code == 200
    assert "パスワードが正しくありません" in response.content.decode()
    assert TOTPDevice.objects.filter(user=employee_a).count() == 1
    assert not SecurityEvent.objects.filter(kind=Kind.RESET).exists()
    denied = SecurityEvent.objects.get(kind=Kind.RESET_DENIED)
    assert denied.actor == employee_a and denied.data == {"reason": "wrong_password", "actor_login_id": employee_a.login_id}
    assert mail.outbox == []
    assert client.get("/").status_code == 200  # still logged in, still verified


def test_repeated_wrong_passwords_lock_the_self_reset(client, employee_a, settings):
    settings.AXES_FAILURE_LIMIT = 3
    session_full(client, employee_a)
    for _ in range(3):
        client.post(RESET_URL, {"password": "guess"})

    response = client.post(RESET_URL, {"password": PASSWORD})  # even the right one, now

    assert "しばらくの間この操作はできません" in response.content.decode()
    assert TOTPDevice.objects.filter(user=employee_a).exists()
    assert SecurityEvent.objects.filter(kind=Kind.RESET_DENIED, data__reason="locked").count() == 1


def test_lock_ends_after_the_cool_off(client, employee_a, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.AXES_FAILURE_LIMIT = 2
    session_full(client, employee_a)
    client.post(RESET_URL, {"password": "guess"})
    client.post(RESET_URL, {"password": "guess"})
    SecurityEvent.objects.filter(kind=Kind.RESET_DENIED).update(
        created_at=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1))

    response = client.post(RESET_URL, {"password": PASSWORD})

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=employee_a).exists()


@pytest.mark.parametrize("make_session", [session_limited, session_password_only])
def test_a_session_without_the_code_cannot_reset(client, employee_b, make_session):
    make_session(client, employee_b)

    response = client.post(RESET_URL, {"password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/verify/")  # step-up, not an error
    assert TOTPDevice.objects.filter(user=employee_b).count() == 1
    assert not SecurityEvent.objects.filter(kind=Kind.RESET).exists()


def test_limited_mode_security_page_offers_step_up_instead_of_the_form(client, employee_b):
    session_limited(client, employee_b)
    page = client.get("/accounts/security/").content.decode()
    assert 'name="password"' not in page
    assert "/accounts/verify/?next=/accounts/security/" in page


def test_every_other_session_of_the_user_ends(client, employee_a):
    device = TOTPDevice.objects.get(user=employee_a)
    phone = Client()
    post_login(phone, employee_a.login_id)
    post_code(phone, code_for(device))
    assert phone.get("/").status_code == 200
    session_full(client, employee_a)

    client.post(RESET_URL, {"password": PASSWORD})

    response = phone.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_codes_of_the_old_secret_no_longer_work(client, employee_b):
    old_device = TOTPDevice.objects.get(user=employee_b)
    old_code = totp_for(old_device)
    session_full(client, employee_b)
    client.post(RESET_URL, {"password": PASSWORD})
    new_secret = finish_setup(client)
    assert new_secret != old_code.secret
    client.post("/accounts/logout/")

    other = Client()
    post_login(other, employee_b.login_id)
    post_choice(other, "full")
    response = post_code(other, old_code.now())  # e.g. from an old authenticator.txt backup

    assert response.status_code == 200 and "認証コードが正しくありません" in response.content.decode()
    assert other.get("/").status_code == 302
    # Skip django-otp's one-second back-off after the failure; the new key works.
    TOTPDevice.objects.filter(user=employee_b).update(throttling_failure_timestamp=None,
                                                      throttling_failure_count=0)
    # The setup burned the current step's code; the next step's is within the tolerance.
    assert post_code(other, pyotp.TOTP(new_secret).at(time.time() + 30)).status_code == 302
    assert other.get("/").status_code == 200


def test_next_login_after_reset_starts_setup(client, employee_a):
    session_full(client, employee_a)
    client.post(RESET_URL, {"password": PASSWORD})

    fresh = Client()
    response = post_login(fresh, employee_a.login_id)

    assert response.status_code == 302
    assert fresh.get("/")["Location"].startswith("/accounts/setup/")


def test_reset_without_an_email_address_still_resets(client, employee_a):
    employee_a.email = ""
    employee_a.save()
    session_full(client, employee_a)
    client.post(RESET_URL, {"password": PASSWORD})
    assert not TOTPDevice.objects.filter(user=employee_a).exists()
    assert mail.outbox == []


def test_unconfirmed_devices_go_too(client, employee_a):
    stray = add_device(employee_a)
    stray.confirmed = False
    stray.save()
    session_full(client, employee_a)
    client.post(RESET_URL, {"password": PASSWORD})
    assert not TOTPDevice.objects.filter(user=employee_a).exists()
