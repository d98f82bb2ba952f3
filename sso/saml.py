"""pysaml2 for one company: its service-provider configuration, the AuthnRequest sent to
its provider and the check of the provider's answer.

Everything the check relies on is pysaml2's, configured strictly: a signature on the
response or the assertion by a key of the company's own provider metadata (no other
provider is ever loaded for the company), the audience (this company's entity ID), the
recipient and destination (this company's ACS URL), ``InResponseTo`` one of this
session's outstanding requests (no unsolicited response), the time conditions with
``SSO_CLOCK_SKEW_SECONDS``. The assertion ID is accepted once (``consume``, a unique
constraint). The XML is parsed with defusedxml (pysaml2), comments dropped, so a
comment inside the NameID cannot shorten it.
"""

import base64
import shutil
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT, attribute_converter
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.mdstore import InMemoryMetaData
from saml2.metadata import create_metadata_string
from saml2.saml import NAMEID_FORMAT_UNSPECIFIED

from sso import keys
from sso.models import ConsumedAssertion

# AuthnContext class references (and Entra ID's authnmethodsreferences values) that say
# the provider itself did a multi-factor login.
MFA_CONTEXTS = frozenset({
    "https://refeds.org/profile/mfa",
    "http://schemas.microsoft.com/claims/multipleauthn",
    "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract",
    "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorUnregistered",
    "urn:oasis:names:tc:SAML:2.0:ac:classes:TimeSyncToken",
    "urn:oasis:names:tc:SAML:2.0:ac:classes:X509",
})
METHODS_ATTRIBUTE = "http://schemas.microsoft.com/claims/authnmethodsreferences"


class Refused(Exception):
    """The provider's answer cannot log anyone in; ``reason`` is the event's fact."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


def xmlsec_binary() -> str | None:
    return shutil.which("xmlsec1")


def sp_urls(request, tenant) -> dict:
    """This service's entity ID and ACS URL for the company (absolute, from the request's host)."""
    def absolute(name):
        return request.build_absolute_uri(reverse(name, args=[tenant.code]))
    return {"entity_id": absolute("sso:metadata"), "acs": absolute("sso:acs")}


def _config(request, tenant, key_paths, idp_metadata: str | None) -> SPConfig:
    urls = sp_urls(request, tenant)
    key_file, cert_file = key_paths
    conf = {
        "entityid": urls["entity_id"],
        "xmlsec_binary": xmlsec_binary(),
        "key_file": key_file,
        "cert_file": cert_file,
        "encryption_keypairs": [{"key_file": key_file, "cert_file": cert_file}],
        "allow_unknown_attributes": True,
        "accepted_time_diff": settings.SSO_CLOCK_SKEW_SECONDS,
        "service": {"sp": {
            "name": str(tenant),
            "endpoints": {"assertion_consumer_service": [(urls["acs"], BINDING_HTTP_POST)]},
            "allow_unsolicited": False,
            "authn_requests_signed": False,
            "want_response_signed": False,
            "want_assertions_signed": False,
            "want_assertions_or_response_signed": True,
            "name_id_format": NAMEID_FORMAT_UNSPECIFIED,
            "name_id_format_allow_create": False,
        }},
    }
    if idp_metadata:
        conf["metadata"] = {"inline": [idp_metadata]}
    config = SPConfig()
    config.load(conf)
    return config


def sp_metadata(request, tenant) -> str:
    """This service's metadata XML for the company (entity ID, ACS URL, certificate)."""
    with keys.key_files(keys.service_key(tenant)) as paths:
        return create_metadata_string(None, config=_config(request, tenant, paths, None), valid=24 * 365).decode()


