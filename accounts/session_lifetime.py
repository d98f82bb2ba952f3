"""The absolute lifetime of a login session (SESSION_ABSOLUTE_SECONDS, 12 h by default).

The idle timeout lives in ``AccessPolicyMiddleware`` (30 minutes in full
mode, SESSION_LIMITED_IDLE_SECONDS in the limited mode). However active a
session is, it ends this long after the login; the user logs in again with
the password (and the code). The session store's own expiry cannot do this:
it is pushed back every time the session is saved.
"""

import time

from django.conf import settings
from django.contrib.auth import logout

STARTED_SESSION_KEY = "netdekomon_login_at"


def mark_login(request) -> None:
    """Called on every login (accounts.signals)."""
    request.session[STARTED_SESSION_KEY] = int(time.time())


class SessionLifetimeMiddleware:
    """Registered right after ``AccessPolicyMiddleware``."""

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
        return self.get_response(request)
