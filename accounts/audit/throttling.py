"""Limits on guessing a password inside a session, counted from the security events.

The same limit and cool-off as a login (AXES_FAILURE_LIMIT wrong passwords
within AXES_COOLOFF_TIME); django-axes counts the login itself.
"""

from django.conf import settings
from django.utils import timezone

from accounts.audit.events import WRONG_CURRENT_PASSWORD, WRONG_PASSWORD, Kind
from accounts.models import SecurityEvent


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
        kind=Kind.RESET_DENIED, actor=actor, data__reason=WRONG_PASSWORD,
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
        kind=Kind.LOGIN_FAILURE, user=user, data__reason=WRONG_CURRENT_PASSWORD, created_at__gte=since)
    return failures.count() >= settings.AXES_FAILURE_LIMIT
