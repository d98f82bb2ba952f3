"""Single sign-on refuses every forged or misdirected answer (issue 24, the attack suite):
real responses of a pysaml2 test provider, changed the way an attacker would, each posted
to the company's ACS. Nobody is logged in, and the refusal is recorded."""

import re

import pytest
from django.test import Client

from accounts.models import SecurityEvent
from sso.models import SECOND_FACTOR_NEVER
from sso.tests import flow
from tests.helpers import make_user
from tests.security.test_open_redirects import EVIL, assert_stays_on_site


@pytest.fixture
def acme_idp(acme):
    flow.need_xmlsec1()
    idp = flow.provider(acme)
    flow.connect(acme, idp, second_factor=SECOND_FACTOR_NEVER)
    yield idp
    idp.close()


def assert_refused(client, response, reason="invalid"):
    assert response.status_code == 302 and response["Location"] == "/accounts/login/", response
    assert not client.get("/").wsgi_request.user.is_authenticated
    assert SecurityEvent.objects.filter(kind="sso_refused").latest("pk").data["reason"] == reason


def test_the_genuine_answer_logs_in(client, employee_a, acme_idp):
    flow.answer(client, acme_idp, flow.start(client, "acme"), "A1000002")
    assert client.get("/").wsgi_request.user == employee_a


def test_an_unsigned_response_is_refused(client, employee_a, acme_idp):
    response = flow.answer(client, acme_idp, flow.start(client, "acme"), "A1000002",
                           sign_response=False, sign_assertion=False)
    assert_refused(client, response)


@pytest.mark.parametrize("signed", ["response", "assertion"])
def test_either_signature_alone_is_enough(client, employee_a, acme_idp, signed):
    flow.answer(client, acme_idp, flow.start(client, "acme"), "A1000002",
                sign_response=signed == "response", sign_assertion=signed == "assertion")
    assert client.get("/").wsgi_request.user == employee_a


def test_a_signed_response_changed_after_signing_is_refused(client, employee_a, admin_a, acme_idp):
    response = flow.answer(client, acme_idp, flow.start(client, "acme"), "A1000002",
                           tamper=lambda xml: xml.replace(">A1000002<", ">A1000001<"))
    assert_refused(client, response)


def test_an_answer_for_another_audience_is_refused(client, acme, other_tenant, employee_a, acme_idp):
    """The provider's assertion for another company's connection (audience: its entity ID)."""
    both = flow.provider(acme, also=[other_tenant])
    flow.connect(acme, both, second_factor=SECOND_FACTOR_NEVER)
    try:
        response = flow.answer(client, both, flow.start(client, "acme"), "A1000002",
                               audience=flow.AUDIENCE.format(code="other"))
    finally:
        both.close()
    assert_refused(client, response)


@pytest.mark.parametrize("destination", ["https://other-service.example/acs", "http://testserver/sso/other/acs/"])
def test_an_answer_for_another_recipient_is_refused(client, employee_a, acme_idp, destination):
    response = flow.answer(client, acme_idp, flow.start(client, "acme"), "A1000002", destination=destination)
    assert_refused(client, response)


@pytest.mark.parametrize("in_response_to", ["id-not-ours", None])
def test_an_answer_to_a_request_this_session_did_not_make_is_refused(client, employee_a, acme_idp, in_response_to):
    response = flow.answer(client, acme_idp, flow.start(client, "acme"), "A1000002", in_response_to=in_response_to)
    assert_refused(client, response)


def test_an_answer_to_another_browsers_request_is_refused(client, employee_a, acme_idp):
    attacker = Client()
    location = flow.start(attacker, "acme")  # the attacker's own request, answered for the victim's browser
    flow.start(client, "acme")
    response = flow.answer(client, acme_idp, location, "A1000002")
    assert_refused(client, response)


def test_an_expired_answer_is_refused(client, acme, employee_a, acme_idp):
    stale = flow.provider(acme, lifetime_minutes=-10)  # NotOnOrAfter 10 minutes ago, past the clock skew
    flow.connect(acme, stale, second_factor=SECOND_FACTOR_NEVER)
    try:
        response = flow.answer(client, stale, flow.start(client, "acme"), "A1000002")
    finally:
        stale.close()
    assert_refused(client, response)


def test_a_replayed_assertion_is_refused_by_the_database(client, employee_a, acme_idp):
    location = flow.start(client, "acme")
    request = acme_idp.authn_request(location)
    xml = acme_idp.response_xml(in_response_to=request.id, destination=flow.ACS.format(code="acme"),
                                audience=flow.AUDIENCE.format(code="acme"), name_id="A1000002")
    data = {"SAMLResponse": acme_idp.encoded(xml)}
    assert client.post("/sso/acme/acs/", data)["Location"] == "/"
    client.logout()
    # The request is outstanding again (as if the session had kept it): only the assertion ID table refuses.
    session = client.session
    session["_saml2_outstanding_queries"] = {request.id: {"tenant": "acme", "next": "", "test": False}}
    session.save()
    assert_refused(client, client.post("/sso/acme/acs/", data), reason="replayed")


