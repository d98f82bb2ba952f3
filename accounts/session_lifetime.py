"""How long a login session lives.

Idle: SESSION_IDLE_SECONDS (30 minutes) in full mode, the longer
SESSION_LIMITED_IDLE_SECONDS in the limited (punch) mode. Absolute:
however active a session is, it ends SESSION_ABSOLUTE_SECONDS (12 h) after
the login; the user logs in again with the password (and the code). The
session store's own expiry cannot do this: it is pushed back every time the
session is saved.
"""

import time

from django.conf import settings
from django.contrib.auth import logout

from .access import Access
from .session_state import LAST_SEEN_SESSION_KEY, STARTED_SESSION_KEY, mark_login, reached_level


def idle_expired(request) -> bool:
    """Idle too long for the session's mode; otherwise note the activity (at most once a minute)."""
    now = int(time.time())
    last_seen = request.session.get(LAST_SEEN_SESSION_KEY)
    limited = reached_level(request) == Access.LIMITED
    idle = settings.SESSION_LIMITED_IDLE_SECONDS if limited else settings.SESSION_IDLE_SECONDS
    if last_seen is not None and now - last_seen > idle:
        return True
    if last_seen is None or now - last_seen >= 60:
        request.session[LAST_SEEN_SESSION_KEY] = now
    return False


class SessionLifetimeMiddleware:
    """Registered after django-otp's ``OTPMiddleware`` (the mode depends on verification)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            started = request.session.get(STARTED_SESSION_KEY)
            if started is None:  # a session from before this rule: its lifetime starts now
                mark_login(request)
            elif int(time.time()) - started > settings.SESSION_ABSOLUTE_SECONDS:
                request.netdekomon_logout_reason = "session lifetime"
                logout(request)
            if request.user.is_authenticated and idle_expired(request):
                logout(request)
        return self.get_response(request)
