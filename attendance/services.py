"""Workflows of ネット de 就業: recording a punch, deciding a request."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.mail import send_notice

from .models import AttendanceRequest, Punch, work_date_of
from .timesheet import refusal


class PunchRefused(Exception):
    """The punch cannot follow the day's last punch; ``str()`` is the Japanese message."""


@dataclass(frozen=True)
class PunchResult:
    punch: Punch
    created: bool  # False: the same form was already recorded (double click, resend)


def punch_record(*, user, kind: str, token: str, now: datetime | None = None) -> PunchResult:
    """Record a punch once per form token, in a sequence the work day allows.

    The user's row is locked so that two submissions of one user are
    checked one after the other; the unique constraint on (user, token)
    makes a resent form a no-op even where no lock is taken. Raises
    ``PunchRefused`` for an impossible sequence (退勤 before 出勤, …).
    """
    now = now or timezone.now()
    work_date = work_date_of(now)
    try:
        with transaction.atomic():
            get_user_model().objects.select_for_update(no_key=True).filter(pk=user.pk).values_list("pk").get()
            last = Punch.objects.filter(user=user, work_date=work_date).order_by("-punched_at", "-pk").first()
            if last is not None and last.token == token:
                return PunchResult(last, created=False)
            message = refusal(last.kind if last else None, kind)
            if message:
                earlier = Punch.objects.filter(user=user, token=token).first()
                if earlier is not None:
                    return PunchResult(earlier, created=False)
                raise PunchRefused(message)
            punch = Punch.objects.create(user=user, kind=kind, token=token, punched_at=now, work_date=work_date)
    except IntegrityError:
        # Only reachable where the row lock is not taken: the constraints decide.
        earlier = Punch.objects.filter(user=user, token=token).first()
        if earlier is None:  # the day already has this 出勤/退勤
            raise PunchRefused(refusal(kind, kind))
        return PunchResult(earlier, created=False)
    return PunchResult(punch, created=True)


def request_submit(*, item: AttendanceRequest, token: str) -> tuple[AttendanceRequest, bool]:
    """File an employee's (unsaved, validated) request once per form token.

    Returns ``(request, created)``. The same form sent again (double click,
    resend, two requests at once) inserts nothing: the unique constraint on
    (user, token) refuses the row inside a savepoint, and the request the
    first submission filed is returned with ``created=False``.
    """
    item.token = token
    try:
        with transaction.atomic():
            item.save(force_insert=True)
    except IntegrityError:
        earlier = AttendanceRequest.objects.filter(user=item.user, token=token).first()
        if earlier is None:  # another constraint: not a resent form
            raise
        return earlier, False
    return item, True


def request_decide(*, item: AttendanceRequest, approve: bool, actor, note: str = "") -> bool:
    """Approve or reject a pending request; an approved 打刻修正 sets the punch.

    Returns False when the request was no longer pending (decided or
    withdrawn meanwhile), and changes nothing then.
    """
    Status = AttendanceRequest.Status
    with transaction.atomic():
        locked = AttendanceRequest.objects.select_for_update().filter(pk=item.pk, status=Status.PENDING).first()
        if locked is None:
            return False
        locked.status = Status.APPROVED if approve else Status.REJECTED
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        if note:
            locked.decision_note = note
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        if approve and locked.kind == AttendanceRequest.Kind.CORRECTION:
            _apply_correction(locked)
        transaction.on_commit(lambda: _notify_decision(locked))
    item.status, item.decided_by, item.decided_at = locked.status, actor, locked.decided_at
    item.decision_note = locked.decision_note
    return True


def _notify_decision(item: AttendanceRequest) -> None:
    """Mail the employee the result; the request page shows it in any case."""
    send_notice("attendance/email/decided", item.user, {"item": item})


def _apply_correction(item: AttendanceRequest) -> None:
    moment = item.corrected_moment()
    if moment is None or not item.punch_kind:
        return
    fields = {"punched_at": moment, "source": Punch.Source.CORRECTION}
    if item.punch_kind in (Punch.Kind.IN, Punch.Kind.OUT):
        # At most one 出勤 and one 退勤 a day: the correction replaces it.
        Punch.objects.update_or_create(
            user=item.user, work_date=item.start_date, kind=item.punch_kind,
            defaults=fields, create_defaults={**fields, "token": f"correction-{item.pk}"},
        )
    else:
        Punch.objects.get_or_create(
            user=item.user, token=f"correction-{item.pk}",
            defaults={**fields, "kind": item.punch_kind, "work_date": item.start_date},
        )
