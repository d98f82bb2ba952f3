"""Passkeys through the real pages and the server's real WebAuthn checks (a
software authenticator signs): registration after the own password, the
passkey at every code step counting exactly as a code, removal, and every
refusal recorded."""

import json

import pytest
from django.core import mail
from django.test import Client
from accounts.models import Passkey

from accounts.mfa.tests.authenticator import SoftPasskey, options_of
from accounts.models import SecurityEvent
from accounts.people import services
from tests.helpers import PASSWORD, post_choice, post_login, session_full, session_limited

ADD = "/accounts/security/passkeys/new/"


def register(client, passkey: SoftPasskey, name="iPhone の Safari"):
    """「パスキーを登録」 → name and own password → 「パスキーを作成」 (the page posts the answer)."""
    page = client.post(ADD, {"name": name, "password": PASSWORD}).content.decode()
    return client.post(ADD, {"name": name, "passkey": passkey.create(options_of(page))})


def events_of(user, kind):
    return list(SecurityEvent.objects.filter(user=user, kind=kind).order_by("pk"))


def post_passkey(client, passkey, page, url="/accounts/login/", **fields):
    data = {"login_view-current_step": "token", "token-passkey": passkey.get(options_of(page))}
    if url != "/accounts/login/":
        data = {"passkey": passkey.get(options_of(page)), **fields}
    return client.post(url, data)


@pytest.fixture
def phone():
    return SoftPasskey()


@pytest.fixture
def registered(client, employee_a, phone):
    session_full(client, employee_a)
    assert register(client, phone).status_code == 302
    mail.outbox.clear()
    return phone


# --- registration ---------------------------------------------------------


def test_registration_asks_the_own_password_then_keeps_the_named_passkey(client, employee_a, phone):
    session_full(client, employee_a)
    security = client.get("/accounts/security/").content.decode()
    assert "登録されているパスキーはありません。" in security and "パスキーを登録" in security
    first = client.get(ADD, HTTP_USER_AGENT="Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) "
                       "AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1")
    assert 'value="iPhone の Safari"' in first.content.decode(), "the name defaults to the device"

    wrong = client.post(ADD, {"name": "会社のPC", "password": "not-mine-1234"}).content.decode()
    assert "パスワードが正しくありません" in wrong and "passkey-options" not in wrong
    denied = events_of(employee_a, "reset_denied")[-1].data
    assert (denied["reason"], denied["action"]) == ("wrong_password", "passkey_add"), "counted as the reset's are"

    response = register(client, phone, name="会社のPC")
    assert response.status_code == 302 and response["Location"] == "/accounts/security/"
    device = Passkey.objects.get(user=employee_a)
    assert device.name == "会社のPC" and device.confirmed
    assert events_of(employee_a, "passkey_added")[-1].data["name"] == "会社のPC"
    [notice] = mail.outbox
    assert notice.subject == "【ネット de 顧問】パスキーが登録されました" and "会社のPC" in notice.body
    listed = client.get("/accounts/security/").content.decode()
    assert "会社のPC" in listed and "未使用" in listed


def test_no_passkey_is_made_without_the_password_step(client, employee_a, phone):
    session_full(client, employee_a)
    forged = {"challenge": "AAAA", "user": {"id": "AAAA"}}
    response = client.post(ADD, {"name": "盗んだセッション", "passkey": phone.create(forged)})
    assert "もう一度パスワードを入力して「次へ」を押してください" in response.content.decode()
    assert not Passkey.objects.exists()


def test_a_limited_session_is_sent_to_the_code_first(client, employee_b):
    session_limited(client, employee_b)
    response = client.get(ADD)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/verify/")


# --- the code step --------------------------------------------------------


def test_a_passkey_logs_in_as_a_code_would(registered, employee_a):
    browser = Client()
    page = post_login(browser, "A1000002").content.decode()
    assert "パスキーを使う" in page
    response = post_passkey(browser, registered, page)
    assert response.status_code == 302 and response["Location"] == "/"
    assert browser.get("/attendance/requests/").status_code == 200, "the full mode, as after a code"
    assert events_of(employee_a, "login_success")[-1].data["method"] == "passkey"
    assert not events_of(employee_a, "code_success"), "no code was used"
    device = Passkey.objects.get(user=employee_a)
    assert device.last_used_at is not None and device.sign_count == 1
    history = browser.get("/accounts/history/").content.decode()
    assert "パスキーでログイン（すべての機能）" in history


