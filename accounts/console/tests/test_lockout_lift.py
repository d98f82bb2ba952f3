"""ログイン制限 in the console (issue 26): the company administrator sees until
when an employee is restricted and lifts it — from the employee's page or the
list — with django-axes' reset and a ``lockout_lifted`` event; another
company's employee is a 404."""

from django.conf import settings
from django.test import Client
from django.utils.timezone import localtime

from axes.models import AccessAttempt

from accounts.console.tests.test_console import USERS, action
from accounts.event_kinds import history_line
from accounts.models import SecurityEvent
from tests.helpers import PASSWORD, post_login

OFFICE = "203.0.113.10"
Kind = SecurityEvent.Kind


def lock(user, ip=OFFICE):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(Client(), user.login_id, "Wrong-password-1", REMOTE_ADDR=ip)


def reaches_code(user, ip=OFFICE) -> bool:
    """The password is accepted: on to the code (A-IDs) or ログイン選択 (B-IDs)."""
    page = post_login(Client(), user.login_id, PASSWORD, REMOTE_ADDR=ip).content.decode()
    return 'autocomplete="one-time-code"' in page or 'name="choice-mode"' in page


def test_the_employees_page_says_until_when(console, employee_a):
    page = console.get(f"{USERS}{employee_a.pk}/change/").content.decode()
    assert "ログイン制限" in page and "なし" in page
    lock(employee_a)
    end = localtime(AccessAttempt.objects.get().attempt_time + settings.AXES_COOLOFF_TIME)
    page = console.get(f"{USERS}{employee_a.pk}/change/").content.decode()
    assert f"{OFFICE} からのログインを {end:%Y/%m/%d %H:%M} まで制限中（パスワードの誤りが続いたため）" in page
    assert f"{USERS}{employee_a.pk}/lift-lockout/" in page


def test_lifting_from_the_employees_page(console, admin_a, employee_a):
    lock(employee_a)
    assert not reaches_code(employee_a)
    confirm = console.get(f"{USERS}{employee_a.pk}/lift-lockout/").content.decode()
    assert "ログイン制限を解除する" in confirm and f"{OFFICE} からのログインを" in confirm
    assert not reaches_code(employee_a)  # showing the page lifts nothing

    response = console.post(f"{USERS}{employee_a.pk}/lift-lockout/", {"confirm": "yes"})

    assert response.status_code == 302 and response["Location"] == f"{USERS}{employee_a.pk}/change/"
    assert reaches_code(employee_a)
    event = SecurityEvent.objects.get(kind=Kind.LOCKOUT_LIFTED)
    assert event.user == employee_a and event.actor == admin_a and event.tenant == employee_a.tenant
    page = console.get(f"{USERS}{employee_a.pk}/change/", follow=True).content.decode()
    assert "なし" in page
    log = console.get("/admin/accounts/securityevent/").content.decode()
    assert "ログイン制限の解除" in log


def test_lifting_from_the_list_clears_every_address_and_the_ceiling(console, admin_a, employee_a, employee_b):
    lock(employee_a)
    lock(employee_a, ip="203.0.113.20")
    for i in range(settings.LOGIN_ID_FAILURE_CEILING // 4 + 1):
        for _ in range(4):
            post_login(Client(), employee_b.login_id, "Wrong-password-1", REMOTE_ADDR=f"198.51.100.{i}")
    assert not reaches_code(employee_b, ip="192.0.2.99")  # the ceiling
    page = console.get(f"{USERS}{employee_b.pk}/change/").content.decode()
    assert "初めての端末・アドレスからのログインを" in page

    confirm = action(console, "lift_lockout_action", [employee_a, employee_b]).content.decode()
    assert "ログイン制限を解除する" in confirm
    response = action(console, "lift_lockout_action", [employee_a, employee_b], confirm="yes")

    assert response.status_code == 302
    assert reaches_code(employee_a) and reaches_code(employee_a, ip="203.0.113.20")
    assert reaches_code(employee_b, ip="192.0.2.99")
    assert set(SecurityEvent.objects.filter(kind=Kind.LOCKOUT_LIFTED).values_list("user", flat=True)) == {
        employee_a.pk, employee_b.pk}


def test_nothing_to_lift_records_nothing(console, employee_a):
    response = console.post(f"{USERS}{employee_a.pk}/lift-lockout/", {"confirm": "yes"}, follow=True)
    assert "ログイン制限中のユーザーはいませんでした。" in response.content.decode()
    assert not SecurityEvent.objects.filter(kind=Kind.LOCKOUT_LIFTED).exists()


def test_another_companys_employee_is_a_404(console, other_user):
    lock(other_user)
    assert console.get(f"{USERS}{other_user.pk}/lift-lockout/").status_code == 404
    assert console.post(f"{USERS}{other_user.pk}/lift-lockout/", {"confirm": "yes"}).status_code == 404
    assert action(console, "lift_lockout_action", [other_user], confirm="yes").status_code == 404
    assert not reaches_code(other_user)
    assert not SecurityEvent.objects.filter(kind=Kind.LOCKOUT_LIFTED).exists()


def test_the_employee_sees_the_lifting_in_their_history(console, employee_a):
    lock(employee_a)
    console.post(f"{USERS}{employee_a.pk}/lift-lockout/", {"confirm": "yes"})
    event = SecurityEvent.objects.get(kind=Kind.LOCKOUT_LIFTED)
    assert history_line(event) == "ログイン制限の解除（管理者）"


def test_lifting_when_nothing_is_locked_leaves_the_failures_counted(console, employee_a):
    """Otherwise an administrator could keep a guesser under the limit without a trace."""
    from axes.models import AccessAttempt
    from django.conf import settings
    from django.test import Client

    from accounts.audit.events import Kind
    from accounts.models import SecurityEvent
    from tests.helpers import post_login

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        post_login(Client(), employee_a.login_id, "Wrong-password-1", REMOTE_ADDR="203.0.113.10")
    response = console.post(f"/admin/accounts/user/{employee_a.pk}/lift-lockout/", {"confirm": "yes"}, follow=True)
    assert "ログイン制限中のユーザーはいませんでした。" in response.content.decode()
    assert AccessAttempt.objects.exists()
    assert not SecurityEvent.objects.filter(kind=Kind.LOCKOUT_LIFTED).exists()
