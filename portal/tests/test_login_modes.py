"""ログイン選択 for B-IDs, the limited mode, step-up and the temporary password (FAQ ⑥⑫)."""

import pyotp
import pytest
from django.contrib.auth import SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.helpers import PASSWORD, code_for, post_choice, post_code, post_login, session_limited

CHOICE_TEXTS = ["二要素認証 ログイン選択", "すべての機能を利用する", "就業打刻・明細閲覧のみ利用する",
                "キャンセル", "全ての機能を利用する場合は2要素認証が必要です"]
BAD_NEXTS = ["//evil.com", "https://evil.com", "/\\evil.com", "\\\\evil.com", "http:/evil.com",
             "https:evil.com", " //evil.com"]


def device_of(user):
    return TOTPDevice.objects.get(user=user)


def session_id(client):
    return client.cookies["sessionid"].value


def test_b_id_gets_the_choice_screen_worded_as_the_faq(client, employee_b):
    page = post_login(client, employee_b.login_id).content.decode()
    for text in CHOICE_TEXTS:
        assert text in page
    assert 'name="choice-mode" value="full"' in page and 'name="choice-mode" value="limited"' in page


@pytest.mark.parametrize("persona", ["employee_a", "fresh_a", "admin_a"])
def test_a_ids_never_see_the_choice_screen(client, request, persona):
    user = request.getfixturevalue(persona)
    page = post_login(client, user.login_id).content.decode()
    assert "二要素認証 ログイン選択" not in page
    # Forcing the choice step does not give an A-ID the limited mode either.
    page = post_choice(client, "limited").content.decode()
    assert "二要素認証 ログイン選択" not in page
    response = client.get("/attendance/")
    assert response.status_code == 302
    assert not response["Location"].startswith("/attendance/")


def test_full_choice_asks_for_the_code_then_opens_the_full_portal(client, employee_b):
    post_login(client, employee_b.login_id)
    page = post_choice(client, "full").content.decode()
    assert 'autocomplete="one-time-code"' in page
    response = post_code(client, code_for(device_of(employee_b)))
    assert response.status_code == 302 and response["Location"] == "/"
    page = client.get("/").content.decode()
    assert 'id="mode">すべての機能<' in page
    assert client.get("/attendance/requests/").status_code == 200


def test_full_choice_without_a_device_goes_to_setup(client, fresh_b):
    post_login(client, fresh_b.login_id)
    post_choice(client, "full")
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/setup/")


def test_limited_choice_opens_the_portal_in_limited_mode(client, employee_b):
    post_login(client, employee_b.login_id)
    response = post_choice(client, "limited")
    assert response.status_code == 302 and response["Location"] == "/"
    page = client.get("/").content.decode()
    assert 'id="mode">就業打刻・明細閲覧のみ<' in page
    assert "すべての機能を利用する（認証コードを入力）" in page  # how to switch
    assert client.get("/attendance/").status_code == 200
    assert client.get("/payslips/").status_code == 200
    assert client.get("/attendance/requests/")["Location"].startswith("/accounts/verify/")


