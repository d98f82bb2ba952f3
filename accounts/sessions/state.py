"""How far this session's login went: the one owner of the login-session state.

Written by the login wizard, the setup, the step-up and the self reset; read
by the access middleware, the session lifetimes and the views that show more
in the full mode. The verified device is django-otp's own state
(``DEVICE_ID_SESSION_KEY``, ``request.user.is_verified()``); this module adds
the mode chosen at the login and the times the lifetimes are measured from.
"""

import time

import django_otp
from django_otp import DEVICE_ID_SESSION_KEY

from kit.access import Access

MODE_SESSION_KEY = "netdekomon_mode"
MODE_LIMITED = "limited"  # 就業打刻・明細閲覧のみ (B-IDs, without the code)
MODE_FULL = "full"  # すべての機能 (with the code)
STARTED_SESSION_KEY = "netdekomon_login_at"
LAST_SEEN_SESSION_KEY = "netdekomon_last_seen"
# Why the last session ended (idle, lifetime, ended elsewhere, logout): written
# into the fresh session after the logout, shown once on the login page.
LOGOUT_REASON_SESSION_KEY = "netdekomon_logout_reason"

__all__ = [
    "DEVICE_ID_SESSION_KEY", "LAST_SEEN_SESSION_KEY", "LOGOUT_REASON_SESSION_KEY", "MODE_FULL", "MODE_LIMITED", "MODE_SESSION_KEY",
    "STARTED_SESSION_KEY", "forget_device", "mark_full", "mark_full_at_login", "mark_limited", "mark_login",
    "reached_level",
]


def mark_login(request) -> None:
    """A login happened now (accounts.identity.signals): the absolute lifetime starts."""
    request.session[STARTED_SESSION_KEY] = int(time.time())


def mark_limited(request) -> None:
    """The B-ID chose 「就業打刻・明細閲覧のみ利用する」."""
    request.session[MODE_SESSION_KEY] = MODE_LIMITED


def mark_full(request, device) -> None:
    """The code was just proved with ``device``: verified, full mode, and a new
    session key (the session gained privileges, as at a login)."""
    django_otp.login(request, device)
    request.session.cycle_key()
    request.session[MODE_SESSION_KEY] = MODE_FULL


def mark_full_at_login(request) -> None:
    """The login itself proved the code: django.contrib.auth.login() has just
    given the session a new key and django-otp stored the device (its
    user_logged_in handler); only the mode is left to note."""
    request.session[MODE_SESSION_KEY] = MODE_FULL


def forget_device(request) -> None:
    """The session is no longer verified (its devices were just removed)."""
    request.session.pop(DEVICE_ID_SESSION_KEY, None)


def reached_level(request) -> Access:
    """How far the current session's login went."""
    user = request.user
    if not user.is_authenticated:
        return Access.PUBLIC
    if user.is_verified():
        return Access.FULL
    if request.session.get(MODE_SESSION_KEY) == MODE_LIMITED and user.may_use_limited_mode:
        return Access.LIMITED
    return Access.LOGIN
