"""ログイン中の端末: the user's open sessions, ending one or all others, and the console's list."""

import time
from unittest import mock

from django.test import Client

from accounts.models import SecurityEvent, UserSession
from accounts.sessions.state import LAST_SEEN_SESSION_KEY
from tests.helpers import PASSWORD, code_for, post_choice, post_login, session_full

UA_PHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1")
UA_PC = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"


def logged_in(user, **extra):
    client = Client(**extra)
    session_full(client, user)
    assert client.get("/").status_code == 200
    return client


def test_a_login_through_the_wizard_is_one_row_that_follows_the_session(employee_b):
    client = Client(HTTP_USER_AGENT=UA_PHONE, REMOTE_ADDR="198.51.100.7")
    post_login(client, employee_b.login_id)
    post_choice(client, "limited")
    client.get("/")
    row = UserSession.objects.get(user=employee_b)
    assert row.session_key == client.session.session_key and row.mode == "limited"
    assert row.ip_address == "198.51.100.7" and "iPhone" in row.user_agent
    # Step-up to the full mode: a new session key, the same row.
    device = employee_b.totpdevice_set.get()
    response = client.post("/accounts/verify/", {"otp_token": code_for(device), "next": "/"})
    assert response.status_code == 302
    client.get("/")
    row = UserSession.objects.get(user=employee_b)
    assert row.session_key == client.session.session_key and row.mode == "full"
    page = client.get("/accounts/sessions/").content.decode()
    assert "Mobile Safari 17・iOS 17・スマートフォン" in page and "この端末" in page and "198.51.100.7" in page
    client.post("/accounts/logout/")
    assert not UserSession.objects.filter(user=employee_b).exists()


def test_last_activity_is_written_only_when_the_lifetime_notes_it(client, employee_a):
    session_full(client, employee_a)
    client.get("/")
    before = UserSession.objects.get(user=employee_a).last_seen
    client.get("/")
    assert UserSession.objects.get(user=employee_a).last_seen == before  # within the minute: no write
    later = time.time() + 120
    with mock.patch("accounts.sessions.lifetime.time.time", return_value=later):
        client.get("/")
    assert client.session[LAST_SEEN_SESSION_KEY] == int(later)
    assert UserSession.objects.get(user=employee_a).last_seen > before


def test_ending_one_session_logs_that_browser_out_at_its_next_request(employee_a):
    mine, other = logged_in(employee_a, HTTP_USER_AGENT=UA_PC), logged_in(employee_a, HTTP_USER_AGENT=UA_PHONE)
    rows = {r.session_key: r for r in UserSession.objects.filter(user=employee_a)}
    assert len(rows) == 2
    target = rows[other.session.session_key]
    page = mine.get("/accounts/sessions/").content.decode()
    assert page.count("<li data-session") == 2 and "ほかのすべての端末からログアウト" in page

    response = mine.post("/accounts/sessions/logout/", {"session": target.pk})

    assert response.status_code == 302 and response["Location"] == "/accounts/sessions/"
    assert other.get("/")["Location"].startswith("/accounts/login/")
    assert mine.get("/").status_code == 200
    assert list(UserSession.objects.filter(user=employee_a).values_list("session_key", flat=True)) == \
        [mine.session.session_key]
    event = SecurityEvent.objects.get(kind="logout", data__reason="ended")
    assert event.user == employee_a


def test_all_others_end_and_the_current_session_survives(employee_a):
    mine = logged_in(employee_a)
    others = [logged_in(employee_a) for _ in range(2)]

    response = mine.post("/accounts/sessions/logout-others/")

    assert response.status_code == 302
    for other in others:
        assert other.get("/")["Location"].startswith("/accounts/login/")
    assert mine.get("/accounts/sessions/").status_code == 200
    assert UserSession.objects.filter(user=employee_a).count() == 1
    assert "ほかの端末ではログインしていません" in mine.get("/accounts/sessions/").content.decode()


def test_another_users_session_cannot_be_ended(employee_a, other_user):
    mine, theirs = logged_in(employee_a), logged_in(other_user)
    row = UserSession.objects.get(user=other_user)
    assert mine.post("/accounts/sessions/logout/", {"session": row.pk}).status_code == 404
    assert mine.post("/accounts/sessions/logout/", {"session": "x"}).status_code == 404
    assert theirs.get("/").status_code == 200
    assert "B2000001" not in mine.get("/accounts/sessions/").content.decode()