def idp_entity_id(metadata: str) -> str:
    """The one identity provider's entity ID in ``metadata``; ValueError when there is none
    or more than one, or the XML does not read as SAML metadata."""
    store = InMemoryMetaData(attribute_converter.ac_factory(), metadata=metadata)
    try:
        store.load()
    except Exception as error:  # pysaml2 raises many kinds on a broken document
        raise ValueError(str(error)) from None
    providers = [entity for entity, roles in store.items() if "idpsso_descriptor" in roles]
    if len(providers) != 1:
        raise ValueError(f"{len(providers)} identity providers")
    return providers[0]


def authn_request(request, sso_settings, relay_state: str) -> tuple[str, str]:
    """(request ID, the provider's URL to redirect the browser to) of a new AuthnRequest."""
    tenant = sso_settings.tenant
    with keys.key_files(keys.service_key(tenant)) as paths:
        client = Saml2Client(config=_config(request, tenant, paths, sso_settings.idp_metadata))
        request_id, info = client.prepare_for_authenticate(
            entityid=sso_settings.idp_entity_id, relay_state=relay_state, binding=BINDING_HTTP_REDIRECT)
    location = dict(info["headers"])["Location"]
    return request_id, location


def verified_response(request, sso_settings, saml_response: str, outstanding: dict):
    """pysaml2's ``AuthnResponse`` once every check passed; ``Refused("invalid")`` else."""
    tenant = sso_settings.tenant
    try:
        base64.b64decode(saml_response, validate=True)
    except ValueError:
        raise Refused("invalid", "not base64") from None
    with keys.key_files(keys.service_key(tenant)) as paths:
        client = Saml2Client(config=_config(request, tenant, paths, sso_settings.idp_metadata))
        try:
            response = client.parse_authn_request_response(saml_response, BINDING_HTTP_POST, outstanding)
        except Exception as error:  # pysaml2 says each failed check with its own exception
            raise Refused("invalid", type(error).__name__) from None
    if response is None or response.assertion is None:
        raise Refused("invalid", "no assertion")
    if response.issuer() != sso_settings.idp_entity_id:
        raise Refused("invalid", "issuer")
    return response


def consume(response, tenant) -> None:
    """Accept the assertion's ID once (database-enforced); ``Refused("replayed")`` after."""
    assertion_id = response.assertion.id
    if not assertion_id:
        raise Refused("invalid", "no assertion ID")
    try:
        with transaction.atomic():
            ConsumedAssertion.objects.create(assertion_id=assertion_id[:200], tenant=tenant)
    except IntegrityError:
        raise Refused("replayed") from None
    # Long past any assertion's NotOnOrAfter: such an ID is refused by its time already.
    ConsumedAssertion.objects.filter(
        consumed_at__lt=timezone.now() - timedelta(days=settings.SSO_CONSUMED_KEEP_DAYS)).delete()


def asserted_id(response, attribute: str) -> str:
    """The login ID (or e-mail) the assertion carries: the NameID, or ``attribute``'s one value."""
    if not attribute:
        name_id = response.assertion.subject.name_id if response.assertion.subject else None
        return (name_id.text or "").strip() if name_id is not None else ""
    values = []
    for statement in response.assertion.attribute_statement or []:
        for found in statement.attribute or []:
            if attribute in (found.name, found.friendly_name):  # as the provider names it
                values += [value.text for value in found.attribute_value or [] if value.text]
    if not values:  # pysaml2's friendly name ("mail" for urn:oid:0.9.2342.19200300.100.1.3)
        values = (response.ava or {}).get(attribute) or []
    return str(values[0]).strip() if len(values) == 1 else ""


def provider_did_mfa(response) -> bool:
    """The assertion says the provider's login was multi-factor (AuthnContext, or Entra ID's claim)."""
    contexts = set()
    for statement in response.assertion.authn_statement or []:
        ref = statement.authn_context.authn_context_class_ref if statement.authn_context else None
        if ref is not None and ref.text:
            contexts.add(ref.text.strip())
    contexts.update(str(v) for v in (response.ava or {}).get(METHODS_ATTRIBUTE, []))
    return bool(contexts & MFA_CONTEXTS)
