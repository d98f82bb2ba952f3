"""Recording security events. Callers pass facts, never a code, secret or password.

The limits counted from these events are in ``accounts.audit.throttling``."""

import logging

from accounts.models import SecurityEvent
from kit.net import client_ip, user_agent

logger = logging.getLogger("netdekomon.security")

Kind = SecurityEvent.Kind

# detail of a RESET_DENIED event that counts towards the lockout.
WRONG_PASSWORD = "wrong password"
LOCKED = "locked"
# detail of a LOGIN_FAILURE event: a wrong current password on the password change.
WRONG_CURRENT_PASSWORD = "wrong current password"


def record(request, kind: str, *, user=None, actor=None, login_id: str = "", detail: str = "",
           tenant=None) -> SecurityEvent:
    """``tenant``: the company the event is about when neither the user nor the actor names it
    (an operator or a command changing a company's setting)."""
    subject = user if user is not None and getattr(user, "pk", None) else None
    event = SecurityEvent.objects.create(
        kind=kind,
        user=subject,
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        tenant_id=getattr(tenant, "pk", None) or getattr(subject, "tenant_id", None)
        or getattr(actor, "tenant_id", None),
        login_id=(login_id or getattr(subject, "login_id", ""))[:40],
        ip_address=(client_ip(request) or None) if request is not None else None,
        user_agent=user_agent(request) if request is not None else "",
        detail=detail[:200],
    )
    logger.info("security event %s login_id=%s", kind, event.login_id)
    return event