def test_the_page_needs_the_code(client, employee_b):
    from tests.helpers import session_limited

    session_limited(client, employee_b)
    assert client.get("/accounts/sessions/")["Location"].startswith("/accounts/verify/")


def test_a_password_change_drops_the_other_rows_and_offers_the_page(employee_a):
    mine, other = logged_in(employee_a), logged_in(employee_a)
    response = mine.post("/accounts/password/", {
        "old_password": PASSWORD, "new_password1": "Another-horse-7-battery",
        "new_password2": "Another-horse-7-battery"}, follow=True)
    assert '<a href="/accounts/sessions/">ログイン中の端末を確認する</a>' in response.content.decode()
    assert UserSession.objects.filter(user=employee_a).count() == 1
    assert other.get("/")["Location"].startswith("/accounts/login/")


def test_a_self_reset_offers_the_page_after_the_setup(employee_a):
    mine, other = logged_in(employee_a), logged_in(employee_a)
    response = mine.post("/accounts/security/reset/", {"password": PASSWORD}, follow=True)
    assert "ログイン中の端末を確認する" in response.content.decode()
    assert UserSession.objects.filter(user=employee_a).count() == 1
    assert other.get("/")["Location"].startswith("/accounts/login/")


def test_idle_sessions_are_not_listed(employee_a, settings):
    from datetime import timedelta

    from django.utils import timezone

    mine, other = logged_in(employee_a), logged_in(employee_a)
    UserSession.objects.filter(session_key=other.session.session_key).update(
        last_seen=timezone.now() - timedelta(seconds=settings.SESSION_IDLE_SECONDS + 60))
    assert mine.get("/accounts/sessions/").content.decode().count("<li data-session") == 1


# --- The console -------------------------------------------------------------

def test_an_administrator_ends_an_employees_sessions(console, admin_a, employee_a):
    one, two = logged_in(employee_a), logged_in(employee_a, HTTP_USER_AGENT=UA_PHONE)
    url = f"/admin/accounts/user/{employee_a.pk}/sessions/"
    page = console.get(url).content.decode()
    assert page.count("<tr data-session") == 2 and "すべての端末からログアウト" in page
    assert url in console.get(f"/admin/accounts/user/{employee_a.pk}/change/").content.decode()

    row = UserSession.objects.get(session_key=two.session.session_key)
    assert console.post(url, {"session": row.pk}).status_code == 302
    assert two.get("/")["Location"].startswith("/accounts/login/")
    assert one.get("/").status_code == 200
    assert SecurityEvent.objects.get(kind="logout", data__reason="ended",
                                    data__actor_login_id="A1000001").actor == admin_a

    console.post(url, {"all": "yes"})
    assert one.get("/")["Location"].startswith("/accounts/login/")
    assert not UserSession.objects.filter(user=employee_a).exists()
    assert console.get("/admin/").status_code == 200  # the administrator's own session is another user's


def test_an_administrator_cannot_reach_another_companys_sessions(console, other_user):
    theirs = logged_in(other_user)
    row = UserSession.objects.get(user=other_user)
    url = f"/admin/accounts/user/{other_user.pk}/sessions/"
    assert console.get(url).status_code == 404
    assert console.post(url, {"all": "yes"}).status_code == 404
    assert console.post(url, {"session": row.pk}).status_code == 404
    assert theirs.get("/").status_code == 200


def test_an_administrator_cannot_end_a_session_of_another_user_through_an_employees_page(
        console, employee_a, employee_b):
    theirs = logged_in(employee_b)
    row = UserSession.objects.get(user=employee_b)
    response = console.post(f"/admin/accounts/user/{employee_a.pk}/sessions/", {"session": row.pk})
    assert response.status_code == 404
    assert theirs.get("/").status_code == 200


def test_a_first_request_long_after_the_login_moves_the_last_activity(client, employee_a):
    session_full(client, employee_a)
    at_login = UserSession.objects.get(user=employee_a).last_seen
    later = time.time() + 20 * 60
    with mock.patch("accounts.sessions.lifetime.time.time", return_value=later):
        client.get("/")
    assert UserSession.objects.get(user=employee_a).last_seen > at_login
