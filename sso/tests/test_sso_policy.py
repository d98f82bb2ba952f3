"""「A-IDはシングルサインオンでのみログインできる」 and the way in when the provider is down."""

import pytest
from django.core import mail

from accounts.models import SecurityEvent
from sso.models import SsoSettings
from tests.helpers import code_for, make_user, post_code, post_login


@pytest.fixture
def required(acme):
    return SsoSettings.objects.create(tenant=acme, enabled=True, a_ids_require_sso=True)


def test_the_login_page_offers_the_company_account_once_a_company_uses_it(client, acme):
    assert "会社のアカウントでログイン" not in client.get("/accounts/login/").content.decode()
    SsoSettings.objects.create(tenant=acme, enabled=True)
    assert "会社のアカウントでログイン" in client.get("/accounts/login/").content.decode()


def test_the_typed_login_id_finds_the_companys_provider(client, acme, employee_a):
    SsoSettings.objects.create(tenant=acme, enabled=True, idp_entity_id="https://idp.example")
    response = client.post("/sso/find/", {"auth-username": "a1000002", "next": "/accounts/history/"})
    assert response["Location"] == "/sso/acme/login/?next=%2Faccounts%2Fhistory%2F"


def test_an_unknown_id_reads_as_a_company_without_it(client, acme, other_user):
    SsoSettings.objects.create(tenant=acme, enabled=True)
    for login_id in ("A7777777", other_user.login_id):
        response = client.post("/sso/find/", {"auth-username": login_id}, follow=True)
        assert "このログインIDでは会社のアカウントでログインできません" in response.content.decode()


def test_a_ids_are_refused_the_password_with_a_clear_message(client, employee_a, required):
    response = post_login(client, employee_a.login_id)
    page = response.content.decode()
    assert "シングルサインオンでのみログインできます" in page
    assert not client.get("/").wsgi_request.user.is_authenticated
    assert SecurityEvent.objects.get(kind="sso_refused").data == {"reason": "password_required_sso"}


def test_a_wrong_password_still_reads_as_a_wrong_password(client, employee_a, required):
    page = post_login(client, employee_a.login_id, "wrong-password-1").content.decode()
    assert "ログインIDまたはパスワードが正しくありません" in page
    assert "シングルサインオンでのみ" not in page


def test_b_ids_keep_the_password_and_the_limited_mode(client, employee_b, required):
    response = post_login(client, employee_b.login_id)
    assert "就業打刻・明細閲覧のみ利用する" in response.content.decode()


def test_a_break_glass_administrator_logs_in_with_password_and_code_and_every_admin_is_told(
        client, acme, admin_a, required):
    admin_a.email = "kanri@acme.example"
    admin_a.save()
    make_user("A1000009", acme, admin=True, device=True, email="fuku@acme.example")
    make_user("A1000010", acme, device=True, email="staff@acme.example")  # not an administrator
    required.break_glass.add(admin_a)
    post_login(client, admin_a.login_id)
    response = post_code(client, code_for(admin_a.totpdevice_set.get()))
    assert response.status_code == 302
    assert client.get("/").wsgi_request.user.is_verified()
    event = SecurityEvent.objects.get(kind="sso_break_glass")
    assert event.user == admin_a
    told = sorted(m.to[0] for m in mail.outbox if "例外ログイン" in m.subject)
    assert told == ["fuku@acme.example", "kanri@acme.example"]
    assert all(admin_a.login_id in m.body for m in mail.outbox if "例外ログイン" in m.subject)


def test_an_administrator_not_named_is_refused_like_any_a_id(client, admin_a, required):
    assert "シングルサインオンでのみ" in post_login(client, admin_a.login_id).content.decode()


def test_a_company_code_is_not_told_by_the_start_or_the_metadata(client, acme, other_tenant):
    SsoSettings.objects.create(tenant=acme)
    for code in ("other", "no-such-company"):
        response = client.get(f"/sso/{code}/login/", follow=True)
        assert "この会社ではシングルサインオンを利用していません" in response.content.decode()
        assert client.get(f"/sso/{code}/metadata/").status_code == 404
    assert client.get("/sso/acme/metadata/").status_code == 200
