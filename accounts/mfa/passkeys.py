"""Passkeys (WebAuthn): django-otp-webauthn's credential (``accounts.models.Passkey``), a
django-otp device beside the TOTP device, proved at the same code step.

A passkey is bound to this service's domain (the relying-party ID): the
browser will not use it on a look-alike site, so a relayed login page gets
nothing it can replay. That is what the six-digit code cannot offer.

How it sits on the library (extended, not forked):

- Its model, its helper (``PasskeyHelper``, the ``OTP_WEBAUTHN_HELPER_CLASS``)
  and py_webauthn's verification are used as they are.
- Its JSON views are not mounted. They log a user in by themselves
  (``CompleteCredentialAuthenticationView.complete_auth``), which would skip
  this project's login: the B-ID choice, the office address rule, ログイン履歴,
  known browsers. Here the page of the code step carries the request options
  (``authentication_options``), the browser's answer is posted with that
  page's form, and ``verify`` checks it.
- ``verify`` goes around the helper's ``authenticate_complete``: that one
  neither locks the credential's row (two answers racing could both move the
  sign counter) nor tells a cloned credential apart from a broken answer.

A challenge lives in the session of the login that asked for it and is taken
out before it is checked, so an answer is good once, and only in that
session: the same answer replayed in another session has no challenge to
match. Challenges expire with ``OTP_WEBAUTHN_TIMEOUT_SECONDS``.
"""

import hashlib
import json
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone
from django_otp_webauthn.exceptions import OTPWebAuthnApiError
from django_otp_webauthn.helpers import WebAuthnHelper
from webauthn import base64url_to_bytes, verify_authentication_response
from webauthn.helpers import parse_authentication_credential_json
from webauthn.helpers.exceptions import WebAuthnException

from accounts.audit import events
from accounts.models import Passkey
from kit.user_agents import device_name
from kit.net import user_agent

AUTH_STATE = "netdekomon_passkey_auth"
PASSWORDLESS_STATE = "netdekomon_passkey_passwordless"
REGISTER_PROVED = "netdekomon_passkey_password_at"
REGISTER_STATE = "netdekomon_passkey_register"
# A browser's answer is a few hundred bytes to a few kB; anything larger is not one.
MAX_ANSWER = 16_384
NAME_LENGTH = 64  # django-otp's Device.name
# The sign counter's column (an integer on PostgreSQL); an authenticator's may reach 2**32 - 1.
MAX_SIGN_COUNT = 2**31 - 1

# Why a passkey was refused (the PASSKEY_REFUSED event's ``reason``).
EXPIRED = "expired"  # no challenge in this session, or too old
INVALID = "invalid"  # not a WebAuthn answer, or one that does not verify
UNKNOWN = "unknown"  # no such passkey (removed, reset, never registered)
OTHER_USER = "other_user"  # a passkey of another account
CLONED = "cloned"  # a genuine signature with the sign counter going back
# 「パスキーでログイン」 only: the passkey was good, the login is not allowed.
INACTIVE = "inactive"  # 退職
NOT_ALLOWED = "not_allowed"  # the company does not allow a passkey alone
LOCKED = "locked"  # the ID is locked (failures from this address, or the per-ID ceiling)
REASONS = (EXPIRED, INVALID, UNKNOWN, OTHER_USER, CLONED, INACTIVE, NOT_ALLOWED, LOCKED)


class Refused(Exception):
    """``reason``: one of REASONS; ``owner``: the passkey's user when the answer proved who it is."""

    def __init__(self, reason: str, owner=None):
        super().__init__(reason)
        self.reason, self.owner = reason, owner


class PasskeyHelper(WebAuthnHelper):
    """The library's helper with this service's names and origins."""

    def get_allowed_origins(self) -> list[str]:
        origins = list(super().get_allowed_origins())
        if settings.PASSKEY_ANY_LOCALHOST_PORT:  # development: the demo and the live test server
            own = f"{self.request.scheme}://{self.request.get_host()}"
            if urlsplit(own).hostname == "localhost" and own not in origins:
                origins.append(own)
        return origins

    def get_credential_name(self, user) -> str:
        return user.login_id

    def get_credential_display_name(self, user) -> str:
        return f"{user.name}（{user.login_id}）" if user.name else user.login_id


def helper(request) -> PasskeyHelper:
    return PasskeyHelper(request)


def user_passkeys(user):
    """The user's passkeys, newest first."""
    return Passkey.objects.filter(user=user, confirmed=True).order_by("-created_at", "-pk")


def has_passkey(user) -> bool:
    return user_passkeys(user).exists()


def default_name(request) -> str:
    """「iPhone の Safari」: the device the passkey is being made on."""
    return device_name(user_agent(request))[:NAME_LENGTH]


def _keep(request, key: str, state: dict) -> None:
    request.session[key] = {**state, "at": time.time()}


def _take(request, key: str) -> dict:
    """The state kept for this session, taken out (good once); Refused(EXPIRED) when none or too old."""
    state = request.session.pop(key, None)
    if not isinstance(state, dict) or time.time() - state.get("at", 0) > settings.OTP_WEBAUTHN_TIMEOUT_SECONDS:
        raise Refused(EXPIRED)
    return state


def _answer(raw: str) -> dict:
    if not raw or len(raw) > MAX_ANSWER:
        raise Refused(INVALID)
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):  # not JSON, or nested deeper than any answer is
        raise Refused(INVALID) from None
    if not isinstance(data, dict):
        raise Refused(INVALID)
    return data


# -- the code step ---------------------------------------------------------------