def test_a_b_id_choosing_everything_and_a_step_up_take_the_passkey(client, employee_b):
    phone = SoftPasskey()
    session_full(client, employee_b)
    register(client, phone)
    browser = Client()
    post_login(browser, "B1000001")
    page = post_choice(browser, "full").content.decode()
    assert post_passkey(browser, phone, page).status_code == 302
    assert events_of(employee_b, "login_success")[-1].data["method"] == "passkey"

    limited = session_limited(Client(), employee_b)
    page = limited.get("/accounts/verify/?next=/attendance/requests/").content.decode()
    response = post_passkey(limited, phone, page, url="/accounts/verify/", next="/attendance/requests/")
    assert response.status_code == 302 and response["Location"] == "/attendance/requests/"
    assert events_of(employee_b, "step_up")[-1].data == {"method": "passkey"}


def test_without_a_passkey_the_code_step_is_as_before(client, employee_a):
    page = post_login(client, "A1000002").content.decode()
    assert "パスキーを使う" not in page and "passkey-options" not in page


# --- refusals ---------------------------------------------------------------


def refused(page, employee, reason):
    assert "パスキー" in page and "認証コード" in page
    assert events_of(employee, "passkey_refused")[-1].data == {"reason": reason}


def test_a_removed_passkey_is_refused(client, registered, employee_a):
    pc = SoftPasskey()
    register(client, pc, name="会社のPC")
    phone = Passkey.objects.get(user=employee_a, name="iPhone の Safari")
    page = client.get(f"/accounts/security/passkeys/{phone.pk}/delete/").content.decode()
    assert "パスキー「iPhone の Safari」を削除します。" in page
    client.post(f"/accounts/security/passkeys/{phone.pk}/delete/", {"password": PASSWORD})
    assert list(Passkey.objects.values_list("name", flat=True)) == ["会社のPC"]
    assert mail.outbox[-1].subject == "【ネット de 顧問】パスキーが削除されました"
    assert events_of(employee_a, "passkey_removed")[-1].data["name"] == "iPhone の Safari"
    browser = Client()
    response = post_passkey(browser, registered, post_login(browser, "A1000002").content.decode())
    refused(response.content.decode(), employee_a, "unknown")
    assert not browser.session.get("otp_device_id")


def test_a_reset_removes_the_passkeys(registered, employee_a, admin_a):
    services.user_reset_2fa(user=employee_a, actor=admin_a)
    assert not Passkey.objects.filter(user=employee_a).exists()


def test_another_users_passkey_is_refused(registered, employee_a, other_admin):
    """Another company's administrator, whose password the holder of employee_a's passkey knows."""
    theirs = Client()
    session_full(theirs, other_admin)
    register(theirs, SoftPasskey())
    browser = Client()
    response = post_passkey(browser, registered, post_login(browser, "A2000001").content.decode())
    refused(response.content.decode(), other_admin, "other_user")
    assert "ほかのアカウントのものです" in response.content.decode()
    assert not browser.session.get("otp_device_id")


def test_a_cloned_passkey_is_refused_and_recorded(registered, employee_a):
    browser = Client()
    assert post_passkey(browser, registered, post_login(browser, "A1000002").content.decode()).status_code == 302
    registered.sign_count = 5
    again = Client()
    assert post_passkey(again, registered, post_login(again, "A1000002").content.decode()).status_code == 302
    copy = Client()  # a copy of the key, its counter behind the original's
    page = post_login(copy, "A1000002").content.decode()
    data = {"login_view-current_step": "token", "token-passkey": registered.get(options_of(page), count=3)}
    response = copy.post("/accounts/login/", data)
    refused(response.content.decode(), employee_a, "cloned")
    assert "安全のため使えません" in response.content.decode()
    assert Passkey.objects.get(user=employee_a).sign_count == 6, "the counter is not moved back"


def test_an_answer_is_good_once(registered, employee_a):
    browser = Client()
    page = post_login(browser, "A1000002").content.decode()
    answer = registered.get(options_of(page))
    other = Client()  # the same answer relayed into another login of the same account
    post_login(other, "A1000002")
    response = other.post("/accounts/login/", {"login_view-current_step": "token", "token-passkey": answer})
    refused(response.content.decode(), employee_a, "invalid")
    first = browser.post("/accounts/login/", {"login_view-current_step": "token", "token-passkey": answer})
    assert first.status_code == 302


def test_an_answer_for_another_site_is_refused(registered, employee_a):
    phished = SoftPasskey(origin="https://netdekomon.example.com")
    phished.key, phished.credential_id, phished.sign_count = registered.key, registered.credential_id, 10
    browser = Client()
    page = post_login(browser, "A1000002").content.decode()
    response = post_passkey(browser, phished, page)
    refused(response.content.decode(), employee_a, "invalid")


