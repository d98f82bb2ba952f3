"""Password-guessing limits that a stranger cannot aim at someone else.

Two limits, decided in docs/security.md ("パスワード推測対策"):

- **Per login ID + address** (django-axes): ``AXES_FAILURE_LIMIT`` wrong
  passwords lock that ID from that address for ``AXES_COOLOFF_TIME``. Tries
  that axes refuses are not counted and do not extend the lock
  (``AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False``).
- **Per login ID across addresses** (the ceiling): when the failures of
  the last cool-off add up to ``LOGIN_ID_FAILURE_CEILING``, each address
  counting for at most ``AXES_FAILURE_LIMIT``, the ID is closed to
  strangers. A browser that holds valid trust for the user
  (accounts.identity.known_browsers: bound to their credentials, expiring, a few
  wrong passwords at most) and an address the user completed a login from
  within ``LOGIN_KNOWN_ADDRESS_DAYS`` keep their own per-address limit, so
  one attacker cannot lock an employee, or a whole company, out of the
  machines they really use.

Every refusal looks like a wrong password (same page, message and hashing
cost) and is a ``lockout`` security event.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from accounts import event_kinds
from accounts.audit import events
from accounts.identity import known_browsers
from accounts.hashers import check_password_evenly
from kit.net import client_ip
from accounts.policy import axes_username
from accounts.models import User, SecurityEvent

PER_ADDRESS = event_kinds.PER_ADDRESS
CEILING = event_kinds.CEILING


def failures_across_addresses(login_id: str) -> int:
    """Wrong passwords for ``login_id`` within the cool-off, at most AXES_FAILURE_LIMIT per address."""
    from axes.models import AccessAttempt

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    key = axes_username(None, {"username": login_id})  # as django-axes stored it
    per_address = (AccessAttempt.objects.filter(username=key, attempt_time__gte=since)
                   .values("ip_address").annotate(failures=Sum("failures_since_start")))
    return sum(min(row["failures"], settings.AXES_FAILURE_LIMIT) for row in per_address)


def closed_to(request, login_id: str) -> bool:
    """Whether the ceiling refuses ``login_id`` to this request (browser and address)."""
    if failures_across_addresses(login_id) < settings.LOGIN_ID_FAILURE_CEILING:
        return False

    user = User.objects.by_login_id(login_id).first()
    return user is None or not (known_browsers.trusted(request, user) or known_address(request, user))


def known_address(request, user) -> bool:
    address = client_ip(request)
    if not address:
        return False

    since = timezone.now() - timedelta(days=settings.LOGIN_KNOWN_ADDRESS_DAYS)
    return SecurityEvent.objects.filter(
        user=user, kind=events.Kind.LOGIN_SUCCESS, ip_address=address, created_at__gte=since,
    ).exists()


def record_lockout(request, *, login_id: str, password: str, reason: str) -> None:
    """A refused login: the hashing cost of a wrong password, and a ``lockout`` event its company sees."""

    check_password_evenly(password or "", None)
    user = User.objects.by_login_id(login_id).first() if login_id else None
    events.record(request, events.Kind.LOCKOUT, user=user, login_id=login_id, reason=reason)
