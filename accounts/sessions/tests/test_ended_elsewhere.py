"""A session ended from another device (ログイン中の端末) or by the company
administrator (the console) lands on a login page that says why, once, and
brings the user back to their page (issue 26); nothing of the ended login
comes back."""

import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session
from django.test import Client

from accounts.models import UserSession
from accounts.sessions.tests.test_notices import login_page_after
from tests.helpers import session_full

BY_USER = "ほかの端末からの操作（ログイン中の端末）で、この端末はログアウトされました。"
BY_ADMIN = "会社の管理者の操作で、この端末はログアウトされました。"


def logged_in(user) -> Client:
    client = Client()
    session_full(client, user)
    assert client.get("/").status_code == 200
    return client


def row_of(client) -> UserSession:
    return UserSession.objects.get(session_key=client.session.session_key)


ENDINGS = [
    ("one device, by the user", BY_USER, lambda mine, other, console, user: mine.post(
        "/accounts/sessions/logout/", {"session": row_of(other).pk})),
    ("every other device, by the user", BY_USER, lambda mine, other, console, user: mine.post(
        "/accounts/sessions/logout-others/")),
    ("one device, in the console", BY_ADMIN, lambda mine, other, console, user: console.post(
        f"/admin/accounts/user/{user.pk}/sessions/", {"session": row_of(other).pk})),
    ("every device, in the console", BY_ADMIN, lambda mine, other, console, user: console.post(
        f"/admin/accounts/user/{user.pk}/sessions/", {"all": "yes"})),
]


@pytest.mark.parametrize("name,notice,end", ENDINGS, ids=[e[0] for e in ENDINGS])
def test_the_ended_device_is_told_why_once(name, notice, end, console, employee_a):
    mine, other = logged_in(employee_a), logged_in(employee_a)
    ended_key = other.session.session_key

    assert end(mine, other, console, employee_a).status_code == 302

    location, html = login_page_after(other, "/attendance/")
    assert location == "/accounts/login/?next=/attendance/"
    assert notice in html and 'id="logout-notice"' in html
    assert not Session.objects.filter(session_key=ended_key).exists()  # the ended login stays gone
    assert "_auth_user_id" not in other.session
    assert notice not in other.get("/accounts/login/").content.decode()  # said once
    assert 'id="logout-notice"' not in Client().get("/accounts/login/").content.decode()


def test_the_user_is_told_what_to_do_when_it_was_not_them(employee_a):
    mine, other = logged_in(employee_a), logged_in(employee_a)
    mine.post("/accounts/sessions/logout-others/")
    _, html = login_page_after(other, "/")
    assert "心当たりがない場合は、ログイン後にパスワードを変更し、会社の管理者にご連絡ください。" in html


def test_a_request_of_the_ended_session_still_running_cannot_bring_it_back(employee_a):
    """The reason is kept beside the ended key, never under it: a late save of the ended
    session finds no row to write into (Django's SessionInterrupted), as before."""
    mine, other = logged_in(employee_a), logged_in(employee_a)
    ended_key = other.session.session_key
    late = other.session  # loaded before the ending, saved after it
    assert "_auth_user_id" in late
    mine.post("/accounts/sessions/logout-others/")
    late["netdekomon_draft"] = "x"
    with pytest.raises(UpdateError):
        late.save()
    assert not Session.objects.filter(session_key=ended_key).exists()
    assert other.get("/")["Location"].startswith("/accounts/login/")


def test_a_cookie_naming_no_session_says_nothing(db):
    client = Client()
    client.cookies["sessionid"] = "x" * 32
    html = client.get("/accounts/login/").content.decode()
    assert 'id="logout-notice"' not in html