@pytest.mark.parametrize("junk", ["{", "[]", "x" * 20_000, '{"id": "AAAA", "type": "public-key"}',
                                  "[" * 8000 + "]" * 8000, "userHandle"])
def test_junk_is_a_refusal_not_a_500(client, registered, employee_a, junk):
    browser = Client()
    page = post_login(browser, "A1000002").content.decode()
    if junk == "userHandle":  # a signed answer whose user handle is not base64
        answer = json.loads(registered.get(options_of(page)))
        answer["response"]["userHandle"] = "é"
        junk = json.dumps(answer)
    response = browser.post("/accounts/login/", {"login_view-current_step": "token", "token-passkey": junk})
    assert response.status_code == 200 and not browser.session.get("otp_device_id")
    assert client.post(ADD, {"name": "x", "passkey": junk}).status_code == 200, "the registration page too"


def test_a_failed_creation_does_not_renew_the_password_step(client, registered, employee_a, settings):
    page = client.post(ADD, {"name": "PC", "password": PASSWORD}).content.decode()
    assert "passkey-options" in page
    session = client.session
    session["netdekomon_passkey_password_at"] -= settings.OTP_WEBAUTHN_TIMEOUT_SECONDS - 1
    session.save()
    assert "passkey-options" in client.post(ADD, {"name": "PC", "passkey": "{}"}).content.decode()
    session = client.session
    session["netdekomon_passkey_password_at"] -= 2  # the password step is now too old
    session.save()
    page = client.post(ADD, {"name": "PC", "passkey": SoftPasskey().create(options_of(page))}).content.decode()
    assert "もう一度パスワードを入力して「次へ」を押してください" in page
    assert Passkey.objects.filter(user=employee_a).count() == 1


def test_another_users_passkey_page_is_a_404(client, registered, employee_a, admin_a):
    device = Passkey.objects.get(user=employee_a)
    session_full(client, admin_a)
    assert client.get(f"/accounts/security/passkeys/{device.pk}/delete/").status_code == 404
    assert client.post(f"/accounts/security/passkeys/{device.pk}/delete/", {"password": PASSWORD}).status_code == 404
    assert Passkey.objects.filter(pk=device.pk).exists()


# --- configuration -----------------------------------------------------------


@pytest.mark.parametrize("origins, hosts, error", [
    (["https://netdekomon.example.jp"], ["netdekomon.example.jp"], None),
    (["https://login.netdekomon.example.jp"], [".netdekomon.example.jp"], None),
    (["http://netdekomon.example.jp"], ["netdekomon.example.jp"], "accounts.E030"),
    (["https://netdekomon.example.com"], ["netdekomon.example.com"], "accounts.E031"),
    (["https://evilnetdekomon.example.jp"], ["evilnetdekomon.example.jp"], "accounts.E031"),
    (["https://netdekomon.example.jp/"], ["netdekomon.example.jp"], "accounts.E030"),  # compared as strings
    (["https://Netdekomon.example.jp"], ["netdekomon.example.jp"], "accounts.E030"),
    (["https://netdekomon.example.jp:443"], ["netdekomon.example.jp"], "accounts.E030"),
    (["https://netdekomon.example.jp:8443"], ["netdekomon.example.jp"], None),
    (["https://netdekomon.example.jp"], ["other.example.jp"], "accounts.E032"),
])
def test_a_production_start_refuses_origins_that_do_not_match(settings, origins, hosts, error):
    from accounts.checks import check_relying_party

    settings.PASSKEY_CHECK_ORIGINS = True
    settings.PASSKEY_RP_ID = "netdekomon.example.jp"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = origins
    settings.ALLOWED_HOSTS = hosts
    assert [e.id for e in check_relying_party()] == ([error] if error else [])


def test_the_demo_accepts_localhost_on_any_port(rf, settings):
    from accounts.mfa.passkeys import PasskeyHelper

    request = rf.get("/", HTTP_HOST="localhost:8123")
    assert "http://localhost:8123" in PasskeyHelper(request).get_allowed_origins()
    settings.PASSKEY_ANY_LOCALHOST_PORT = False  # production
    assert "http://localhost:8123" not in PasskeyHelper(request).get_allowed_origins()
    assert "http://127.0.0.1:8123" not in PasskeyHelper(rf.get("/", HTTP_HOST="127.0.0.1:8123")).get_allowed_origins()
