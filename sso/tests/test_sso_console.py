"""シングルサインオン in the console: the company's administrator, after their own password,
saves the provider's metadata, tests the connection with a real round trip (nothing turned
on), then turns it on; this service's metadata is shown to copy; each change is recorded."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import SecurityEvent
from sso.models import SsoSettings
from sso.tests import flow
from tests.helpers import PASSWORD, add_device, session_full

PAGE = "/admin/sso/ssosettings/"


@pytest.fixture
def acme_idp(acme):
    flow.need_xmlsec1()
    idp = flow.provider(acme)
    yield idp
    idp.close()


def save(console, **fields):
    data = {"second_factor": "unless_mfa", "password": PASSWORD, **fields}
    return console.post(PAGE, data)


def test_the_page_shows_this_services_metadata_to_copy(console, acme):
    page = console.get(PAGE).content.decode()
    assert "http://testserver/sso/acme/metadata/" in page and "http://testserver/sso/acme/acs/" in page
    assert 'id="sp-certificate"' in page and "BEGIN CERTIFICATE" not in page
    metadata = console.get("/sso/acme/metadata/").content.decode()
    assert 'entityID="http://testserver/sso/acme/metadata/"' in metadata


def test_only_the_companys_administrators_reach_it(client, employee_a, operator):
    session_full(client, employee_a)
    assert client.get(PAGE).status_code == 403
    client.logout()
    add_device(operator)
    session_full(client, operator)
    assert client.get(PAGE).status_code == 403


def test_saving_needs_the_own_password_and_is_recorded(console, acme, admin_a, acme_idp):
    refused = save(console, idp_metadata=acme_idp.metadata, password="not-my-password")
    assert refused.status_code == 200 and "パスワード" in refused.content.decode()
    assert not SsoSettings.objects.filter(tenant=acme).exclude(idp_entity_id="").exists()
    assert SecurityEvent.objects.get(kind="reset_denied").data["action"] == "sso_settings"
    response = save(console, metadata_file=SimpleUploadedFile("idp.xml", acme_idp.metadata.encode()),
                    id_attribute="mail", id_is_email="on")
    assert response.status_code == 302
    saved = SsoSettings.objects.get(tenant=acme)
    assert saved.idp_entity_id == acme_idp.entity_id and saved.id_is_email and not saved.enabled
    event = SecurityEvent.objects.get(kind="sso_settings_changed")
    assert event.actor == admin_a and event.data["metadata"] is True and event.data["id_attribute"] == "mail"


def test_it_cannot_be_turned_on_before_a_connection_test_passed(console, acme, acme_idp):
    response = save(console, idp_metadata=acme_idp.metadata, enabled="on")
    assert "接続テスト" in response.content.decode()
    assert not SsoSettings.objects.filter(tenant=acme, enabled=True).exists()


def test_metadata_that_is_not_a_providers_is_refused(console, acme):
    response = save(console, idp_metadata="<html>not metadata</html>")
    assert "メタデータとして読み取れません" in response.content.decode()
    response = save(console, idp_metadata_url="http://idp.example/metadata")
    assert "https://" in response.content.decode()


def test_requiring_sso_needs_a_break_glass_administrator(console, acme, admin_a, acme_idp):
    response = save(console, idp_metadata=acme_idp.metadata, a_ids_require_sso="on")
    assert "1人以上" in response.content.decode()
    assert save(console, a_ids_require_sso="on", break_glass=[admin_a.pk],
                idp_metadata=acme_idp.metadata).status_code == 302
    assert list(SsoSettings.objects.get(tenant=acme).break_glass.all()) == [admin_a]


def test_the_connection_test_is_a_round_trip_that_turns_nothing_on(console, acme, admin_a, acme_idp):
    save(console, idp_metadata=acme_idp.metadata)
    location = console.post(f"{PAGE}test/", {"password": PASSWORD})["Location"]
    response = flow.answer(console, acme_idp, location, admin_a.login_id)
    assert response["Location"] == PAGE
    page = console.get(PAGE).content.decode()
    assert "接続テストに成功しました" in page and admin_a.login_id in page
    saved = SsoSettings.objects.get(tenant=acme)
    assert saved.tested_at is not None and not saved.enabled
    assert SecurityEvent.objects.get(kind="sso_tested").data["outcome"] == "passed"
    assert console.get("/").wsgi_request.user == admin_a  # still the administrator's own session
    assert save(console, enabled="on").status_code == 302
    assert SsoSettings.objects.get(tenant=acme).enabled


def test_a_new_provider_must_be_tested_again(console, acme, acme_idp):
    flow.connect(acme, acme_idp)
    SsoSettings.objects.filter(tenant=acme).update(tested_at="2026-01-01T00:00:00Z")
    other = flow.provider(acme, name="acme2", key_slot="acme2")
    try:
        save(console, idp_metadata=other.metadata, enabled="on")
    finally:
        other.close()
    assert SsoSettings.objects.get(tenant=acme).idp_entity_id == acme_idp.entity_id  # refused: not tested


def test_a_connection_test_naming_nobody_here_fails_and_says_why(console, acme, admin_a, acme_idp):
    save(console, idp_metadata=acme_idp.metadata)
    location = console.post(f"{PAGE}test/", {"password": PASSWORD})["Location"]
    flow.answer(console, acme_idp, location, "A7777777")
    page = console.get(PAGE).content.decode()
    assert "対応するアカウントがありません" in page
    assert SsoSettings.objects.get(tenant=acme).tested_at is None
    assert SecurityEvent.objects.get(kind="sso_tested").data["outcome"] == "failed"


def test_the_connection_test_needs_the_own_password(console, acme, acme_idp):
    save(console, idp_metadata=acme_idp.metadata)
    response = console.post(f"{PAGE}test/", {"password": "not-my-password"})
    assert response.status_code == 200 and "パスワード" in response.content.decode()
    assert SecurityEvent.objects.filter(kind="reset_denied").count() == 1
