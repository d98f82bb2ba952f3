"""Closes every view that did not declare its access level.

Runs after django-otp's ``OTPMiddleware`` (``request.user.is_verified()``)
and decides, per request, how far this session's login went and what the
view asks for. What is missing is asked for, never shown as an error:
anonymous → login, B-ID without a choice → the choice screen, no code yet →
the code step (or setup when the user has no device), temporary password →
the forced change. (Views of a product the tenant does not use are 404
before this: ``licensing.middleware.LicenceMiddleware``.)
"""

import logging

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse

from kit.access import Access, allowed_during_password_change, declared_level, url_with_next
from accounts.mfa.otp import user_device
from accounts.sessions.state import reached_level

logger = logging.getLogger(__name__)


def must_change_password(request) -> bool:
    user = request.user
    return user.is_authenticated and user.password_is_temporary and user.is_verified()


def code_step_url(request, next_url: str) -> str:
    """Where a user goes to prove the second factor: setup without a device, else the code."""
    name = "accounts:verify" if user_device(request.user) else "accounts:setup"
    return url_with_next(reverse(name), next_url)


class AccessPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        required = declared_level(view_func)
        if required is None:
            logger.error("View %s.%s has no access declaration; it is closed.",
                         view_func.__module__, getattr(view_func, "__name__", view_func))
            raise PermissionDenied
        reached = reached_level(request)
        if reached < required:
            return self._ask_for(request, required, reached)
        if required > Access.LOGIN and must_change_password(request) \
                and not allowed_during_password_change(view_func):
            return redirect(url_with_next(reverse("accounts:password_change"), request.get_full_path()))
        return None

    def _ask_for(self, request, required, reached):
        next_url = request.get_full_path()
        if reached == Access.PUBLIC:
            return redirect_to_login(next_url)
        return redirect(code_step_url(request, next_url))
