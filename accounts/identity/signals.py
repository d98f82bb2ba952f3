"""Receivers that turn authentication signals into security events, and the
hooks that the layers above accounts fill (accounts imports none of them)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import Signal, receiver

from accounts import event_kinds
from accounts.audit import events
from accounts.identity import known_browsers
from accounts.sessions import user_sessions
from accounts.models import User
from accounts.policy import normalize_login_id
from accounts.sessions.state import forget_state, mark_login
from accounts.identity.groups import company_admin_group

# Receivers return "app_label.codename" strings that the 会社管理者 group is
# granted (licensing: the licence list; the catalogue: each product's
# admin_permissions).
company_admin_permissions = Signal()
# Sent with ``tenant`` and ``with_products`` when a company is created
# (licensing grants every installed product unless with_products is False).
tenant_created = Signal()


@receiver(user_login_failed, dispatch_uid="accounts.login_failed")
def login_failed(sender, credentials, request=None, **kwargs):
    login_id = normalize_login_id((credentials or {}).get("username", ""))[:40]
    user = User.objects.by_login_id(login_id).only("pk", "tenant_id", "login_id").first()
    expired = getattr(request, "temporary_password_expired", False)
    events.record(request, events.Kind.LOGIN_FAILURE, user=user, login_id=login_id,
                  reason=event_kinds.TEMPORARY_PASSWORD_EXPIRED if expired else events.WRONG_PASSWORD)


@receiver(user_logged_in, dispatch_uid="accounts.logged_in")
def logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        mark_login(request)
        user_sessions.session_started(request, user)


@receiver(user_logged_out, dispatch_uid="accounts.logged_out")
def logged_out(sender, request, user, **kwargs):
    forget_state(request)
    if request is not None and hasattr(request, "session"):
        user_sessions.session_ended(request)
    if user is not None:
        reason = getattr(request, "netdekomon_logout_reason", "")  # the session lifetime's
        events.record(request, events.Kind.LOGOUT, user=user, **({"reason": reason} if reason else {}))
        if request is not None:
            known_browsers.forget(request, user)  # unless 「このブラウザを信頼する」 was ticked


def sync_company_admin_group(sender, **kwargs):
    """After migrate, 会社管理者 holds exactly the permissions core and products declare.

    Connected in AccountsConfig.ready() for every app's post_migrate, so a
    product app installed later grants its permissions on the next migrate.
    """

    company_admin_group()
