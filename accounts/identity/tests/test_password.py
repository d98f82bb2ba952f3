"""Password change behind 2FA (FAQ ⑪) and temporary passwords (FAQ ⑫)."""

from datetime import timedelta

import pytest
from django.contrib.auth import authenticate
from django.core import mail
from django.test import Client, RequestFactory
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecurityEvent, User
from accounts.people.services import user_issue_temporary_password
from tests.helpers import (
    PASSWORD, code_for, post_choice, post_code, post_login, session_full, session_limited,
    session_password_only,
)

URL = "/accounts/password/"
NEW = "Brand-new-Passw0rd-77"
Kind = SecurityEvent.Kind


def change(client, old=PASSWORD, new=NEW, again=None):
    return client.post(URL, {"old_password": old, "new_password1": new, "new_password2": again or new})


@pytest.mark.parametrize("make_session", [session_limited, session_password_only])
def test_password_change_needs_a_session_verified_with_the_code(client, employee_b, make_session):
    make_session(client, employee_b)

    assert client.get(URL)["Location"].startswith("/accounts/verify/")
    response = change(client)

    assert response.status_code == 302 and response["Location"].startswith("/accounts/verify/")
    employee_b.refresh_from_db()
    assert employee_b.check_password(PASSWORD)


def test_password_change_ends_other_sessions_keeps_this_one_and_mails(client, employee_a):
    phone = Client()
    post_login(phone, employee_a.login_id)
    post_code(phone, code_for(TOTPDevice.objects.get(user=employee_a)))
    assert phone.get("/").status_code == 200
    session_full(client, employee_a)
    assert 'autocomplete="current-password"' in client.get(URL).content.decode()

    response = change(client)

    assert response.status_code == 302
    employee_a.refresh_from_db()
    assert employee_a.check_password(NEW)
    assert client.get("/").status_code == 200
    assert phone.get("/")["Location"].startswith("/accounts/login/")
    assert len(mail.outbox) == 1 and "パスワードが変更されました" in mail.outbox[0].subject
    assert NEW not in mail.outbox[0].body
    assert SecurityEvent.objects.filter(kind=Kind.PASSWORD_CHANGED, user=employee_a).count() == 1


@pytest.mark.parametrize("old, new, again, message", [
    ("wrong-current-pass", NEW, None, "現在のパスワードが正しくありません"),
    (PASSWORD, "short1", None, "短すぎ"),
    (PASSWORD, "password123", None, "よく使われる"),
    (PASSWORD, "8264019375", None, "数字しか使われていません"),
    (PASSWORD, NEW, NEW + "x", "確認用のパスワードが一致しません"),
    (PASSWORD, PASSWORD, None, "現在と異なるパスワード"),
])
def test_password_change_rejects_with_a_clear_error(client, employee_a, old, new, again, message):
    session_full(client, employee_a)

    response = change(client, old, new, again)

    assert response.status_code == 200
    assert message in response.content.decode()
    employee_a.refresh_from_db()
    assert employee_a.check_password(PASSWORD)
    assert mail.outbox == []


def test_temporary_passwords_are_random_and_unambiguous():
    passwords = {User().set_temporary_password() for _ in range(50)}
    assert len(passwords) == 50
    assert all(len(p) >= 14 and not set(p) & set("0O1lI") for p in passwords)


def test_temporary_password_expires_after_the_configured_days(employee_b, admin_a, settings):
    settings.TEMPORARY_PASSWORD_DAYS = 3
    password = user_issue_temporary_password(user=employee_b, actor=admin_a)
    employee_b.refresh_from_db()
    expected = timezone.now() + timedelta(days=3)
    assert abs((employee_b.password_expires_at - expected).total_seconds()) < 60
    request = RequestFactory().post("/accounts/login/")
    assert authenticate(request, username=employee_b.login_id, password=password) == employee_b


def test_login_with_an_expired_temporary_password_fails_with_a_clear_message(client, temp_b):
    temp_b.password_expires_at = timezone.now() - timedelta(minutes=1)
    temp_b.save()

    response = post_login(client, temp_b.login_id)

    page = response.content.decode()
    assert "仮パスワードの有効期限が切れています" in page and "管理者" in page
    assert client.get("/").status_code == 302
    event = SecurityEvent.objects.get(kind=Kind.LOGIN_FAILURE)
    assert event.user == temp_b and event.data == {"reason": "temporary_password_expired"}


def test_a_wrong_password_on_an_expired_account_says_nothing_about_expiry(client, temp_b):
    temp_b.password_expires_at = timezone.now() - timedelta(minutes=1)
    temp_b.save()
    page = post_login(client, temp_b.login_id, "not-the-password").content.decode()
    assert "有効期限" not in page and "正しくありません" in page


def test_an_open_session_ends_when_the_temporary_password_expires(client, temp_b):
    session_limited(client, temp_b)
    assert client.get("/").status_code == 200
    temp_b.password_expires_at = timezone.now() - timedelta(seconds=1)
    temp_b.save()
    assert client.get("/")["Location"].startswith("/accounts/login/")


def test_first_full_login_on_a_temporary_password_forces_the_change(client, temp_b):
    post_login(client, temp_b.login_id)
    post_choice(client, "full")
    post_code(client, code_for(TOTPDevice.objects.get(user=temp_b)))

    response = client.get("/")

    assert response.status_code == 302 and response["Location"].startswith(URL)
    assert change(client).status_code == 302
    temp_b.refresh_from_db()
    assert not temp_b.password_is_temporary and temp_b.password_expires_at is None
    assert client.get("/").status_code == 200


def test_limited_mode_on_a_temporary_password_works_with_a_banner(client, temp_b):
    post_login(client, temp_b.login_id)
    response = post_choice(client, "limited")
    assert response.status_code == 302

    page = client.get("/").content.decode()

    assert "仮パスワードのままご利用中です" in page
    temp_b.refresh_from_db()
    assert temp_b.password_is_temporary


def test_password_change_page_is_reachable_during_forced_change_only_after_the_code(client, temp_b):
    session_limited(client, temp_b)
    assert client.get(URL)["Location"].startswith("/accounts/verify/")
    session_full(client, temp_b)
    assert client.get(URL).status_code == 200


def test_password_rule_errors_stand_under_the_new_password_field(client, employee_a):
    """Issue 26 ⑪: 「このパスワードは短すぎます」 under 新しいパスワード, where it was typed;
    a mismatch under the confirmation."""
    session_full(client, employee_a)
    form = change(client, new="abc12").context["form"]
    assert form.errors["new_password1"] and "new_password2" not in form.errors
    form = change(client, new=NEW, again=NEW + "x").context["form"]
    assert "new_password1" not in form.errors
    assert form.errors["new_password2"] == ["確認用のパスワードが一致しません。"]
