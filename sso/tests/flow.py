"""Round trips through a company's single sign-on with the test provider (``idp.TestIdP``):
connect the company to the provider, start a login, answer it as the provider would."""

import functools
import os
import shutil

import pytest
from django.test import RequestFactory

from sso import keys, saml
from sso.models import ServiceKey, SsoSettings
from sso.tests.idp import TestIdP

ACS = "http://testserver/sso/{code}/acs/"
AUDIENCE = "http://testserver/sso/{code}/metadata/"


def need_xmlsec1():
    """pysaml2 signs and checks with Debian's xmlsec1: skipped without it, failed under CI."""
    if shutil.which("xmlsec1") is None:
        message = "xmlsec1 is not installed (apt-get install xmlsec1; make test installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; required under CI")
        pytest.skip(message)


@functools.cache
def _service_pair(code: str) -> tuple[str, str]:
    return keys.new_key_pair(f"netdekomon-sso-{code}")


def service_keys(*tenants) -> None:
    """The companies' key pairs, made once per run (RSA key generation is slow)."""
    for tenant in tenants:
        key_pem, cert_pem = _service_pair(tenant.code)
        ServiceKey.objects.get_or_create(tenant=tenant, defaults={"private_key": key_pem, "certificate": cert_pem})


def provider(tenant, name=None, also=(), host="testserver", **kwargs) -> TestIdP:
    """A provider that knows this service's metadata for ``tenant`` (and the companies ``also``),
    served at ``host``."""
    service_keys(tenant, *also)
    idp = TestIdP(name or tenant.code, **kwargs)
    request = RequestFactory(HTTP_HOST=host).get("/")
    return idp.trust(*(saml.sp_metadata(request, company) for company in (tenant, *also)))


def connect(tenant, idp: TestIdP, **fields) -> SsoSettings:
    """The company's settings as the console saves them: the provider's metadata, on."""
    values = {"enabled": True, "idp_metadata": idp.metadata, "idp_entity_id": saml.idp_entity_id(idp.metadata)}
    values.update(fields)
    found, _ = SsoSettings.objects.update_or_create(tenant=tenant, defaults=values)
    return found


def start(client, code, next_path=""):
    """「会社のアカウントでログイン」 for the company: the redirect to its provider."""
    response = client.get(f"/sso/{code}/login/" + (f"?next={next_path}" if next_path else ""))
    assert response.status_code == 302, response
    return response["Location"]


def answer(client, idp: TestIdP, location: str, name_id="", *, code=None, relay_state=None, tamper=None,
           read_by=None, **kwargs):
    """The provider's signed answer to the request at ``location``, posted to the ACS.
    ``kwargs`` override the response's fields (in_response_to, destination, audience, …);
    ``tamper(xml) -> xml`` changes the signed XML before it is posted; ``read_by``: the
    provider the request was sent to, when another one answers it."""
    request = (read_by or idp).authn_request(location)
    code = code or request.assertion_consumer_service_url.rstrip("/").split("/")[-2]
    fields = {"in_response_to": request.id, "destination": ACS.format(code=code),
              "audience": AUDIENCE.format(code=code), "name_id": name_id}
    fields.update(kwargs)
    xml = idp.response_xml(**fields)
    if tamper is not None:
        xml = tamper(xml)
    data = {"SAMLResponse": idp.encoded(xml)}
    if relay_state is not None:
        data["RelayState"] = relay_state
    return client.post(f"/sso/{code}/acs/", data)
