"""A real SAML round trip logs a company's employee in through the login's own path."""

import pytest
from cryptography.hazmat.primitives import serialization
from django.core import mail
from django.test import Client

from accounts.models import SecurityEvent, UserSession
from accounts.sessions import office_ip
from sso import keys
from sso.models import SECOND_FACTOR_ALWAYS, SECOND_FACTOR_NEVER, ConsumedAssertion, ServiceKey
from sso.tests import flow
from sso.tests.idp import MFA_CONTEXT
from tests import helpers


@pytest.fixture
def acme_idp(acme):
    flow.need_xmlsec1()
    idp = flow.provider(acme)
    yield idp
    idp.close()


def logged_in_as(client):
    return client.get("/").wsgi_request.user


def test_a_signed_answer_for_an_employee_logs_them_in_fully_when_the_provider_did_multi_factor(
        client, acme, employee_a, acme_idp):
    flow.connect(acme, acme_idp)
    location = flow.start(client, "acme", next_path="/accounts/history/")
    response = flow.answer(client, acme_idp, location, "A1000002", context=MFA_CONTEXT)
    assert response.status_code == 302 and response["Location"] == "/accounts/history/"
    user = logged_in_as(client)
    assert user == employee_a and user.is_verified()
    event = SecurityEvent.objects.filter(user=employee_a, kind="login_success").get()
    assert event.data == {"method": "sso"}
    assert UserSession.objects.filter(user=employee_a).count() == 1  # ログイン中の端末
    assert ConsumedAssertion.objects.filter(tenant=acme).count() == 1
    history = client.get("/accounts/history/").content.decode()
    assert "シングルサインオン" in history


def test_without_multi_factor_at_the_provider_our_code_comes_next(client, acme, employee_a, acme_idp):
    flow.connect(acme, acme_idp)
    response = flow.answer(client, acme_idp, flow.start(client, "acme"), "A1000002")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/verify/")
    user = logged_in_as(client)
    assert user == employee_a and not user.is_verified()
    assert client.get("/payslips/").status_code == 302  # nothing but the code until it is given
    device = employee_a.totpdevice_set.get()
    done = client.post("/accounts/verify/", {"otp_token": helpers.code_for(device)})
    assert done.status_code == 302
    assert logged_in_as(client).is_verified()


def test_the_company_may_always_ask_the_code_or_never(client, acme, employee_a, acme_idp):
    flow.connect(acme, acme_idp, second_factor=SECOND_FACTOR_ALWAYS)
    response = flow.answer(client, acme_idp, flow.start(client, "acme"), "A1000002", context=MFA_CONTEXT)
    assert response["Location"].startswith("/accounts/verify/")
    client.logout()
    flow.connect(acme, acme_idp, second_factor=SECOND_FACTOR_NEVER)
    response = flow.answer(client, acme_idp, flow.start(client, "acme"), "A1000002")
    assert logged_in_as(client).is_verified()


def test_a_b_id_without_multi_factor_gets_the_limited_mode_and_may_step_up(client, acme, employee_b, acme_idp):
    flow.connect(acme, acme_idp)
    response = flow.answer(client, acme_idp, flow.start(client, "acme"), "B1000001")
    assert response.status_code == 302
    assert client.session.get("netdekomon_mode") == "limited"
    assert SecurityEvent.objects.get(user=employee_b, kind="login_success").data == {"method": "sso_limited"}


def test_the_login_id_may_come_from_an_e_mail_attribute_matched_inside_the_company_only(
        client, acme, other_tenant, employee_a, acme_idp):
    employee_a.email = "sato@acme.example"
    employee_a.save()
    helpers.make_user("A2000009", other_tenant, email="same@acme.example", device=True)
    flow.connect(acme, acme_idp, id_attribute="mail", id_is_email=True, second_factor=SECOND_FACTOR_NEVER)
    response = flow.answer(client, acme_idp, flow.start(client, "acme"), "x",
                           attributes={"mail": ["SATO@acme.example"]})
    assert logged_in_as(client) == employee_a, response
    client.logout()
    refused = flow.answer(client, acme_idp, flow.start(client, "acme"), "x", attributes={"mail": ["same@acme.example"]})
    assert refused["Location"] == "/accounts/login/"
    assert not logged_in_as(client).is_authenticated