def authentication_options(request, user) -> dict | None:
    """The request options for ``user``'s passkeys (kept as this session's challenge), or None
    when they have none. Presence is enough here: the password was the first factor."""
    if not user_passkeys(user).exists():
        return None
    options, state = helper(request).authenticate_begin(user=user, require_user_verification=False)
    _keep(request, AUTH_STATE, state)
    return options


def verify(request, user, raw: str) -> Passkey:
    """The passkey of ``user`` that signed this session's challenge, with its sign counter moved on.

    Refused(reason) otherwise; every refusal is recorded (PASSKEY_REFUSED)."""
    try:
        return _verify(request, user, raw, AUTH_STATE)
    except Refused as refusal:
        events.record(request, events.Kind.PASSKEY_REFUSED, user=user, reason=refusal.reason)
        raise


# -- 「パスキーでログイン」 (passwordless) ------------------------------------------------


def passwordless_options(request) -> dict:
    """The request options of the login page's 「パスキーでログイン」: any of this site's
    passkeys (the browser lets the user choose), with the user verified by the device
    (fingerprint, face, PIN), since the passkey is then the whole login."""
    options, state = helper(request).authenticate_begin(user=None, require_user_verification=True)
    _keep(request, PASSWORDLESS_STATE, state)
    return options


def verify_passwordless(request, raw: str) -> Passkey:
    """The passkey (whoever's) that signed this session's passwordless challenge with its user
    verified. Refused(reason) otherwise, recorded against the passkey's owner when known."""
    try:
        return _verify(request, None, raw, PASSWORDLESS_STATE)
    except Refused as refusal:
        events.record(request, events.Kind.PASSKEY_REFUSED, user=refusal.owner, reason=refusal.reason)
        raise


def _verify(request, user, raw: str, state_key: str) -> Passkey:
    """``user``'s passkey (None: the passkey's own user) that signed the challenge kept under ``state_key``."""
    state = _take(request, state_key)
    try:
        credential = parse_authentication_credential_json(_answer(raw))
    except (WebAuthnException, ValueError, TypeError):  # py_webauthn lets a bad userHandle's base64 error out
        raise Refused(INVALID) from None
    check = helper(request)
    expected = {
        "credential": credential,
        "expected_challenge": base64url_to_bytes(state["challenge"]),
        "expected_rp_id": check.get_relying_party_domain(),
        "expected_origin": check.get_allowed_origins(),
        "require_user_verification": bool(state.get("require_user_verification")),
    }
    digest = hashlib.sha256(credential.raw_id).hexdigest()
    with transaction.atomic():
        device = (Passkey.objects.select_for_update()
                  .filter(credential_id_sha256=digest, confirmed=True).first())
        if device is None:
            raise Refused(UNKNOWN)
        try:  # the signature first: whose passkey it is is told only to an answer that proves it
            verified = verify_authentication_response(
                credential_public_key=device.public_key, credential_current_sign_count=device.sign_count,
                **expected)
        except (WebAuthnException, ValueError, TypeError):
            reason = CLONED if _signed_with_an_old_counter(device, expected) else INVALID
            raise Refused(reason, owner=device.user if reason == CLONED else None) from None
        if user is not None and device.user_id != user.pk:
            raise Refused(OTHER_USER)
        if verified.new_sign_count > MAX_SIGN_COUNT:
            raise Refused(INVALID)
        device.sign_count = verified.new_sign_count
        device.backup_state = verified.credential_backed_up
        device.last_used_at = timezone.now()
        device.save(update_fields=["sign_count", "backup_state", "last_used_at"])
    return device


def _signed_with_an_old_counter(device, expected) -> bool:
    """The answer failed only because its sign counter did not go up: a genuine signature
    from a copy of the authenticator (WebAuthn §6.1.1). A forged answer does not verify
    even with the counter check left out, so it is merely invalid."""
    if device.sign_count == 0:
        return False
    try:
        verify_authentication_response(credential_public_key=device.public_key,
                                       credential_current_sign_count=0, **expected)
    except (WebAuthnException, ValueError, TypeError):
        return False
    return True


# -- registration ----------------------------------------------------------------


def registration_options(request, user) -> dict:
    """The creation options for a new passkey of ``user`` (their others excluded), kept as this
    session's challenge."""
    options, state = helper(request).register_begin(user=user)
    _keep(request, REGISTER_STATE, state)
    return options


def password_proved(request) -> None:
    """The password step of 「パスキーを登録」 passed now: the passkey may be made within
    OTP_WEBAUTHN_TIMEOUT_SECONDS, however many challenges a failed attempt asks for."""
    request.session[REGISTER_PROVED] = time.time()


def registration_pending(request) -> bool:
    """This session passed the password step of 「パスキーを登録」 recently enough."""
    proved = request.session.get(REGISTER_PROVED)
    return isinstance(proved, float) and time.time() - proved <= settings.OTP_WEBAUTHN_TIMEOUT_SECONDS


def register(request, user, raw: str, name: str) -> Passkey:
    """Check the browser's new credential against this session's challenge and keep it as
    ``name``; Refused(EXPIRED or INVALID) otherwise."""
    if not registration_pending(request):
        raise Refused(EXPIRED)
    state = _take(request, REGISTER_STATE)
    data = _answer(raw)
    try:
        with transaction.atomic():
            device = helper(request).register_complete(user=user, state=state, data=data)
            device.name = name[:NAME_LENGTH]
            device.save(update_fields=["name"])
    except (WebAuthnException, OTPWebAuthnApiError, DatabaseError, ValueError, KeyError, TypeError):
        # Not a new credential made for this challenge and origin, one already registered,
        # or a counter beyond what is stored.
        raise Refused(INVALID) from None
    request.session.pop(REGISTER_PROVED, None)
    return device
