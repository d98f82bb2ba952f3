"""ログイン履歴: the security events that matter to the user, in words.

Only the user's own events (``SecurityEvent.user``), of the last
LOGIN_HISTORY_DAYS; never a code or password (events never hold one)."""

from dataclasses import dataclass
from datetime import timedelta
from functools import reduce
from operator import or_

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from accounts import event_kinds
from accounts.activity.logins import with_login_facts, without_login_steps
from accounts.models import SecurityEvent
from kit.user_agents import Described, describe


def shown_kinds() -> list[str]:
    """The kinds the user sees (those with a ``history`` line in event_kinds.KINDS)."""
    return [kind for kind, audit in event_kinds.KINDS.items() if audit.history is not None]


@dataclass
class Entry:
    event: SecurityEvent
    what: str
    failed: bool
    agent: Described


def events_of(user):
    """The user's own shown events of the last LOGIN_HISTORY_DAYS, newest first."""
    since = timezone.now() - timedelta(days=settings.LOGIN_HISTORY_DAYS)
    shown = reduce(or_, (Q(kind=kind, **event_kinds.KINDS[kind].shown_when) for kind in shown_kinds()))
    events = without_login_steps(SecurityEvent.objects.filter(shown, user=user, created_at__gte=since))
    return (with_login_facts(events)
            .only("created_at", "kind", "data", "detail", "ip_address", "user_agent", "actor_id", "user_id")
            .order_by("-created_at", "-pk"))


def entry(event: SecurityEvent) -> Entry:
    audit = event_kinds.KINDS.get(event.kind)
    return Entry(event, describe_event(event), bool(audit and audit.failed), describe(event.user_agent))


def describe_event(event: SecurityEvent) -> str:
    """The user's line for ``event`` (its kind's ``history`` in event_kinds.KINDS)."""
    return event_kinds.history_line(event)
