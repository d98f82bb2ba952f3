"""A software passkey for the tests without a browser: a P-256 key that answers
WebAuthn requests as an authenticator would (attestation "none", packed
authenticator data, an ES256 signature over authenticator data and the hash
of the client data), so the server's real verification runs against it.
The browser tests use Chromium's own virtual authenticator instead."""

import base64
import hashlib
import json
import os
import re
import struct

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

ORIGIN = "http://localhost:8000"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def options_of(page: str) -> dict:
    """The options a page carries (``json_script`` #passkey-options)."""
    found = re.search(r'<script id="passkey-options" type="application/json">(.*?)</script>', page, re.S)
    assert found, "the page offers no passkey"
    return json.loads(found.group(1))


class SoftPasskey:
    def __init__(self, rp_id: str = "localhost", origin: str = ORIGIN):
        self.rp_id, self.origin = rp_id, origin
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(16)
        self.sign_count = 0
        self.user_handle = b""

    def _cose_key(self) -> bytes:
        numbers = self.key.public_key().public_numbers()
        return cbor2.dumps({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")})

    def _client_data(self, kind: str, challenge: str) -> bytes:
        return json.dumps({"type": kind, "challenge": challenge, "origin": self.origin,
                           "crossOrigin": False}).encode()

    def _auth_data(self, flags: int, extra: bytes = b"") -> bytes:
        return hashlib.sha256(self.rp_id.encode()).digest() + bytes([flags]) + struct.pack(">I", self.sign_count) + extra

    def create(self, options: dict) -> str:
        """The answer to ``navigator.credentials.create`` (as static/js/passkey.js posts it)."""
        self.user_handle = base64.urlsafe_b64decode(options["user"]["id"] + "==")
        attested = (b"\0" * 16 + struct.pack(">H", len(self.credential_id)) + self.credential_id
                    + self._cose_key())
        auth_data = self._auth_data(0x45, attested)  # user present, verified, attested data
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return json.dumps({
            "id": b64(self.credential_id), "rawId": b64(self.credential_id), "type": "public-key",
            "clientExtensionResults": {"credProps": {"rk": True}},
            "response": {"clientDataJSON": b64(self._client_data("webauthn.create", options["challenge"])),
                         "attestationObject": b64(attestation), "transports": ["internal"]}})

    def get(self, options: dict, *, count: int | None = None, verified: bool = True) -> str:
        """The answer to ``navigator.credentials.get``; the sign counter goes up by one
        (or is ``count``: a copy of the key whose counter lags). ``verified``: the device
        checked its user (fingerprint, PIN), not only their presence."""
        self.sign_count = self.sign_count + 1 if count is None else count
        client_data = self._client_data("webauthn.get", options["challenge"])
        auth_data = self._auth_data(0x05 if verified else 0x01)  # user present (and verified)
        signature = self.key.sign(auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256()))
        return json.dumps({
            "id": b64(self.credential_id), "rawId": b64(self.credential_id), "type": "public-key",
            "clientExtensionResults": {},
            "response": {"clientDataJSON": b64(client_data), "authenticatorData": b64(auth_data),
                         "signature": b64(signature), "userHandle": b64(self.user_handle)}})
