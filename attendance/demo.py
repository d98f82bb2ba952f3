"""Demo data: a month of ordinary working days and a few requests."""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from .models import TOKYO, AttendanceRequest, Punch, work_date_of

DEMO_DAYS = 31


def seed(*, tenant, users, today: date | None = None) -> None:
    """Punches for every weekday of the last month (up to yesterday) of each
    user, a decided overtime request and one pending leave request."""
    today = today or work_date_of(timezone.now())
    rng = random.Random(f"{tenant.code}-{today.isoformat()}")  # the same demo for the same day
    punches = []
    for user in users:
        Punch.objects.filter(user=user).delete()
        AttendanceRequest.objects.filter(user=user).delete()
        for offset in range(DEMO_DAYS, 0, -1):
            day = today - timedelta(days=offset)
            if day.weekday() < 5:
                punches.extend(_working_day(user, day, rng))
    Punch.objects.bulk_create(punches)

    employees = [u for u in users if not u.is_staff and not u.password_is_temporary] or list(users)
    if not employees:
        return
    admin = next((u for u in users if u.is_staff), None)
    last_weekday = next(today - timedelta(days=n) for n in range(1, 8) if (today - timedelta(days=n)).weekday() < 5)
    AttendanceRequest.objects.create(
        user=employees[0], kind=AttendanceRequest.Kind.OVERTIME, start_date=last_weekday,
        start_time=time(18, 0), end_time=time(20, 0), reason="月末の締め処理のため",
        status=AttendanceRequest.Status.APPROVED, decided_by=admin, decided_at=timezone.now(),
        decision_note="承認します。お疲れさまです。",
    )
    leave_day = today + timedelta(days=7 + (7 - today.weekday()) % 7)  # a Monday one to two weeks ahead
    AttendanceRequest.objects.create(
        user=employees[-1], kind=AttendanceRequest.Kind.LEAVE, leave_type=AttendanceRequest.LeaveType.PAID,
        start_date=leave_day,
        end_date=leave_day + timedelta(days=1), reason="私用のため（年次有給休暇）",
    )


def _working_day(user, day, rng):
    def at(hour, minute, spread):
        moment = datetime.combine(day, time(hour, minute), tzinfo=TOKYO)
        return moment + timedelta(minutes=rng.randint(-spread, spread))

    clock_in = at(9, 0, 12)
    break_start = at(12, 0, 5)
    break_end = break_start + timedelta(minutes=rng.choice([45, 60, 60, 60]))
    clock_out = at(18, 15, 45)
    day_punches = [(Punch.Kind.IN, clock_in), (Punch.Kind.BREAK_START, break_start),
                   (Punch.Kind.BREAK_END, break_end), (Punch.Kind.OUT, clock_out)]
    return [
        Punch(user=user, kind=kind, punched_at=moment, work_date=day, token=f"demo-{user.pk}-{day}-{kind}",
              seq=place)
        for place, (kind, moment) in enumerate(day_punches, start=1)
    ]
