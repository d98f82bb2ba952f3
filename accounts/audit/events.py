"""Recording security events. Callers pass facts, never a code, secret or password.

An event is a kind and its typed facts::

    events.record(request, Kind.LOGIN_SUCCESS, user=user, method="code")
    events.record(request, Kind.OFFICE_IP_CHANGED, actor=admin, tenant=tenant,
                  enabled=True, networks=2, limited_anywhere=False)

The facts are stored as JSON (``SecurityEvent.data``) and checked against the
kind's entry in ``accounts.event_kinds.KINDS``; an unknown kind or fact is an
error. ``detail="..."`` (the old free text) is still accepted for the texts
that were written before, and turned into the same facts.

Adding an audit kind (no migration: the ``kind`` column has no choices):

1. a ``Kind`` member in ``accounts/event_kinds/`` (stored value, Japanese name
   through gettext_lazy);
2. its ``Audit`` entry in ``KINDS`` there: ``fields`` (name → type, or the tuple
   of allowed values), ``sentence`` (the console's 詳細), and ``history`` when
   the user should see it in ログイン履歴 (``failed`` for a refusal);
3. ``events.record(request, Kind.NEW_KIND, user=..., fact=value)`` where it happens;
4. the new strings in the catalogues (README "Translations").

The system check accounts.E020 fails when a kind has no entry. The console's
security log, ログイン履歴 and their filters read the registry.

The limits counted from these events are in ``accounts.audit.throttling``."""

import logging

from django.utils import timezone

from accounts import event_kinds
from accounts.event_kinds import Kind
from accounts.event_kinds.legacy import legacy_data  # noqa: F401  (the migration 0012 reads it here)
from accounts.models import SecurityEvent
from kit.net import client_ip, user_agent

logger = logging.getLogger("netdekomon.security")

__all__ = ["Kind", "record", "build", "WRONG_PASSWORD", "LOCKED", "WRONG_CURRENT_PASSWORD"]

# reason of a RESET_DENIED event that counts towards the lockout.
WRONG_PASSWORD = event_kinds.WRONG_PASSWORD
LOCKED = event_kinds.LOCKED
# reason of a LOGIN_FAILURE event: a wrong current password on the password change.
WRONG_CURRENT_PASSWORD = event_kinds.WRONG_CURRENT_PASSWORD


def build(request, kind: str, *, user=None, actor=None, login_id: str = "", tenant=None, detail: str = "",
          **facts) -> SecurityEvent:
    """The event, not saved (``record`` saves it; a bulk import saves many at once)."""
    if detail:
        legacy = legacy_data(kind, detail)
        if legacy is None:
            raise ValueError(f"{kind}: pass the facts as keyword arguments, not the text {detail!r}")
        facts = {**legacy, **facts}
    subject = user if user is not None and getattr(user, "pk", None) else None
    actor = actor if actor is not None and getattr(actor, "pk", None) else None
    if actor is not None and actor.login_id:
        facts.setdefault("actor_login_id", actor.login_id)
    return SecurityEvent(
        kind=kind,
        created_at=timezone.now(),
        user=subject,
        actor=actor,
        tenant_id=getattr(tenant, "pk", None) or getattr(subject, "tenant_id", None)
        or getattr(actor, "tenant_id", None),
        login_id=(login_id or getattr(subject, "login_id", ""))[:40],
        ip_address=(client_ip(request) or None) if request is not None else None,
        user_agent=user_agent(request) if request is not None else "",
        data=event_kinds.validated(kind, facts),
    )


def record(request, kind: str, *, user=None, actor=None, login_id: str = "", tenant=None, detail: str = "",
           **facts) -> SecurityEvent:
    """Save an event of ``kind`` with its ``facts`` (the kind's fields, event_kinds.KINDS).

    ``tenant``: the company the event is about when neither the user nor the actor names it
    (an operator or a command changing a company's setting)."""
    event = build(request, kind, user=user, actor=actor, login_id=login_id, tenant=tenant, detail=detail,
                  **facts)
    event.save(force_insert=True)
    logger.info("security event %s login_id=%s", kind, event.login_id)
    return event
