"""``next`` never sends a user off the site: login, code step, setup and password change."""

import pytest
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.helpers import PASSWORD, code_for, session_full, session_limited, session_password_only

EVIL = [
    "//evil.com",
    "https://evil.com",
    "/\\evil.com",
    "\\\\evil.com",
    "javascript:alert(1)",
    "https:evil.com",
    " //evil.com",
    "http://testserver@evil.com/",
]


def assert_stays_on_site(response):
    assert response.status_code == 302, response.status_code
    location = response["Location"]
    assert url_has_allowed_host_and_scheme(location, allowed_hosts={"testserver"}), location
    assert location.startswith("/") and not location.startswith(("//", "/\\")), location
    assert "evil" not in location.split("?")[0], location


@pytest.mark.parametrize("target", EVIL)
def test_login(client, employee_b, target):
    client.post("/accounts/login/", {"login_view-current_step": "auth", "auth-username": "B1000001",
                                     "auth-password": PASSWORD, "next": target})
    response = client.post(f"/accounts/login/?next={target}",
                           {"login_view-current_step": "choice", "choice-mode": "limited", "next": target})
    assert_stays_on_site(response)


@pytest.mark.parametrize("target", EVIL)
def test_code_step(client, employee_b, target):
    session_limited(client, employee_b)
    device = TOTPDevice.objects.get(user=employee_b)
    response = client.post("/accounts/verify/", {"otp_token": code_for(device), "next": target})
    assert_stays_on_site(response)
    assert client.session.get("otp_device_id"), "the code was accepted"


@pytest.mark.parametrize("target", EVIL)
def test_code_step_when_already_verified(client, employee_b, target):
    session_full(client, employee_b)
    assert_stays_on_site(client.get("/accounts/verify/", {"next": target}))


@pytest.mark.parametrize("target", EVIL)
def test_setup_when_already_set_up(client, employee_a, target):
    session_full(client, employee_a)
    assert_stays_on_site(client.get("/accounts/setup/", {"next": target}))


@pytest.mark.parametrize("target", EVIL)
def test_setup_form_does_not_carry_the_target(client, fresh_a, target):
    session_password_only(client, fresh_a)
    response = client.get("/accounts/setup/", {"next": target})
    assert response.status_code == 200
    form = response.content.decode().split('<form method="post" action="" novalidate>')[1].split("</form>")[0]
    assert "evil" not in form


@pytest.mark.parametrize("target", EVIL)
def test_password_change(client, employee_a, target):
    session_full(client, employee_a)
    response = client.post("/accounts/password/", {
        "old_password": PASSWORD, "new_password1": "Another-horse-7-staple",
        "new_password2": "Another-horse-7-staple", "next": target,
    })
    assert_stays_on_site(response)