def test_an_unknown_or_offboarded_id_is_refused_in_japanese_and_no_account_is_made(
        client, acme, employee_a, acme_idp):
    flow.connect(acme, acme_idp)
    response = flow.answer(client, acme_idp, flow.start(client, "acme"), "A7777777", context=MFA_CONTEXT)
    assert response["Location"] == "/accounts/login/"
    page = client.get("/accounts/login/").content.decode()
    assert "対応するアカウントがありません" in page
    employee_a.is_active = False
    employee_a.save()
    flow.answer(client, acme_idp, flow.start(client, "acme"), "A1000002", context=MFA_CONTEXT)
    assert "利用停止（退職）" in client.get("/accounts/login/").content.decode()
    assert not logged_in_as(client).is_authenticated
    reasons = list(SecurityEvent.objects.filter(kind="sso_refused").order_by("pk").values_list("data__reason", flat=True))
    assert reasons == ["unknown_user", "inactive"]


def test_a_new_browser_is_mailed_as_after_any_login(client, acme, employee_a, acme_idp):
    employee_a.email = "sato@acme.example"
    employee_a.last_login = employee_a.date_joined
    employee_a.save()
    flow.connect(acme, acme_idp, second_factor=SECOND_FACTOR_NEVER)
    flow.answer(client, acme_idp, flow.start(client, "acme"), "A1000002")
    assert [m.to for m in mail.outbox] == [["sato@acme.example"]]


def test_the_office_address_rule_holds_as_for_any_login(client, acme, employee_a, employee_b, acme_idp):
    flow.connect(acme, acme_idp, second_factor=SECOND_FACTOR_NEVER)
    office_ip.access_rule_set(tenant=acme, enabled=True, networks=["192.0.2.0/24"], limited_anywhere=True)
    response = flow.answer(client, acme_idp, flow.start(client, "acme"), "A1000002")
    assert response["Location"] == "/accounts/login/"
    assert "社外からのアクセスは会社の設定により制限されています" in client.get("/accounts/login/").content.decode()
    assert SecurityEvent.objects.filter(kind="office_ip_refused", user=employee_a).exists()
    # A B-ID from outside, where the company allows the limited mode from anywhere: only that.
    flow.answer(client, acme_idp, flow.start(client, "acme"), "B1000001")
    assert logged_in_as(client) == employee_b and client.session.get("netdekomon_mode") == "limited"


@pytest.mark.parametrize("attribute", ["mail", "urn:oid:0.9.2342.19200300.100.1.3"])
def test_the_attribute_is_found_by_its_name_or_its_friendly_name(client, acme, employee_a, acme_idp, attribute):
    flow.connect(acme, acme_idp, id_attribute=attribute, second_factor=SECOND_FACTOR_NEVER)
    flow.answer(client, acme_idp, flow.start(client, "acme"), "x", attributes={"mail": ["A1000002"]})
    assert logged_in_as(client) == employee_a


def test_an_attribute_with_two_values_names_nobody(client, acme, employee_a, acme_idp):
    flow.connect(acme, acme_idp, id_attribute="mail", second_factor=SECOND_FACTOR_NEVER)
    flow.answer(client, acme_idp, flow.start(client, "acme"), "x", attributes={"mail": ["A1000002", "A1000001"]})
    assert not logged_in_as(client).is_authenticated


def test_the_company_key_is_read_and_checked_once_per_process_not_on_every_login(acme, employee_a, acme_idp,
                                                                                monkeypatch):
    """pysaml2 loads the service key for every request; loading makes OpenSSL check the RSA key
    (about 30 ms of CPU). Two logins and the metadata in between check it once (sso/keys.py)."""
    keys._parsed_private_key.cache_clear()
    checked, load = [], serialization.load_pem_private_key
    monkeypatch.setattr(serialization, "load_pem_private_key",
                        lambda data, *args, **kwargs: checked.append(data) or load(data, *args, **kwargs))
    flow.connect(acme, acme_idp)
    for _ in range(2):
        client = Client()
        response = flow.answer(client, acme_idp, flow.start(client, "acme"), "A1000002", context=MFA_CONTEXT)
        assert response.status_code == 302 and logged_in_as(client) == employee_a
        assert Client().get("/sso/acme/metadata/").status_code == 200
    service_key = ServiceKey.objects.get(tenant=acme).private_key.encode()
    assert checked.count(service_key) == 1
