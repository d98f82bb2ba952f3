"""The guards of the login that accounts brings to the gate (``accounts.sessions.gate``).

Listed in LOGIN_GATE_GUARDS in this order, with licensing's ``licence``
between ``office_ip`` and ``access``:

- ``lifetime``: idle and absolute session lifetimes (``accounts.sessions.lifetime``);
- ``office_ip``: 社外からのアクセス制限 refuses a restricted company's open
  sessions outside its addresses, before any other answer (a licence 404, a
  step-up); public views (login, logout, help, language) stay open, so the
  way on works;
- ``access``: closes every view that did not declare its access level, and
  asks for what is missing, never shown as an error: anonymous → login, no
  code yet → the code step (or setup when the user has no device), a
  temporary password → the forced change;
- ``user_sessions``: ログイン中の端末, the session's row follows it.
"""

import logging

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

from accounts.mfa.otp import user_device
from accounts.sessions import lifetime, office_ip, user_sessions
from accounts.sessions.gate import Guard
from accounts.sessions.state import login_state
from kit.access import Access, allowed_during_password_change, declared_level, url_with_next

logger = logging.getLogger(__name__)


def code_step_url(request, next_url: str) -> str:
    """Where a user goes to prove the second factor: setup without a device, else the code."""
    name = "accounts:verify" if user_device(request.user) else "accounts:setup"
    return url_with_next(reverse(name), next_url)


def refuse_outside_office(request, view_func):
    state = login_state(request)
    if not state.outside_office:
        return None
    level = declared_level(view_func)
    if level is None or level == Access.PUBLIC:
        return None  # undeclared: ``access`` closes it
    if level <= Access.LIMITED and state.limited and state.limited_anywhere:
        # Limited pages, and what a limited session itself uses (「ログインを延長」, the
        # code step); whatever needs the full mode is refused on that page.
        return None
    return office_ip.refuse(request, request.user, limited_anywhere=state.limited_anywhere,
                            limited_session=state.limited)


def ask_for_what_is_missing(request, view_func):
    required = declared_level(view_func)
    if required is None:
        logger.error("View %s.%s has no access declaration; it is closed.",
                     view_func.__module__, getattr(view_func, "__name__", view_func))
        raise PermissionDenied
    state = login_state(request)
    next_url = request.get_full_path()
    if state.level < required:
        if state.level == Access.PUBLIC:
            return redirect_to_login(next_url)
        return redirect(code_step_url(request, next_url))
    if required > Access.LOGIN and state.temporary_password and not allowed_during_password_change(view_func):
        return redirect(url_with_next(reverse("accounts:password_change"), next_url))
    return None


LIFETIME = Guard("lifetime", on_request=lifetime.end_expired)
OFFICE_IP = Guard("office_ip", on_view=refuse_outside_office, after=("lifetime",))
ACCESS = Guard("access", on_view=ask_for_what_is_missing, after=("lifetime", "office_ip"))
USER_SESSIONS = Guard("user_sessions", on_response=user_sessions.follow, after=("lifetime",))
