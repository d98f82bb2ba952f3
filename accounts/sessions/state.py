"""How far this session's login went: the one owner of the login-session state.

Written by the login wizard, the setup, the step-up and the self reset; read,
once per request, into one ``LoginState`` (``login_state``) by the login
gate's guards, the views that show more in the full mode and the templates.
The verified device is django-otp's own state (``DEVICE_ID_SESSION_KEY``,
``request.user.is_verified()``); this module adds the mode chosen at the
login and the times the lifetimes are measured from. Whatever changes the
login (the login itself, the code, the logout, removed devices) forgets the
request's state, so the next reader computes it again.
"""

import time
from dataclasses import dataclass

import django_otp
from django.conf import settings
from django_otp import DEVICE_ID_SESSION_KEY

from accounts.sessions import office_ip
from kit.access import Access

MODE_SESSION_KEY = "netdekomon_mode"
MODE_LIMITED = "limited"  # 就業打刻・明細閲覧のみ (B-IDs, without the code)
MODE_FULL = "full"  # すべての機能 (with the code)
STARTED_SESSION_KEY = "netdekomon_login_at"
LAST_SEEN_SESSION_KEY = "netdekomon_last_seen"
# Why the last session ended (idle, lifetime, ended elsewhere, logout): written
# into the fresh session after the logout, shown once on the login page.
LOGOUT_REASON_SESSION_KEY = "netdekomon_logout_reason"

STATE_ATTRIBUTE = "_netdekomon_login_state"  # the request's computed LoginState

__all__ = [
    "DEVICE_ID_SESSION_KEY", "LAST_SEEN_SESSION_KEY", "LOGOUT_REASON_SESSION_KEY", "MODE_FULL", "MODE_LIMITED", "MODE_SESSION_KEY",
    "STARTED_SESSION_KEY", "LoginState", "forget_device", "forget_state", "login_state", "mark_full",
    "mark_full_at_login", "mark_limited", "mark_login", "reached_level",
]


@dataclass(frozen=True)
class LoginState:
    """The login of one request's session, as the gate's guards and the views read it."""

    level: Access  # how far the login went (PUBLIC for no login)
    mode: str  # MODE_LIMITED, MODE_FULL or "" (no choice yet)
    verified_device: str | None  # django-otp's persistent id of the device that proved the code
    temporary_password: bool  # verified on a temporary password: the forced change comes first
    outside_office: bool  # the company restricts addresses (社外からのアクセス制限) and this one is not listed
    limited_anywhere: bool  # the company's exception: this B-ID may use the limited mode from anywhere
    started: int | None  # when the login happened (the absolute lifetime counts from it)

    @property
    def limited(self) -> bool:
        return self.level == Access.LIMITED

    @property
    def idle_seconds(self) -> int:
        """How long the session may stay idle: longer in the limited (punch) mode."""
        return settings.SESSION_LIMITED_IDLE_SECONDS if self.limited else settings.SESSION_IDLE_SECONDS


ANONYMOUS = LoginState(level=Access.PUBLIC, mode="", verified_device=None, temporary_password=False, outside_office=False,
                       limited_anywhere=False, started=None)


def login_state(request) -> LoginState:
    """This request's login state, computed at its first reading."""
    state = request.__dict__.get(STATE_ATTRIBUTE)
    if state is None:
        state = _read(request)
        setattr(request, STATE_ATTRIBUTE, state)
    return state


def forget_state(request) -> None:
    """The login just changed: the next reader computes the state again."""
    if request is not None:
        request.__dict__.pop(STATE_ATTRIBUTE, None)


def _read(request) -> LoginState:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    session = request.session
    mode = session.get(MODE_SESSION_KEY, "")
    verified = user.is_verified()
    if verified:
        level = Access.FULL
    elif mode == MODE_LIMITED and user.may_use_limited_mode:
        level = Access.LIMITED
    else:
        level = Access.LOGIN
    rule = office_ip.rule_for(user)
    return LoginState(
        level=level, mode=mode, verified_device=session.get(DEVICE_ID_SESSION_KEY) if verified else None,
        temporary_password=verified and user.password_is_temporary,
        outside_office=not office_ip.inside(rule, request),
        limited_anywhere=office_ip.limited_from_anywhere(rule, user),
        started=session.get(STARTED_SESSION_KEY),
    )


def mark_login(request) -> None:
    """A login happened now (accounts.identity.signals): the absolute lifetime starts."""
    request.session[STARTED_SESSION_KEY] = int(time.time())
    forget_state(request)


def mark_limited(request) -> None:
    """The B-ID chose 「就業打刻・明細閲覧のみ利用する」."""
    request.session[MODE_SESSION_KEY] = MODE_LIMITED
    forget_state(request)


def mark_full(request, device) -> None:
    """The code was just proved with ``device``: verified, full mode, and a new
    session key (the session gained privileges, as at a login)."""
    django_otp.login(request, device)
    request.session.cycle_key()
    request.session[MODE_SESSION_KEY] = MODE_FULL
    forget_state(request)


def mark_full_at_login(request) -> None:
    """The login itself proved the code: django.contrib.auth.login() has just
    given the session a new key and django-otp stored the device (its
    user_logged_in handler); only the mode is left to note."""
    request.session[MODE_SESSION_KEY] = MODE_FULL
    forget_state(request)


def forget_device(request) -> None:
    """The session is no longer verified (its devices were just removed)."""
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    forget_state(request)


def reached_level(request) -> Access:
    """How far the current session's login went."""
    return login_state(request).level
