"""The manager console (Django admin): verified staff only, tenant-scoped,
the user list with each employee's 2FA state, and who may create or change
which users (the credential resets: test_credential_resets.py)."""

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice
from two_factor.admin import AdminSiteOTPRequired

from accounts.identity.groups import (
    COMPANY_ADMIN_GROUP,
    COMPANY_ADMIN_PERMISSIONS,
    company_admin_group,
)
from accounts.models import SecurityEvent, User
from tests.helpers import PASSWORD, session_full, session_password_only

Kind = SecurityEvent.Kind
USERS = "/admin/accounts/user/"
OTHER_PASSWORD = "Employee-own-pass-4821"


def action(client, name, users, **extra):
    return client.post(USERS, {"action": name, "_selected_action": [u.pk for u in users], **extra})


# -- who reaches the console ---------------------------------------------------

def test_admin_site_itself_requires_otp_verification(rf, admin_a, employee_a):
    """Even without the access middleware, the site refuses staff not verified with the code."""
    assert isinstance(admin.site, AdminSiteOTPRequired)
    request = rf.get("/admin/")
    for user, verified, allowed in [(admin_a, False, False), (admin_a, True, True), (employee_a, True, False)]:
        user.is_verified = lambda verified=verified: verified
        request.user = user
        assert admin.site.has_permission(request) is allowed


