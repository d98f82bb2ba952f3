"""Review findings in the login wizard: a password step passed before the
password (or the 2FA) changed does not finish a login afterwards."""

from django.test import Client

from accounts.people import services
from tests.helpers import PASSWORD, code_for, post_choice, post_code, post_login


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_temporary_password_issued_mid_login_stops_the_limited_login(client, admin_a, employee_b):
    """An attacker with the old password waits on the choice screen; the administrator
    issues a temporary password; the old password must not finish the login."""
    post_login(client, employee_b.login_id)
    services.user_issue_temporary_password(user=employee_b, actor=admin_a, notify=False)
    response = post_choice(client, "limited")
    assert response.status_code == 200 and 'name="auth-password"' in response.content.decode()  # the login again
    assert not logged_in(client)
    assert client.get("/payslips/").status_code == 302


def test_password_changed_mid_login_stops_the_code_step(client, employee_a):
    device = employee_a.totpdevice_set.get()
    post_login(client, employee_a.login_id)
    services.user_change_password(user=employee_a, new_password="Brand-new-Passw0rd-77")
    post_code(client, code_for(device))
    assert not logged_in(client)


def test_2fa_reset_mid_login_stops_the_login(client, admin_a, employee_b):
    post_login(client, employee_b.login_id)
    services.user_reset_2fa(user=employee_b, actor=admin_a)
    post_choice(client, "limited")
    assert not logged_in(client)


def test_an_unchanged_account_still_logs_in(client, employee_b):
    post_login(client, employee_b.login_id)
    post_choice(client, "limited")
    assert logged_in(client)
    assert Client().get("/payslips/").status_code == 302  # (a fresh browser is not)