def _wrapped(xml: str, name_id: str) -> str:
    """XML signature wrapping: a forged assertion for ``name_id`` placed first, the signed one
    kept (unchanged, still verifying) inside it."""
    match = re.search(r"<ns1:Assertion .*?</ns1:Assertion>", xml, re.S)
    signed = match.group(0)
    forged = re.sub(r"<ns2:Signature .*?</ns2:Signature>", "", signed, flags=re.S)
    forged = re.sub(r'ID="[^"]+"', 'ID="id-forged"', forged, count=1)
    forged = re.sub(r">A1000002<", f">{name_id}<", forged)
    forged = forged.replace("</ns1:Assertion>", f"<ns1:Advice>{signed}</ns1:Advice></ns1:Assertion>", 1)
    return xml.replace(signed, forged)


def _sibling(xml: str, name_id: str) -> str:
    """XML signature wrapping: a forged unsigned assertion placed before the signed one."""
    signed = re.search(r"<ns1:Assertion .*?</ns1:Assertion>", xml, re.S).group(0)
    forged = re.sub(r"<ns2:Signature .*?</ns2:Signature>", "", signed, flags=re.S)
    forged = re.sub(r'ID="[^"]+"', 'ID="id-forged"', forged, count=1).replace(">A1000002<", f">{name_id}<")
    return xml.replace(signed, forged + signed)


@pytest.mark.parametrize("wrap", [_wrapped, _sibling])
def test_xml_signature_wrapping_is_refused(client, employee_a, admin_a, acme_idp, wrap):
    response = flow.answer(client, acme_idp, flow.start(client, "acme"), "A1000002",
                           sign_response=False, sign_assertion=True, tamper=lambda xml: wrap(xml, "A1000001"))
    assert_refused(client, response)
    assert not SecurityEvent.objects.filter(user=admin_a, kind="login_success").exists()


def test_a_comment_inside_the_name_id_cannot_shorten_it(client, acme, admin_a, acme_idp):
    """The provider signs for its own user admin@acme.example.evil; a comment splits the
    text (the signature, over the text without comments, still verifies). The whole text is
    read: no one has that address in the company, and the administrator is not logged in."""
    admin_a.email = "admin@acme.example"
    admin_a.save()
    flow.connect(acme, acme_idp, id_is_email=True, second_factor=SECOND_FACTOR_NEVER)
    response = flow.answer(client, acme_idp, flow.start(client, "acme"), "admin@acme.example.evil",
                           tamper=lambda xml: xml.replace(">admin@acme.example.evil<",
                                                          ">admin@acme.example<!-- -->.evil<"))
    assert_refused(client, response, reason="unknown_user")
    assert SecurityEvent.objects.filter(kind="sso_refused").latest("pk").login_id == "admin@acme.example.evil"


def test_another_companys_provider_cannot_log_in_this_companys_user(client, acme, other_tenant, employee_a,
                                                                    acme_idp):
    impostor = flow.provider(acme, key_slot="impostor")  # the same entity ID as acme's provider, its own key
    other_idp = flow.provider(other_tenant, also=[acme])  # it knows both services
    flow.connect(other_tenant, other_idp, second_factor=SECOND_FACTOR_NEVER)
    try:
        response = flow.answer(client, impostor, flow.start(client, "acme"), "A1000002")
        assert_refused(client, response)
        # Through the other company's own connection: its users only.
        response = flow.answer(client, other_idp, flow.start(client, "other"), "A1000002")
        assert_refused(client, response, reason="unknown_user")
        # The other company's provider answering this company's request: not its signature.
        response = flow.answer(client, other_idp, flow.start(client, "acme"), "A1000002", read_by=acme_idp)
        assert_refused(client, response)
    finally:
        impostor.close()
        other_idp.close()


@pytest.mark.parametrize("target", EVIL)
def test_the_relay_state_is_a_local_path_only(client, employee_a, acme_idp, target):
    response = flow.answer(client, acme_idp, flow.start(client, "acme"), "A1000002", relay_state=target)
    assert_stays_on_site(response)
    assert client.get("/").wsgi_request.user == employee_a


def test_a_local_relay_state_is_followed(client, employee_a, acme_idp):
    response = flow.answer(client, acme_idp, flow.start(client, "acme"), "A1000002", relay_state="/accounts/history/")
    assert response["Location"] == "/accounts/history/"


def test_the_company_must_have_turned_it_on(client, acme, employee_a, acme_idp):
    location = flow.start(client, "acme")
    acme.sso_settings.enabled = False
    acme.sso_settings.save()
    response = flow.answer(client, acme_idp, location, "A1000002")
    assert_refused(client, response, reason="not_enabled")


def test_users_of_a_company_without_it_are_not_concerned(client, other_tenant):
    make_user("A2000008", other_tenant, device=True)
    response = client.get("/sso/other/login/")
    assert response["Location"] == "/accounts/login/"
