"""Every path that ends a user's sessions: the stored sessions and the ログイン中の端末 rows go
together, and the current session stays where the path keeps it."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from accounts.models import UserSession
from accounts.people.offboarding import user_offboard, user_reactivate
from accounts.people.services import user_issue_temporary_password, user_reset_2fa
from tests.helpers import PASSWORD, session_full


def logged_in(user):
    client = Client()
    session_full(client, user)
    assert client.get("/").status_code == 200
    return client


def stored(client) -> bool:
    return Session.objects.filter(session_key=client.session.session_key).exists()


NEW = "Another-horse-7-battery"

# (name, action(mine, user, admin, console), the current session kept)
PATHS = [
    ("other sessions", lambda mine, user, admin, console: mine.post("/accounts/sessions/logout-others/"), True),
    ("password change", lambda mine, user, admin, console: mine.post("/accounts/password/", {
        "old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}), True),
    ("self 2FA reset", lambda mine, user, admin, console: mine.post("/accounts/security/reset/", {"password": PASSWORD}), True),
    ("admin 2FA reset", lambda mine, user, admin, console: user_reset_2fa(user=user, actor=admin), False),
    ("temporary password", lambda mine, user, admin, console: user_issue_temporary_password(
        user=user, actor=admin, notify=False), False),
    ("offboarding", lambda mine, user, admin, console: user_offboard(user=user, actor=admin), False),
    ("console, every session", lambda mine, user, admin, console: console.post(
        f"/admin/accounts/user/{user.pk}/sessions/", {"all": "yes"}), False),
]


@pytest.mark.parametrize("name,action,kept", PATHS, ids=[p[0] for p in PATHS])
def test_every_path_ending_sessions_removes_their_rows(name, action, kept, employee_a, admin_a, console):
    mine, others = logged_in(employee_a), [logged_in(employee_a) for _ in range(2)]
    other_keys = [o.session.session_key for o in others]

    action(mine, employee_a, admin_a, console)

    assert not UserSession.objects.filter(session_key__in=other_keys).exists()
    for other in others:  # ended: its next request is anonymous and its stored session goes
        assert other.get("/")["Location"].startswith("/accounts/login/")
    assert not Session.objects.filter(session_key__in=other_keys).exists()
    rows = UserSession.objects.filter(user=employee_a)
    if kept:
        assert stored(mine) and mine.get("/").status_code in (200, 302)
        assert list(rows.values_list("session_key", flat=True)) == [mine.session.session_key]
    else:
        assert not rows.exists()


def test_offboarding_leaves_no_session_listed_even_after_reactivation(console, admin_a, employee_a):
    logged_in(employee_a), logged_in(employee_a)
    url = f"/admin/accounts/user/{employee_a.pk}/sessions/"
    assert console.get(url).content.decode().count("<tr data-session") == 2

    user_offboard(user=employee_a, actor=admin_a)
    assert not UserSession.objects.filter(user=employee_a).exists()
    assert "<tr data-session" not in console.get(url).content.decode()

    user_reactivate(user=employee_a, actor=admin_a)
    assert "<tr data-session" not in console.get(url).content.decode()


def test_logout_ends_its_own_session_and_row_only(employee_a):
    mine, other = logged_in(employee_a), logged_in(employee_a)
    key = mine.session.session_key
    mine.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    assert not UserSession.objects.filter(session_key=key).exists()
    assert UserSession.objects.filter(user=employee_a).count() == 1 and other.get("/").status_code == 200