def test_admin_password_change_is_the_products_own(console, admin_a):
    assert "現在のパスワード" in console.get("/admin/password_change/").content.decode()
    new = "Console-new-Passw0rd-9"
    response = console.post("/admin/password_change/", {
        "old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert response.status_code == 302
    admin_a.refresh_from_db()
    assert admin_a.check_password(new)
    assert SecurityEvent.objects.filter(kind=Kind.PASSWORD_CHANGED, user=admin_a).exists()
    assert len(mail.outbox) == 1


def test_company_admin_with_the_code_reaches_the_console(console):
    page = console.get("/admin/").content.decode()
    assert "ネット de 顧問 管理画面" in page
    assert "/admin/accounts/user/" in page and "/admin/accounts/securityevent/" in page


def test_password_only_session_is_sent_to_the_code(client, admin_a):
    session_password_only(client, admin_a)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/verify/")


def test_employee_is_not_let_in_even_with_the_code(client, employee_a):
    session_full(client, employee_a)
    response = client.get(USERS)
    assert response.status_code == 403 and "管理画面は会社の管理者のみ利用できます。" in response.content.decode()
    assert client.get("/admin/").status_code == 403


def test_group_gives_exactly_the_listed_permissions(admin_a):
    group = company_admin_group()
    granted = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
    assert set(COMPANY_ADMIN_PERMISSIONS) <= granted
    assert "accounts.delete_user" not in granted and "auth.change_group" not in granted
    assert "otp_totp.view_totpdevice" not in granted
    assert admin_a.groups.filter(name=COMPANY_ADMIN_GROUP).exists()


# -- tenant scoping of users -------------------------------------------------------

def test_user_list_shows_only_own_tenant_with_2fa_status(console, employee_a, fresh_a, other_user, operator,
                                                         django_assert_max_num_queries):
    TOTPDevice.objects.filter(user=employee_a).update(last_used_at="2026-04-01T09:15:00+09:00")
    with django_assert_max_num_queries(12):
        response = console.get(USERS)
    page = response.content.decode()
    assert employee_a.login_id in page and fresh_a.login_id in page
    assert other_user.login_id not in page and operator.login_id not in page
    assert "2026年4月1日" in page or "2026/04/01" in page  # last use of the code
    status = dict(re.findall(r'>(A\d{7})</a></th>.*?class="field-two_factor">([^<]+)<', page, re.S))
    assert status[employee_a.login_id] == "設定済み" and status[fresh_a.login_id] == "未設定"

    filtered = console.get(USERS, {"two_factor": "no"}).content.decode()
    assert fresh_a.login_id in filtered and f">{employee_a.login_id}<" not in filtered


def test_user_list_query_count_does_not_grow_with_rows(console, acme, django_assert_max_num_queries):
    from tests.helpers import make_user

    for n in range(15):
        make_user(f"B30000{n:02d}", acme, device=bool(n % 2))
    with django_assert_max_num_queries(12):
        assert console.get(USERS).status_code == 200


@pytest.mark.parametrize("suffix", ["change/", "history/", "reset-2fa/", "temporary-password/", "delete/"])
def test_other_tenant_and_operator_pages_are_404(console, other_user, operator, suffix):
    for target in (other_user, operator):
        assert console.get(f"{USERS}{target.pk}/{suffix}").status_code == 404
    assert console.get(f"{USERS}999999/{suffix}").status_code == 404


def test_company_admin_creates_users_of_own_tenant_only(console, acme, other_tenant):
    response = console.post(f"{USERS}add/", {
        "login_id": "b4000001", "name": "新入 社員", "email": "new@example.com", "is_active": "on",
        # Forged: not on the form, must be ignored.
        "tenant": other_tenant.pk, "is_superuser": "on", "is_staff": "on",
        "user_permissions": [Permission.objects.get(codename="delete_user").pk],
        "password": "Chosen-by-admin-123",
    })
    assert response.status_code == 200
    user = User.objects.get(login_id="B4000001")
    assert user.tenant == acme and not user.is_superuser and not user.is_staff
    assert not user.user_permissions.exists() and not user.groups.exists()
    assert not user.check_password("Chosen-by-admin-123")
    shown = re.search(r'class="temporary-password">([^<]+)<', response.content.decode()).group(1)
    assert user.check_password(shown) and user.password_is_temporary and user.password_expires_at
    assert "no-store" in response["Cache-Control"]
    event = SecurityEvent.objects.get(kind=Kind.TEMP_PASSWORD_ISSUED, user=user)
    assert shown not in event.detail + str(event.data)


def test_company_admin_may_make_a_colleague_company_admin(console, employee_a):
    response = console.post(f"{USERS}{employee_a.pk}/change/", {
        "login_id": employee_a.login_id, "name": employee_a.name, "email": employee_a.email,
        "is_active": "on", "company_admin": "on", "is_superuser": "on",
    })
    assert response.status_code == 302
    employee_a.refresh_from_db()
    assert employee_a.is_staff and not employee_a.is_superuser
    assert list(employee_a.groups.values_list("name", flat=True)) == [COMPANY_ADMIN_GROUP]


def test_company_admin_cannot_turn_an_a_id_into_a_b_id(console, employee_a):
    """The first letter is the login policy: A needs the code at every login."""
    response = console.post(f"{USERS}{employee_a.pk}/change/", {
        "login_id": "B1000099", "name": employee_a.name, "email": employee_a.email, "is_active": "on",
    })
    assert response.status_code == 302
    employee_a.refresh_from_db()
    assert employee_a.login_id == "A1000002"


def test_operator_creates_a_company_administrator_for_a_tenant(client, operator, acme):
    from tests.helpers import add_device

    add_device(operator)
    session_full(client, operator)
    data = {"login_id": "A5000001", "name": "新 管理者", "email": "", "is_active": "on", "company_admin": "on"}
    response = client.post(f"{USERS}add/", data)
    assert response.status_code == 200 and "会社管理者には会社を指定してください" in response.content.decode()

    response = client.post(f"{USERS}add/", {**data, "tenant": acme.pk})

    assert 'class="temporary-password"' in response.content.decode()
    user = User.objects.get(login_id="A5000001")
    assert user.tenant == acme and user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == [COMPANY_ADMIN_GROUP]


def test_company_admin_cannot_remove_own_admin_flag(console, admin_a):
    response = console.post(f"{USERS}{admin_a.pk}/change/", {
        "login_id": admin_a.login_id, "name": admin_a.name, "email": admin_a.email, "is_active": "on",
    })
    assert response.status_code == 200 and "ご自身の" in response.content.decode()
    admin_a.refresh_from_db()
    assert admin_a.is_staff


def test_forged_change_post_for_another_tenant_is_404(console, other_user):
    response = console.post(f"{USERS}{other_user.pk}/change/", {
        "login_id": other_user.login_id, "name": "乗っ取り", "is_active": "on"})
    assert response.status_code == 404
    other_user.refresh_from_db()
    assert other_user.name == "他社 五郎"


# -- admin 2FA reset -----------------------------------------------------------------
