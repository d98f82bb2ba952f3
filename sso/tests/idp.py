"""An identity provider the tests stand up with pysaml2: its own key pair (made here with
``cryptography``) and metadata, answering AuthnRequests with responses signed by pysaml2's
IdP ``Server`` (response and assertion, or either, or none), for real round trips through
``/sso/<company>/login/`` and ``/sso/<company>/acs/``."""

import base64
import functools
import os
import shutil
import tempfile
from urllib.parse import parse_qs, urlsplit

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_UNSPECIFIED, NameID
from saml2.server import Server

from sso.keys import new_key_pair

PASSWORD_CONTEXT = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
MFA_CONTEXT = "http://schemas.microsoft.com/claims/multipleauthn"


@functools.cache
def _key_pair(slot: str) -> tuple[str, str]:
    """One key pair per slot for the whole run (RSA key generation is slow)."""
    return new_key_pair(f"{slot} test IdP")


class TestIdP:
    """One provider at ``https://<name>.idp.example``; ``close()`` removes its key files."""

    __test__ = False  # not a test class

    def __init__(self, name: str = "acme", lifetime_minutes: int = 15, key_slot: str = "", sso_url: str = ""):
        self.entity_id = f"https://{name}.idp.example/metadata"
        self.sso_url = sso_url or f"https://{name}.idp.example/sso"
        self._dir = tempfile.mkdtemp(prefix="nk-idp-")
        key_pem, cert_pem = _key_pair(key_slot or name)
        self.key_file = os.path.join(self._dir, "idp.key")
        self.cert_file = os.path.join(self._dir, "idp.crt")
        for path, text in ((self.key_file, key_pem), (self.cert_file, cert_pem)):
            with open(path, "w") as file:
                file.write(text)
        self._conf = {
            "entityid": self.entity_id,
            "xmlsec_binary": shutil.which("xmlsec1"),
            "key_file": self.key_file,
            "cert_file": self.cert_file,
            "service": {"idp": {
                "name": f"{name} IdP",
                "endpoints": {"single_sign_on_service": [(self.sso_url, BINDING_HTTP_REDIRECT),
                                                         (self.sso_url, BINDING_HTTP_POST)]},
                "policy": {"default": {"lifetime": {"minutes": lifetime_minutes},
                                       "attribute_restrictions": None, "name_form": NAME_FORMAT_URI}},
                "name_id_format": [NAMEID_FORMAT_UNSPECIFIED],
            }},
        }
        self._load()
        self.metadata = create_metadata_string(None, config=self.config, valid=24).decode()

    def _load(self):
        self.config = IdPConfig()
        self.config.load(self._conf)
        self.server = Server(config=self.config)

    def trust(self, *sp_metadata: str) -> "TestIdP":
        """Know these service providers (their metadata, as an administrator pastes it into the provider)."""
        self._conf["metadata"] = {"inline": list(sp_metadata)}
        self._load()
        return self

    def close(self):
        shutil.rmtree(self._dir, ignore_errors=True)

    def authn_request(self, location: str):
        """The AuthnRequest a redirect to this provider carries (pysaml2's parsed request)."""
        query = parse_qs(urlsplit(location).query)
        return self.server.parse_authn_request(query["SAMLRequest"][0], BINDING_HTTP_REDIRECT).message

    def response_xml(self, *, in_response_to, destination, audience, name_id="", attributes=None,
                     sign_response=True, sign_assertion=True, context=PASSWORD_CONTEXT) -> str:
        """A response for ``name_id`` (NameID) with ``attributes``, signed as asked."""
        name = NameID(format=NAMEID_FORMAT_UNSPECIFIED, text=name_id or "nobody")
        response = self.server.create_authn_response(
            identity=attributes or {}, in_response_to=in_response_to, destination=destination,
            sp_entity_id=audience, name_id=name, userid=name_id or "nobody",
            authn={"class_ref": context, "authn_auth": self.entity_id},
            sign_response=sign_response, sign_assertion=sign_assertion)
        return str(response)

    @staticmethod
    def encoded(xml: str) -> str:
        return base64.b64encode(xml.encode()).decode()
