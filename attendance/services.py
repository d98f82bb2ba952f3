"""Workflows of ネット de 就業: recording a punch, deciding a request."""

import functools
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, connections, router, transaction
from django.db.models import Max
from django.utils import timezone

from kit.core import decision_check, decision_record
from kit.form_tokens import create_once
from kit.mail import send_notice

from .models import AttendanceRequest, Punch, work_date_of
from .timesheet import ALLOWED_AFTER, refusal


class PunchRefused(Exception):
    """The punch cannot follow the day's last punch; ``str()`` is the Japanese message."""


@dataclass(frozen=True)
class PunchResult:
    punch: Punch
    created: bool  # False: the same form was already recorded (double click, resend)


def _previous_kinds(kind: str) -> list[str]:
    """The kinds the day's last punch may have for ``kind`` to follow ('' = no punch yet)."""
    return [last or "" for last, allowed in ALLOWED_AFTER.items() if kind in allowed]


_PREVIOUS_KINDS = {kind: _previous_kinds(kind) for kind in Punch.Kind.values}


@functools.cache
def _conditional_insert_sql(punch: str, previous_count: int) -> str:
    """The statement for a table name (quoted) and a number of allowed previous kinds; built once."""
    return f"""
        INSERT INTO {punch} (user_id, kind, punched_at, work_date, source, token, created_at, seq)
        SELECT %s, %s, %s, %s, %s, %s, %s,
            COALESCE((SELECT MAX(d.seq) FROM {punch} d WHERE d.user_id = %s AND d.work_date = %s), 0) + 1
        FROM (SELECT 1 AS one) AS here
        LEFT JOIN (SELECT l.kind, l.punched_at FROM {punch} l WHERE l.user_id = %s AND l.work_date = %s
                   ORDER BY l.punched_at DESC, l.id DESC LIMIT 1) AS last ON 1 = 1
        WHERE COALESCE(last.kind, '') IN ({", ".join(["%s"] * previous_count)})
            AND (last.punched_at IS NULL OR last.punched_at <= %s)
        ON CONFLICT DO NOTHING
        RETURNING id, seq"""


# Rounds of "another punch of this user's day took the place first": each
# round sees at least one punch more, and a person has only so many tabs.
_PLACE_ATTEMPTS = 10


def punch_record(*, user, kind: str, token: str, now: datetime | None = None) -> PunchResult:
    """Record a punch once per form token, in a sequence the work day allows.

    One statement in autocommit decides and stores: it inserts the punch
    only when the day's last punch allows it (``timesheet.ALLOWED_AFTER``)
    and is not later than it, and gives it the place after the day's
    highest one. The database refuses, without an error (``ON CONFLICT DO
    NOTHING``), a second row for the same form token, a second 出勤/退勤 of
    the day, and a second punch taking the same place — which is how two
    punches sent at the same moment cannot both follow the same last punch.
    Only when nothing was inserted is the day read, to say why: the same
    form again (``created=False``), a sequence the day does not allow
    (``PunchRefused``), or another punch that came first (then the insert is
    tried again after it, at its time if that is later). A punch is returned
    only once its row is committed.
    """
    now = now or timezone.now()
    work_date = work_date_of(now)
    alias = router.db_for_write(Punch)
    connection = connections[alias]
    previous = _PREVIOUS_KINDS[kind]
    sql = _conditional_insert_sql(connection.ops.quote_name(Punch._meta.db_table), len(previous))
    day = connection.ops.adapt_datefield_value(work_date)
    for _attempt in range(_PLACE_ATTEMPTS):
        at = connection.ops.adapt_datetimefield_value(now)
        with connection.cursor() as cursor:
            cursor.execute(sql, [user.pk, kind, at, day, Punch.Source.BUTTON, token, at,
                                 user.pk, day, user.pk, day, *previous, at])
            rows = cursor.fetchall()
        if rows:
            (pk, seq), = rows
            punch = Punch(pk=pk, user=user, kind=kind, punched_at=now, work_date=work_date,
                          source=Punch.Source.BUTTON, token=token, created_at=now, seq=seq)
            return PunchResult(punch, created=True)
        # Nothing inserted: read the day to say why (the rare path).
        mine = Punch.objects.using(alias).filter(user=user)
        earlier = mine.filter(token=token).first()
        if earlier is not None:  # the same form again (double click, resend)
            return PunchResult(earlier, created=False)
        last = mine.filter(work_date=work_date).order_by("-punched_at", "-pk").only("kind", "punched_at").first()
        message = refusal(last.kind if last else None, kind)
        if message:
            raise PunchRefused(message)
        if kind in (Punch.Kind.IN, Punch.Kind.OUT) and mine.filter(work_date=work_date, kind=kind).exists():
            # The day's 出勤/退勤 exists yet is not its last punch (a correction moved it).
            raise PunchRefused(refusal(kind, kind))
        # Another punch of the day came first: follow it, never before its time.
        if last is not None and last.punched_at > now:
            now = last.punched_at
    raise RuntimeError(f"punch of user {user.pk} found no place in {work_date} after {_PLACE_ATTEMPTS} attempts")


def request_submit(*, item: AttendanceRequest, token: str) -> tuple[AttendanceRequest, bool]:
    """File an employee's (unsaved, validated) request once per form token.

    Returns ``(request, created)``. The same form sent again (double click,
    resend, two requests at once) inserts nothing: the unique constraint on
    (user, token) refuses the row inside a savepoint, and the request the
    first submission filed is returned with ``created=False``.
    """
    item.token = token

    def create():
        item.save(force_insert=True)
        return item

    return create_once(create, earlier=AttendanceRequest.objects.filter(user=item.user, token=token).first)


def request_decide(*, item: AttendanceRequest, approve: bool, actor, note: str = "", request=None) -> bool:
    """Approve or reject a pending request; an approved 打刻修正 sets the punch.

    Returns False when the request was no longer pending (decided or
    withdrawn meanwhile), and changes nothing then. Raises
    ``accounts.audit.duties.OwnRequest`` when ``actor`` filed it. The decision is a
    security event, flagged when the requester registered ``actor``'s account.
    """
    Status = AttendanceRequest.Status
    decision_check(requester_id=item.user_id, decider=actor)
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
        decision_record(requester=item.user, decider=actor, outcome=locked.status, request=request)
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
    day = Punch.objects.filter(user=item.user, work_date=item.start_date)
    for attempt in range(_PLACE_ATTEMPTS):
        # A new row takes the place after the day's highest, like a punch of
        # the button; a button punch taking it at the same moment makes this
        # savepoint fail, and the next round comes after it.
        place = (day.aggregate(highest=Max("seq"))["highest"] or 0) + 1
        try:
            with transaction.atomic():
                if item.punch_kind in (Punch.Kind.IN, Punch.Kind.OUT):
                    # At most one 出勤 and one 退勤 a day: the correction replaces it.
                    Punch.objects.update_or_create(
                        user=item.user, work_date=item.start_date, kind=item.punch_kind, defaults=fields,
                        create_defaults={**fields, "token": f"correction-{item.pk}", "seq": place},
                    )
                else:
                    Punch.objects.get_or_create(
                        user=item.user, token=f"correction-{item.pk}",
                        defaults={**fields, "kind": item.punch_kind, "work_date": item.start_date, "seq": place},
                    )
            return
        except IntegrityError:
            if attempt == _PLACE_ATTEMPTS - 1:
                raise
