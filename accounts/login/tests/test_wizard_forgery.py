"""Forged login-wizard steps: a later step without the earlier one, an old
step replayed, a different user slipped in on a later step, and a login left
half-finished before a logout. None of them may yield a session."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.sessions.state import MODE_LIMITED, MODE_SESSION_KEY
from tests.helpers import code_for, post_choice, post_code, post_login

LOGIN_URL = "/accounts/login/"


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


def assert_not_logged_in(client):
    assert logged_in_user_id(client) is None
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN_URL)


def test_token_step_without_the_password_step_logs_nobody_in(client, employee_a):
    device = TOTPDevice.objects.get(user=employee_a)
    response = post_code(client, code_for(device))
    assert response.status_code == 200  # the ID + password form again
    assert 'name="auth-username"' in response.content.decode()
    assert_not_logged_in(client)


def test_token_step_with_the_username_but_no_password_logs_nobody_in(client, employee_a):
    device = TOTPDevice.objects.get(user=employee_a)
    client.post(LOGIN_URL, {"login_view-current_step": "token", "auth-username": "A1000002",
                            "token-otp_token": code_for(device)})
    assert_not_logged_in(client)


def test_choice_step_without_the_password_step_gives_no_limited_mode(client, employee_b):
    response = post_choice(client, "limited")
    assert 'name="auth-username"' in response.content.decode()
    assert_not_logged_in(client)


def test_a_id_cannot_forge_the_b_id_choice_to_skip_the_code(client, employee_a):
    post_login(client, "A1000002")
    response = post_choice(client, "limited")
    # Still the code step: the choice step does not exist for an A-ID.
    assert response.status_code == 200
    assert 'name="token-otp_token"' in response.content.decode()
    assert_not_logged_in(client)


def test_replayed_choice_after_login_does_not_upgrade_the_session(client, employee_b):
    post_login(client, "B1000001")
    post_choice(client, "limited")
    assert client.session[MODE_SESSION_KEY] == MODE_LIMITED
    # Replaying the earlier "full" choice and an old wrong-then-missing code.
    post_choice(client, "full")
    post_code(client, "000000")
    assert client.session.get("otp_device_id") is None
    assert client.get("/attendance/requests/")["Location"].startswith("/accounts/verify/")


def test_replayed_token_step_of_a_finished_login_logs_nobody_in(client, employee_a):
    device = TOTPDevice.objects.get(user=employee_a)
    code = code_for(device)
    post_login(client, "A1000002")
    assert post_code(client, code).status_code == 302
    client.post("/accounts/logout/")
    # The same POST again, in the same browser, after the logout.
    post_code(client, code)
    assert_not_logged_in(client)


def test_switching_user_on_the_token_step_is_ignored(client, employee_a, employee_b):
    """Password of the victim (A-ID) known, the attacker's own code and ID posted on the code step."""
    own_device = TOTPDevice.objects.get(user=employee_b)
    post_login(client, "A1000002")
    response = client.post(LOGIN_URL, {
        "login_view-current_step": "token", "auth-username": "B1000001",
        "auth-password": "x", "token-otp_token": code_for(own_device),
    })
    assert response.status_code == 200
    assert "認証コードが正しくありません" in response.content.decode()
    assert_not_logged_in(client)


def test_switching_user_on_the_choice_step_keeps_the_first_user(client, employee_a, employee_b):
    """A B-ID's choice step posted with an A-ID's username must not give the A-ID limited mode."""
    post_login(client, "B1000001")
    client.post(LOGIN_URL, {"login_view-current_step": "choice", "choice-mode": "limited",
                            "auth-username": "A1000002"})
    assert logged_in_user_id(client) == str(employee_b.pk)


def test_half_finished_login_is_gone_after_logout(client, employee_a):
    device = TOTPDevice.objects.get(user=employee_a)
    post_login(client, "A1000002")  # password done, code not yet
    client.post("/accounts/logout/")
    response = post_code(client, code_for(device))
    assert 'name="auth-username"' in response.content.decode()
    assert_not_logged_in(client)


def test_half_finished_b_id_login_is_gone_after_logout(client, employee_b):
    post_login(client, "B1000001")
    client.post("/accounts/logout/")
    post_choice(client, "limited")
    assert_not_logged_in(client)


def test_half_finished_login_reaches_nothing(client, employee_a):
    post_login(client, "A1000002")
    for url in ("/", "/accounts/security/", "/attendance/", "/admin/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(LOGIN_URL), url
