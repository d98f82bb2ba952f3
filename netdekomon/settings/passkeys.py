"""Passkeys (WebAuthn) beside the authenticator app: django-otp-webauthn's
device over py_webauthn (docs/security.md, "Passkeys").

A passkey is bound to the relying-party ID, a domain: the browser refuses
it on any other site, which is what makes it phishing-resistant. The
ID and the origins the service answers on come from the environment;
`manage.py check` refuses a production start where they do not match
ALLOWED_HOSTS (accounts/checks.py). With DEBUG on, the demo's
http://localhost on any port is accepted (never http://127.0.0.1: a
browser offers passkeys only to a domain).
"""

from .base import DEBUG
from .environment import env

PASSKEY_RP_ID = env.str("PASSKEY_RP_ID", default="localhost")
PASSKEY_ORIGINS = env.list("PASSKEY_ORIGINS", default=[] if not DEBUG else ["http://localhost:8000"])
# Development only: http://localhost with any port (the demo, the browser tests' live server).
PASSKEY_ANY_LOCALHOST_PORT = DEBUG and PASSKEY_RP_ID == "localhost"
# Production (DEBUG off as configured, not as a test runner forces it): the origins are checked.
PASSKEY_CHECK_ORIGINS = not DEBUG

# The library's models, extended as tenant data (accounts/models/passkeys.py).
OTP_WEBAUTHN_CREDENTIAL_MODEL = "accounts.Passkey"
OTP_WEBAUTHN_ATTESTATION_MODEL = "accounts.PasskeyAttestation"
OTP_WEBAUTHN_RP_ID = PASSKEY_RP_ID
# Where a company requires a passkey of its administrators: a passkey registered after that
# counts at the console this many hours after its registration mail (accounts.console.guards).
PASSKEY_SETTLE_HOURS = env.int("PASSKEY_SETTLE_HOURS", default=24)
OTP_WEBAUTHN_RP_NAME = "ネット de 顧問"
OTP_WEBAUTHN_ALLOWED_ORIGINS = PASSKEY_ORIGINS or [f"https://{PASSKEY_RP_ID}"]
OTP_WEBAUTHN_HELPER_CLASS = "accounts.mfa.passkeys.PasskeyHelper"
# Second factor only: the library's own JSON views (which would log a user in
# themselves) are not mounted; the login's code step verifies the passkey.
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
OTP_WEBAUTHN_TIMEOUT_SECONDS = 5 * 60
# The library's logger gets py_webauthn's refusals (never a key or a challenge).
OTP_WEBAUTHN_EXCEPTION_LOGGER_NAME = "accounts.passkeys"
