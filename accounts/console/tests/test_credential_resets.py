"""Credential resets from the manager console: the employee's 2FA after the
administrator re-enters their own password (⑫), and temporary passwords,
for the own company only (the console itself: test_console.py)."""

import re

from django.core import mail
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.console.tests.test_console import OTHER_PASSWORD, USERS, action
from accounts.models import SecurityEvent
from tests.helpers import PASSWORD, code_for, post_code, post_login, session_full

Kind = SecurityEvent.Kind


def test_reset_from_the_list_action_with_own_password(console, admin_a, employee_a, employee_b):
    page = action(console, "reset_2fa_action", [employee_a, employee_b]).content.decode()
    assert employee_a.login_id in page and employee_b.login_id in page
    assert "管理者ご自身のパスワード" in page

    response = action(console, "reset_2fa_action", [employee_a, employee_b], confirm="yes", password=PASSWORD)

    # With a temporary password each (accounts/mfa/tests/test_reset_takeover.py), shown once.
    assert response.status_code == 200 and response.content.decode().count('class="temporary-password"') == 2
    assert not TOTPDevice.objects.filter(user__in=[employee_a, employee_b]).exists()
    events = SecurityEvent.objects.filter(kind=Kind.RESET)
    assert {(e.user, e.actor) for e in events} == {(employee_a, admin_a), (employee_b, admin_a)}
    assert {m.to[0] for m in mail.outbox} == {employee_a.email, employee_b.email}
    assert "管理者の操作で" in mail.outbox[0].body
    assert TOTPDevice.objects.filter(user=admin_a).exists()


def test_reset_from_the_change_page(console, admin_a, employee_a):
    change = console.get(f"{USERS}{employee_a.pk}/change/").content.decode()
    assert f"{USERS}{employee_a.pk}/reset-2fa/" in change and "2要素認証を初期化" in change
    assert employee_a.login_id in console.get(f"{USERS}{employee_a.pk}/reset-2fa/").content.decode()

    response = console.post(f"{USERS}{employee_a.pk}/reset-2fa/",
                            {"confirm": "yes", "password": PASSWORD, "keep_password": "on"})

    assert response.status_code == 302 and response["Location"] == f"{USERS}{employee_a.pk}/change/"
    assert not TOTPDevice.objects.filter(user=employee_a).exists()
    assert SecurityEvent.objects.get(kind=Kind.RESET).actor == admin_a


def test_the_employees_password_is_not_accepted(console, employee_a):
    employee_a.set_password(OTHER_PASSWORD)
    employee_a.save()

    response = console.post(f"{USERS}{employee_a.pk}/reset-2fa/", {"confirm": "yes", "password": OTHER_PASSWORD})

    assert response.status_code == 200
    assert "パスワードが正しくありません" in response.content.decode()
    assert TOTPDevice.objects.filter(user=employee_a).exists()
    denied = SecurityEvent.objects.get(kind=Kind.RESET_DENIED)
    assert denied.user == employee_a and denied.actor.login_id == "A1000001"
    assert mail.outbox == []


def test_repeated_wrong_admin_passwords_lock_the_reset(console, employee_a, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        action(console, "reset_2fa_action", [employee_a], confirm="yes", password="guess")

    response = action(console, "reset_2fa_action", [employee_a], confirm="yes", password=PASSWORD)

    assert "しばらくの間この操作はできません" in response.content.decode()
    assert TOTPDevice.objects.filter(user=employee_a).exists()


def test_reset_of_another_tenants_user_is_refused_on_every_path(console, employee_a, other_user):
    # List action with a forged foreign id, alone or next to an own user.
    for users in ([other_user], [employee_a, other_user]):
        assert action(console, "reset_2fa_action", users).status_code == 404
        assert action(console, "reset_2fa_action", users, confirm="yes", password=PASSWORD).status_code == 404
    # Change-page path.
    assert console.get(f"{USERS}{other_user.pk}/reset-2fa/").status_code == 404
    assert console.post(f"{USERS}{other_user.pk}/reset-2fa/",
                        {"confirm": "yes", "password": PASSWORD}).status_code == 404
    assert action(console, "reset_2fa_action", [], confirm="yes", password=PASSWORD,
                  _selected_action="1 OR 1=1").status_code == 404
    assert TOTPDevice.objects.filter(user__in=[employee_a, other_user]).count() == 2
    assert not SecurityEvent.objects.filter(kind=Kind.RESET).exists()
    assert mail.outbox == []


def test_employees_sessions_end_after_an_admin_reset(console, employee_a):
    phone = Client()
    post_login(phone, employee_a.login_id)
    post_code(phone, code_for(TOTPDevice.objects.get(user=employee_a)))
    assert phone.get("/").status_code == 200

    console.post(f"{USERS}{employee_a.pk}/reset-2fa/", {"confirm": "yes", "password": PASSWORD})

    assert phone.get("/")["Location"].startswith("/accounts/login/")


def test_operator_resets_a_user_of_any_tenant(client, operator, other_user):
    from tests.helpers import add_device

    add_device(operator)
    session_full(client, operator)
    response = client.post(f"{USERS}{other_user.pk}/reset-2fa/", {"confirm": "yes", "password": PASSWORD})
    assert response.status_code == 200 and 'class="temporary-password"' in response.content.decode()
    assert not TOTPDevice.objects.filter(user=other_user).exists()
    assert SecurityEvent.objects.get(kind=Kind.RESET).tenant == other_user.tenant


# -- temporary passwords -----------------------------------------------------------

def test_issue_a_temporary_password_from_the_action(console, admin_a, employee_b):
    phone = session_full(Client(), employee_b)
    assert phone.get("/").status_code == 200
    confirm = action(console, "issue_temporary_password_action", [employee_b]).content.decode()
    assert employee_b.login_id in confirm and 'name="password"' not in confirm  # chosen by the system

    response = action(console, "issue_temporary_password_action", [employee_b], confirm="yes")

    shown = re.search(r'class="temporary-password">([^<]+)<', response.content.decode()).group(1)
    employee_b.refresh_from_db()
    assert employee_b.check_password(shown) and not employee_b.check_password(PASSWORD)
    assert employee_b.password_is_temporary
    assert phone.get("/")["Location"].startswith("/accounts/login/")  # old sessions ended
    assert SecurityEvent.objects.get(kind=Kind.TEMP_PASSWORD_ISSUED).actor == admin_a
    assert len(mail.outbox) == 1 and shown not in mail.outbox[0].body
    # Shown once: nothing on the console shows it again.
    assert shown not in console.get(f"{USERS}{employee_b.pk}/change/").content.decode()
    assert shown not in console.get(f"{USERS}{employee_b.pk}/history/").content.decode()


def test_issue_from_the_change_page_and_not_for_another_tenant(console, employee_a, other_user):
    assert console.post(f"{USERS}{other_user.pk}/temporary-password/", {"confirm": "yes"}).status_code == 404
    assert action(console, "issue_temporary_password_action", [other_user], confirm="yes").status_code == 404
    other_user.refresh_from_db()
    assert other_user.check_password(PASSWORD) and not other_user.password_is_temporary

    response = console.post(f"{USERS}{employee_a.pk}/temporary-password/", {"confirm": "yes"})
    assert response.status_code == 200
    employee_a.refresh_from_db()
    assert employee_a.password_is_temporary and not employee_a.check_password(PASSWORD)
