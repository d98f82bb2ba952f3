"""After an administrator's 2FA reset, the old password no longer enrols a new
authenticator (outside test, the finding filed with the console work).

Before: the reset removed the devices but kept the password, so whoever
held the employee's password (often the reason for the reset) logged in
next, got the setup page and enrolled their own authenticator. Now the
reset issues a temporary password unless the administrator explicitly keeps
the password.
"""

import re

from django.core import mail
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from tests.helpers import PASSWORD, post_login, session_full

USERS = "/admin/accounts/user/"


def _reaches_setup(login_id, password):
    client = Client()
    response = post_login(client, login_id, password)
    return response.status_code == 302 and "/accounts/setup/" in response["Location"]


def test_old_password_cannot_enrol_after_an_admin_reset(client, admin_a, employee_a):
    console = session_full(client, admin_a)
    response = console.post(f"{USERS}{employee_a.pk}/reset-2fa/", {"confirm": "yes", "password": PASSWORD})
    assert response.status_code == 200
    html = response.content.decode()
    assert "2要素認証を初期化しました" in html and "no-store" in response["Cache-Control"]
    temporary = re.search(r'class="temporary-password">([^<]+)<', html).group(1)
    assert not TOTPDevice.objects.filter(user=employee_a).exists()
    assert not _reaches_setup("A1000002", PASSWORD)  # the holder of the old password gets nothing
    employee = User.objects.get(pk=employee_a.pk)
    assert employee.password_is_temporary and employee.check_password(temporary)
    assert _reaches_setup("A1000002", temporary)  # what the administrator handed over
    assert temporary not in "".join(m.body for m in mail.outbox)


def test_the_list_action_issues_one_per_employee(client, admin_a, employee_a, employee_b):
    console = session_full(client, admin_a)
    response = console.post(USERS, {"action": "reset_2fa_action", "confirm": "yes", "password": PASSWORD,
                                    "_selected_action": [employee_a.pk, employee_b.pk]})
    shown = re.findall(r'class="temporary-password">([^<]+)<', response.content.decode())
    assert len(shown) == 2
    for login_id in ("A1000002", "B1000001"):
        assert not _reaches_setup(login_id, PASSWORD)


def test_keeping_the_password_is_an_explicit_choice(client, admin_a, employee_a):
    console = session_full(client, admin_a)
    page = console.get(f"{USERS}{employee_a.pk}/reset-2fa/").content.decode()
    assert 'name="keep_password"' in page and "checked" not in page.split('name="keep_password"')[1][:80]
    response = console.post(f"{USERS}{employee_a.pk}/reset-2fa/",
                            {"confirm": "yes", "password": PASSWORD, "keep_password": "on"})
    assert response.status_code == 302
    assert not User.objects.get(pk=employee_a.pk).password_is_temporary
    assert _reaches_setup("A1000002", PASSWORD)
