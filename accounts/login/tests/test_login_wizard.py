"""The login wizard: ID + password, the B-ID's choice, session keys, the forms'
browser conventions and where the login leads (the code step: test_code_step.py)."""

import re
from urllib.parse import urlencode

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecurityEvent
from tests.helpers import (
    PASSWORD, code_for, post_choice, post_code, post_login, session_full, session_password_only,
)
from accounts.login.tests.test_bad_input import JAPANESE, errors_of


@pytest.fixture
def client_factory():
    """Another browser."""
    return Client


def device_of(user):
    return TOTPDevice.objects.get(user=user)


def logged_in(client) -> bool:
    return client.get("/").status_code == 200


# --- ID + password ----------------------------------------------------------

def login_error(client, login_id, password):
    response = post_login(client, login_id, password)
    return response.status_code, errors_of(response)


def test_wrong_id_and_wrong_password_look_the_same(client, employee_a, acme):
    from tests.helpers import make_user

    inactive = make_user("A1000009", acme)
    inactive.is_active = False
    inactive.save()
    wrong_password = login_error(client, "A1000002", "not-the-password")
    assert wrong_password[0] == 200 and "ログインIDまたはパスワードが正しくありません" in wrong_password[1]
    assert login_error(client, "A7777777", "not-the-password") == wrong_password
    assert login_error(client, "A1000009", PASSWORD) == wrong_password
    assert login_error(client, "not an id", "x") == wrong_password


def test_failed_login_is_recorded_without_the_password(client, employee_a):
    post_login(client, "A1000002", "Secret-wrong-1")
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.LOGIN_FAILURE)
    assert event.user == employee_a
    assert "Secret" not in event.detail + str(event.data)


def test_a_id_always_needs_the_code(client, employee_a):
    response = post_login(client, "A1000002")
    assert "認証コード" in response.content.decode()
    assert client.get("/").status_code == 302


def test_the_password_step_loads_the_user_once(client, employee_a):
    """With its company and access rule, in the query that checks the password
    (the office-IP decision needs both); not again for the code page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert "認証コード" in post_login(client, "A1000002").content.decode()
    reads = [q["sql"] for q in queries.captured_queries]
    users = [sql for sql in reads if 'FROM "accounts_user"' in sql]
    assert len(users) == 1 and "accounts_tenantaccessrule" in users[0]
    assert not [sql for sql in reads if 'FROM "accounts_tenant"' in sql or 'FROM "accounts_tenantaccessrule"' in sql]


def test_b_id_choice_screen(client, employee_b):
    html = post_login(client, "B1000001").content.decode()
    for text in ("二要素認証 ログイン選択", "すべての機能を利用する", "就業打刻・明細閲覧のみ利用する",
                 "全ての機能を利用する場合は2要素認証が必要です", "キャンセル"):
        assert text in html
    response = post_choice(client, "limited")
    assert response.status_code == 302
    assert logged_in(client)


def test_b_id_full_mode_needs_the_code(client, employee_b):
    post_login(client, "B1000001")
    response = post_choice(client, "full")
    assert 'autocomplete="one-time-code"' in response.content.decode()
    assert post_code(client, code_for(device_of(employee_b))).status_code == 302


# --- session key rotation ---------------------------------------------------

def session_cookie(client):
    return client.cookies["sessionid"].value


def test_session_key_changes_after_the_code_step(client, employee_a):
    post_login(client, "A1000002")
    before = session_cookie(client)
    post_code(client, code_for(device_of(employee_a)))
    after = session_cookie(client)
    assert before and after and before != after
    assert client.session.session_key == after
    assert logged_in(client)


def test_session_key_changes_after_step_up(client, employee_b):
    session_password_only(client, employee_b)
    before = session_cookie(client)
    response = client.post("/accounts/verify/", {"otp_token": code_for(device_of(employee_b)), "next": "/"})
    assert response.status_code == 302
    assert session_cookie(client) != before
    assert client.session.get("otp_device_id")


# --- browser conventions ----------------------------------------------------

def attrs_of(html, name):
    tag = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', html)
    assert tag, f"no input {name}"
    return tag.group(0)


def test_login_form_attributes_and_labels(client, db):
    html = client.get("/accounts/login/").content.decode()
    assert 'autocomplete="username"' in attrs_of(html, "auth-username")
    assert 'autocomplete="current-password"' in attrs_of(html, "auth-password")
    assert "ログインID" in html and "パスワード" in html


def test_code_forms_attributes(client, employee_a, employee_b, client_factory):
    html = post_login(client, "A1000002").content.decode()
    tag = attrs_of(html, "token-otp_token")
    assert 'autocomplete="one-time-code"' in tag and 'inputmode="numeric"' in tag
    assert "認証コード（6桁）" in html
    other = session_password_only(client_factory(), employee_b)
    html = other.get("/accounts/verify/").content.decode()
    tag = attrs_of(html, "otp_token")
    assert 'autocomplete="one-time-code"' in tag and 'inputmode="numeric"' in tag


def test_password_change_attributes(client, employee_a):
    html = session_full(client, employee_a).get("/accounts/password/").content.decode()
    assert 'autocomplete="current-password"' in attrs_of(html, "old_password")
    assert 'autocomplete="new-password"' in attrs_of(html, "new_password1")
    assert "現在のパスワード" in html and "新しいパスワード" in html


# --- where the login leads ------------------------------------------------

@pytest.mark.parametrize("target,lands", [
    ("/accounts/security/", "/accounts/security/"),
    ("portal", "/"), ("0", "/"), ("https://evil.example/", "/"), ("//evil.example/", "/"),
    ("/\\evil.example", "/"), ("x" * 10_000, "/"),
])
def test_next_is_followed_only_on_this_site(client, employee_b, target, lands):
    device = device_of(employee_b)
    post_login(client, "B1000001")
    response = client.post("/accounts/login/?" + urlencode({"next": target}),
                           {"login_view-current_step": "choice", "choice-mode": "full"})
    response = client.post("/accounts/login/?" + urlencode({"next": target}),
                           {"login_view-current_step": "token", "token-otp_token": code_for(device)})
    assert response.status_code == 302 and response["Location"] == lands
    step_up = session_password_only(Client(), employee_b)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    response = step_up.post("/accounts/verify/", {"otp_token": code_for(device), "next": target})
    assert response.status_code == 302 and response["Location"] == lands
    assert step_up.get("/accounts/setup/", {"next": target})["Location"] == lands


def test_code_step_times_out_after_ten_minutes(client, employee_a):
    post_login(client, "A1000002")
    session = client.session
    session["wizard_login_view"]["authentication_time"] -= 601
    session.save()
    response = post_code(client, code_for(device_of(employee_a)))
    assert response.status_code == 200
    assert not logged_in(client)
    errors = errors_of(response)
    assert errors and JAPANESE.search(errors), errors
    assert 'autocomplete="current-password"' in response.content.decode()  # back to the password


def test_step_up_accepts_full_width_digits(client, employee_b):
    session_password_only(client, employee_b)
    code = code_for(device_of(employee_b)).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    response = client.post("/accounts/verify/", {"otp_token": code, "next": "/attendance/"})
    assert response.status_code == 302 and response["Location"] == "/attendance/"
    assert client.session.get("otp_device_id")
