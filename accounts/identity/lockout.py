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

Every refusal costs what a wrong password costs (the same hashing) and is a
``lockout`` security event with the time it ends (``until``).

**What the login page says** (docs/security.md, 「ロックの表示」). The
per-address lock is said plainly, with its end: 「…一時的に制限しています。
15:42 以降（あと約12分）…」. That is no account-existence oracle: django-axes
counts failures under the typed ID's key and the address whether or not such
an ID exists, refuses before any password is checked, and ends the lock at
the same time for both, so an unknown ID typed wrong five times from an
address reads exactly like a real one; and since the password is never
checked while locked, the right password reads like a wrong one (no password
oracle either). The ceiling's refusal keeps the wrong-password message: it
spares the user's own browsers and addresses, so an unknown ID (which has
none) would read "restricted" where a real one reads "wrong password" at the
user's office address. The company administrator sees both restrictions
with their ends and lifts them (``restrictions``, ``lockout_lift``).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

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


def axes_key(login_id: str) -> str:
    """The name django-axes stores ``login_id``'s failures under."""
    return axes_username(None, {"username": login_id})


def _attempts(login_id: str):
    """django-axes' rows of ``login_id`` that still count (within the cool-off)."""
    from axes.models import AccessAttempt

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(username=axes_key(login_id), attempt_time__gte=since)


def failures_across_addresses(login_id: str) -> int:
    """Wrong passwords for ``login_id`` within the cool-off, at most AXES_FAILURE_LIMIT per address."""
    per_address = _attempts(login_id).values("ip_address").annotate(failures=Sum("failures_since_start"))
    return sum(min(row["failures"], settings.AXES_FAILURE_LIMIT) for row in per_address)


def _lock_end(rows) -> datetime | None:
    """When django-axes lets the address of ``rows`` in again: its rows (attempt time,
    failures), newest first, count until attempt time + cool-off; the lock holds while
    those still counted reach AXES_FAILURE_LIMIT."""
    total = 0
    for attempt_time, failures in rows:
        total += failures
        if total >= settings.AXES_FAILURE_LIMIT:
            return attempt_time + settings.AXES_COOLOFF_TIME
    return None


def locked_until(login_id: str, address: str | None) -> datetime | None:
    """The end of django-axes' lock of ``login_id`` from ``address``, or None (not locked).
    The same for an ID that does not exist: axes counts the typed ID."""
    rows = _attempts(login_id).filter(ip_address=address).order_by("-attempt_time")
    return _lock_end(rows.values_list("attempt_time", "failures_since_start"))


def ceiling_until(login_id: str) -> datetime | None:
    """The end of the per-ID ceiling for ``login_id``, or None when it does not hold."""
    rows = list(_attempts(login_id).values_list("ip_address", "attempt_time", "failures_since_start"))
    cool_off, limit = settings.AXES_COOLOFF_TIME, settings.AXES_FAILURE_LIMIT

    def failures_at(moment):
        per_address = {}
        for address, attempt_time, failures in rows:
            if attempt_time + cool_off >= moment:
                per_address[address] = per_address.get(address, 0) + failures
        return sum(min(count, limit) for count in per_address.values())

    if failures_at(timezone.now()) < settings.LOGIN_ID_FAILURE_CEILING:
        return None
    return next((end for end in sorted(at + cool_off for _, at, _ in rows)
                 if failures_at(end + timedelta(microseconds=1)) < settings.LOGIN_ID_FAILURE_CEILING), None)


@dataclass(frozen=True)
class Restriction:
    """One restriction of a login ID: from ``address`` (django-axes), or the ceiling (address None)."""

    address: str | None
    until: datetime


def restrictions(user) -> list[Restriction]:
    """What keeps ``user`` from logging in now, for the console: the ceiling first, then each address."""
    found = []
    if (until := ceiling_until(user.login_id)) is not None:
        found.append(Restriction(None, until))
    addresses = _attempts(user.login_id).order_by("ip_address").values_list("ip_address", flat=True).distinct()
    for address in addresses:
        if (until := locked_until(user.login_id, address)) is not None:
            found.append(Restriction(address, until))
    return found


def lockout_lift(*, user, actor, request=None) -> bool:
    """Lift every restriction of ``user``'s login ID (each address's and the ceiling's) with
    django-axes' own reset; a ``lockout_lifted`` event when there was one. True if there was."""
    from axes.utils import reset

    held = bool(restrictions(user))
    if held:  # failures short of a lock stay counted: lifting cannot quietly reset a guesser's count
        reset(username=axes_key(user.login_id))
        events.record(request, events.Kind.LOCKOUT_LIFTED, user=user, actor=actor)
    return held


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


def record_lockout(request, *, login_id: str, password: str, reason: str) -> datetime | None:
    """A refused login: the hashing cost of a wrong password, and a ``lockout`` event its
    company sees, with the time the restriction ends; returns that time (None if unknown)."""

    check_password_evenly(password or "", None)
    user = User.objects.by_login_id(login_id).first() if login_id else None
    until = locked_until(login_id, client_ip(request)) if reason == PER_ADDRESS else ceiling_until(login_id)
    facts = {"until": until.isoformat()} if until else {}
    events.record(request, events.Kind.LOCKOUT, user=user, login_id=login_id, reason=reason, **facts)
    return until