@pytest.mark.parametrize("persona, step", [("employee_b", "choice"), ("employee_a", "token")])
def test_cancel_returns_to_the_login_page_remembering_nothing(client, request, persona, step):
    user = request.getfixturevalue(persona)
    post_login(client, user.login_id)
    response = client.post("/accounts/login/", {"login_view-current_step": step, "wizard_goto_step": "auth"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="auth-password"' in page and user.login_id not in page
    session = client.session
    assert SESSION_KEY not in session
    wizard = session.get("wizard_login_view", {})
    assert not wizard.get("user_pk") and not wizard.get("step_data") and not wizard.get("validated_step_data")
    # The half-finished login cannot be resumed: choosing now logs nobody in.
    post_choice(client, "limited")
    post_code(client, code_for(device_of(user)))
    assert SESSION_KEY not in client.session
    assert client.get("/")["Location"].startswith("/accounts/login/")


def test_step_up_returns_to_the_requested_page_with_a_new_session_key(client, employee_b):
    post_login(client, employee_b.login_id)
    post_choice(client, "limited")
    response = client.get("/attendance/requests/?month=2026-11")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/verify/?next=%2Fattendance%2Frequests%2F%3Fmonth%3D2026-11"
    page = client.get(response["Location"]).content.decode()
    assert 'name="next" value="/attendance/requests/?month=2026-11"' in page
    before = session_id(client)
    response = client.post("/accounts/verify/", {"otp_token": code_for(device_of(employee_b)),
                                                 "next": "/attendance/requests/?month=2026-11"})
    assert response.status_code == 302 and response["Location"] == "/attendance/requests/?month=2026-11"
    assert session_id(client) != before
    assert client.get("/attendance/requests/").status_code == 200
    assert 'id="mode">すべての機能<' in client.get("/").content.decode()


def test_step_up_without_a_device_sets_up_then_returns(client, fresh_b):
    session_limited(client, fresh_b)
    response = client.get("/reception/")
    assert response["Location"] == "/accounts/setup/?next=%2Freception%2F"
    response = client.get(response["Location"])
    secret = response.context["secret_key"]
    before = session_id(client)
    response = client.post("/accounts/setup/?next=%2Freception%2F", {
        "setup_view-current_step": "generator", "generator-token": pyotp.TOTP(secret).now(),
        "next": "/reception/",
    })
    assert response.status_code == 302 and response["Location"] == "/reception/"
    assert session_id(client) != before
    assert client.get("/reception/").status_code == 200


@pytest.mark.parametrize("bad_next", BAD_NEXTS)
def test_step_up_never_redirects_off_site(client, employee_b, bad_next):
    session_limited(client, employee_b)
    page = client.get("/accounts/verify/", {"next": bad_next}).content.decode()
    assert '<input type="hidden" name="next" value="/">' in page
    response = client.post("/accounts/verify/", {"otp_token": code_for(device_of(employee_b)), "next": bad_next})
    assert response.status_code == 302 and response["Location"] == "/"


@pytest.mark.parametrize("bad_next", BAD_NEXTS[:3])
def test_setup_never_redirects_off_site(client, fresh_b, bad_next):
    session_limited(client, fresh_b)
    secret = client.get("/accounts/setup/", {"next": bad_next}).context["secret_key"]
    response = client.post("/accounts/setup/", {
        "setup_view-current_step": "generator", "generator-token": pyotp.TOTP(secret).now(), "next": bad_next,
    })
    assert response.status_code == 302 and response["Location"] == "/"


@pytest.mark.parametrize("bad_next", BAD_NEXTS[:3])
def test_login_never_redirects_off_site(client, employee_b, bad_next):
    client.post(f"/accounts/login/?next={bad_next}", {
        "login_view-current_step": "auth", "auth-username": employee_b.login_id, "auth-password": PASSWORD,
    })
    response = client.post(f"/accounts/login/?next={bad_next}",
                           {"login_view-current_step": "choice", "choice-mode": "limited"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_temporary_password_may_use_the_limited_mode_with_a_recommendation(client, temp_b):
    post_login(client, temp_b.login_id)
    post_choice(client, "limited")
    for url in ["/", "/attendance/", "/payslips/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "仮パスワードのままご利用中です" in response.content.decode(), url


def test_temporary_password_full_login_needs_the_code_then_a_password_change(client, temp_b):
    post_login(client, temp_b.login_id)
    assert 'autocomplete="one-time-code"' in post_choice(client, "full").content.decode()
    post_code(client, code_for(device_of(temp_b)))
    for url in ["/", "/attendance/", "/attendance/requests/", "/payslips/", "/accounts/security/", "/admin/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/password/?next="), url
    assert client.get("/accounts/password/").status_code == 200
    assert client.get("/help/").status_code == 200
    response = client.post("/accounts/password/?next=/attendance/requests/", {
        "old_password": PASSWORD, "new_password1": "Brand-new-pass-42", "new_password2": "Brand-new-pass-42",
        "next": "/attendance/requests/",
    })
    assert response.status_code == 302 and response["Location"] == "/attendance/requests/"
    assert client.get("/attendance/requests/").status_code == 200


def test_temporary_password_step_up_then_change_then_the_requested_page(client, temp_b):
    session_limited(client, temp_b)
    client.get("/reception/")
    response = client.post("/accounts/verify/", {"otp_token": code_for(device_of(temp_b)), "next": "/reception/"})
    assert response["Location"] == "/reception/"
    response = client.get("/reception/")
    assert response["Location"] == "/accounts/password/?next=%2Freception%2F"


def test_a_id_on_a_temporary_password_changes_it_right_after_the_code(client, acme):
    from tests.helpers import make_user

    user = make_user("A1000009", acme, name="仮 太郎", device=True, temporary=True)
    post_login(client, user.login_id)
    response = post_code(client, code_for(device_of(user)))
    assert response["Location"] == "/"
    assert client.get("/")["Location"] == "/accounts/password/?next=%2F"
    assert client.get("/payslips/")["Location"] == "/accounts/password/?next=%2Fpayslips%2F"


def test_a_limited_mode_marker_in_an_a_id_session_gives_nothing(client, employee_a):
    session_limited(client, employee_a)  # as if the session said 「就業打刻・明細閲覧のみ」
    for url in ["/", "/attendance/", "/payslips/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/verify/?next="), url
