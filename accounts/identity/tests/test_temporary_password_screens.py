"""Temporary passwords read right: one banner worded for where the session is,
and the forced change titled 「仮パスワードの変更」 with the field 「仮パスワード」."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.login.forms import PASSWORD_MAX_LENGTH
from tests import helpers
from tests.helpers import PASSWORD, code_for, post_choice, post_code, post_login, session_password_only

LIMITED_BANNER = "仮パスワードのままご利用中です。セキュリティのため、パスワードを変更してください。"


def test_limited_mode_shows_one_banner_with_the_way_to_change(client, temp_b):
    post_login(client, temp_b.login_id)
    post_choice(client, "limited")
    html = client.get("/").content.decode()
    assert html.count("仮パスワード") == html.count(LIMITED_BANNER) == 1
    assert 'href="/accounts/password/?next=/">パスワードを変更する（認証コードが必要です）</a>' in html
    assert "「すべての機能を利用する」でログインして" not in html


def test_forced_change_after_the_code_is_titled_for_the_temporary_password(client, temp_b):
    post_login(client, temp_b.login_id)
    post_choice(client, "full")
    post_code(client, code_for(TOTPDevice.objects.get(user=temp_b)))
    response = client.get("/", follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0].startswith("/accounts/password/")
    assert "<title>仮パスワードの変更 |" in html and "<h1>仮パスワードの変更</h1>" in html
    assert '<label for="id_old_password">仮パスワード</label>' in html
    assert "現在のパスワード" not in html and "すべての機能を利用する" not in html
    assert 'id="temporary-password-banner"' not in html  # the page itself explains, once


def test_a_id_on_a_temporary_password_is_told_what_comes_next(client, acme):
    fresh = helpers.make_user("A1000009", acme, temporary=True)
    session_password_only(client, fresh)
    html = client.get("/accounts/setup/").content.decode()
    assert "2要素認証の設定が終わると、新しいパスワードの設定に進みます。" in html
    assert "すべての機能を利用する" not in html


def test_wrong_temporary_password_says_so(client, temp_b):
    helpers.session_full(client, temp_b)
    html = client.post("/accounts/password/", {"old_password": "nope", "new_password1": "x",
                                               "new_password2": "x"}).content.decode()
    assert "仮パスワードが正しくありません。" in html


LONG = "a" * (PASSWORD_MAX_LENGTH + 1)
TOO_LONG = "パスワードは128文字以内で入力してください。"


def test_login_refuses_an_overlong_password_plainly(client, employee_b):
    html = post_login(client, employee_b.login_id, LONG).content.decode()
    assert TOO_LONG in html and 'maxlength="128"' not in html


def test_password_change_refuses_an_overlong_new_password(client, employee_a):
    helpers.session_full(client, employee_a)
    html = client.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": LONG,
                                               "new_password2": LONG}).content.decode()
    assert TOO_LONG in html
    employee_a.refresh_from_db()
    assert employee_a.check_password(PASSWORD)


@pytest.mark.parametrize("length, ok", [(128, True), (129, False)])
def test_admin_reset_confirmation_caps_the_password(employee_a, length, ok):
    from accounts.login.security_forms import AdminResetForm

    form = AdminResetForm(employee_a, data={"password": "b" * length})
    form.is_valid()
    assert (TOO_LONG in str(form.errors)) is not ok
