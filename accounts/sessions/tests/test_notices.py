"""Timeouts that warn and lose nothing: the login page says why the session
ended and brings the user back; 「ログインを延長」 starts the idle time again."""

import time

import pytest
from django.test import Client

from accounts.people import services
from accounts.sessions.state import LAST_SEEN_SESSION_KEY
from tests.helpers import PASSWORD, session_full, session_limited
from accounts.sessions.tests.test_lifetime import age

IDLE = "一定時間操作がなかったため、ログアウトしました。もう一度ログインしてください。"
ENDED = "セキュリティのため、ログアウトしました。"


def login_page_after(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")
    return response["Location"], client.get(response["Location"]).content.decode()


def test_idle_timeout_is_explained_once_and_the_next_page_kept(client, employee_a):
    session_full(client, employee_a)
    age(client, idle=31 * 60, since_login=31 * 60)
    location, html = login_page_after(client, "/attendance/requests/new/")
    assert location == "/accounts/login/?next=/attendance/requests/new/"
    assert IDLE in html
    assert IDLE not in client.get(location).content.decode()  # said once


def test_absolute_lifetime_is_explained(client, employee_b, settings):
    session_limited(client, employee_b)
    age(client, idle=0, since_login=settings.SESSION_ABSOLUTE_SECONDS + 10)
    _, html = login_page_after(client, "/")
    assert "ログインから12時間たったため、ログアウトしました。" in html


@pytest.mark.parametrize("how", ["reset", "password", "admin"])
def test_session_ended_elsewhere_is_explained(client, employee_a, admin_a, how):
    session_full(client, employee_a)
    if how == "reset":
        services.user_reset_2fa(user=employee_a, actor=employee_a)
    elif how == "password":
        employee_a.set_password("another-Pass-2026!")
        employee_a.save()
    else:
        employee_a.set_temporary_password()
        employee_a.save()
    _, html = login_page_after(client, "/attendance/")
    assert ENDED in html
    assert ENDED not in client.get("/accounts/login/").content.decode()


def test_logout_says_so(client, employee_b):
    session_limited(client, employee_b)
    response = client.post("/accounts/logout/", follow=True)
    assert "ログアウトしました。" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_fresh_login_page_says_nothing(client, db):
    html = client.get("/accounts/login/").content.decode()
    assert 'id="logout-notice"' not in html


def test_pages_carry_the_timeout_notice(client, employee_a, settings):
    session_full(client, employee_a)
    html = client.get("/").content.decode()
    assert "まもなく自動的にログアウトします" in html and "ログインを延長" in html
    assert f'data-warn-seconds="{settings.SESSION_WARNING_SECONDS}"' in html
    left = int(html.split('data-seconds-left="')[1].split('"')[0])
    assert settings.SESSION_IDLE_SECONDS - 60 <= left <= settings.SESSION_IDLE_SECONDS
    assert "まもなく自動的にログアウトします" not in Client().get("/accounts/login/").content.decode()


def test_extend_starts_the_idle_time_again(client, employee_a, settings):
    session_full(client, employee_a)
    age(client, idle=29 * 60, since_login=29 * 60)
    response = client.post("/accounts/session/extend/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json()["seconds_left"] == settings.SESSION_IDLE_SECONDS
    assert int(time.time()) - client.session[LAST_SEEN_SESSION_KEY] <= 1
    # Without JavaScript the form goes back to the page.
    response = client.post("/accounts/session/extend/", {"next": "/attendance/"})
    assert response["Location"] == "/attendance/"
    assert client.get("/accounts/session/extend/").status_code == 405


def test_extend_after_the_limit_does_not_revive_the_session(client, employee_a):
    session_full(client, employee_a)
    age(client, idle=31 * 60, since_login=31 * 60)
    response = client.post("/accounts/session/extend/", HTTP_ACCEPT="application/json")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_sent_form_tells_the_browser_to_forget_its_draft(client, employee_a):
    session_full(client, employee_a)
    html = client.get("/attendance/requests/new/").content.decode()
    assert 'data-draft="attendance-request" data-draft-restore="1"' in html
    token = html.split('name="token" value="')[1].split('"')[0]
    response = client.post("/attendance/requests/new/", {
        "kind": "leave", "leave_type": "paid", "start_date": "2026-12-24", "reason": "年末の帰省", "token": token})
    assert response.status_code == 302
    assert response.cookies["netdekomon_draft_sent"].value == "attendance-request"


def test_bank_account_numbers_are_never_kept_in_the_browser(client, employee_a):
    session_full(client, employee_a)
    html = client.get("/reception/new/bank/").content.decode()
    field = html.split('name="account_number"')[1].split(">")[0]
    assert "data-no-draft" in field
    assert 'data-draft="reception-bank"' in html
