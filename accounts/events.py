"""Recording security events. Callers pass facts, never a code, secret or password."""

import logging

from django.conf import settings
from django.utils import timezone

from .models import SecurityEvent
from .net import client_ip, user_agent

logger = logging.getLogger("netdekomon.security")

Kind = SecurityEvent.Kind

# detail of a RESET_DENIED event that counts towards the lockout.
WRONG_PASSWORD = "wrong password"
LOCKED = "locked"
# detail of a LOGIN_FAILURE event: a wrong current password on the password change.
WRONG_CURRENT_PASSWORD = "wrong current password"


def record(request, kind: str, *, user=None, actor=None, login_id: str = "", detail: str = "") -> SecurityEvent:
    subject = user if user is not None and getattr(user, "pk", None) else None
    event = SecurityEvent.objects.create(
        kind=kind,
        user=subject,
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        tenant_id=getattr(subject, "tenant_id", None) or getattr(actor, "tenant_id", None),
        login_id=(login_id or getattr(subject, "login_id", ""))[:40],
        ip_address=(client_ip(request) or None) if request is not None else None,
        user_agent=user_agent(request) if request is not None else "",
        detail=detail[:200],
    )
    logger.info("security event %s login_id=%s", kind, event.login_id)
    return event


def reset_locked(actor) -> bool:
    """Whether ``actor`` typed their own password wrong too often to reset a 2FA now.

    The same limit and cool-off as a login (AXES_FAILURE_LIMIT wrong
    passwords within AXES_COOLOFF_TIME), counted from the RESET_DENIED
    events themselves; a successful reset starts the count again.
    """
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    last_success = (SecurityEvent.objects.filter(kind=Kind.RESET, actor=actor, created_at__gte=since)
                    .order_by("-created_at").values_list("created_at", flat=True).first())
    failures = SecurityEvent.objects.filter(
        kind=Kind.RESET_DENIED, actor=actor, detail=WRONG_PASSWORD,
        created_at__gte=max(since, last_success) if last_success else since,
    )
    return failures.count() >= settings.AXES_FAILURE_LIMIT


def password_change_locked(user) -> bool:
    """Whether ``user`` typed a wrong current password on the password change too often.

    The same limit and cool-off as a login; without it a verified session
    (left open, or taken over) could guess the account password without end.
    """
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    failures = SecurityEvent.objects.filter(
        kind=Kind.LOGIN_FAILURE, user=user, detail=WRONG_CURRENT_PASSWORD, created_at__gte=since)
    return failures.count() >= settings.AXES_FAILURE_LIMIT
