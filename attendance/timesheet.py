"""The rules of a work day, without the database: which punch may follow
which, the day's status, and the monthly summary of a user's punches."""

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from .models import Punch

Kind = Punch.Kind

# What the last punch of the work day allows next.
ALLOWED_AFTER = {
    None: {Kind.IN},
    Kind.IN: {Kind.BREAK_START, Kind.OUT},
    Kind.BREAK_START: {Kind.BREAK_END},
    Kind.BREAK_END: {Kind.BREAK_START, Kind.OUT},
    Kind.OUT: set(),
}

STATUS = {
    None: _("未出勤"),
    Kind.IN: _("勤務中"),
    Kind.BREAK_START: _("休憩中"),
    Kind.BREAK_END: _("勤務中"),
    Kind.OUT: _("退勤済み"),
}

# Why a punch cannot follow the last one: (last kind, wanted kind) → message.
_REFUSALS = {
    (None, Kind.OUT): _("出勤の打刻がないため、退勤できません。先に「出勤」を押してください。"),
    (None, Kind.BREAK_START): _("出勤の打刻がないため、休憩を開始できません。先に「出勤」を押してください。"),
    (None, Kind.BREAK_END): _("休憩開始の打刻がないため、休憩を終了できません。"),
    (Kind.IN, Kind.IN): _("本日は既に出勤しています。"),
    (Kind.IN, Kind.BREAK_END): _("休憩開始の打刻がないため、休憩を終了できません。"),
    (Kind.BREAK_END, Kind.IN): _("本日は既に出勤しています。"),
    (Kind.BREAK_END, Kind.BREAK_END): _("休憩開始の打刻がないため、休憩を終了できません。"),
    (Kind.BREAK_START, Kind.IN): _("本日は既に出勤しています。"),
    (Kind.BREAK_START, Kind.BREAK_START): _("既に休憩中です。"),
    (Kind.BREAK_START, Kind.OUT): _("休憩中です。先に「休憩終了」を押してから退勤してください。"),
}
_AFTER_OUT = _("本日は既に退勤しています。打刻を直すときは届出申請の「打刻修正」から申請してください。")


def refusal(last_kind, wanted) -> str | None:
    """The Japanese message explaining why ``wanted`` cannot follow, or None."""
    if wanted in ALLOWED_AFTER[last_kind]:
        return None
    if last_kind == Kind.OUT:
        return str(_AFTER_OUT)
    return str(_REFUSALS[(last_kind, wanted)])


@dataclass
class Day:
    date: date
    punches: list = field(default_factory=list)
    requests: list = field(default_factory=list)

    @property
    def weekday(self) -> int:
        return self.date.weekday()

    def first(self, kind):
        return next((p for p in self.punches if p.kind == kind), None)

    @property
    def clock_in(self):
        return self.first(Kind.IN)

    @property
    def clock_out(self):
        return self.first(Kind.OUT)

    @property
    def break_minutes(self) -> int:
        total, started = timedelta(), None
        for punch in self.punches:
            if punch.kind == Kind.BREAK_START:
                started = punch.punched_at
            elif punch.kind == Kind.BREAK_END and started is not None:
                total += punch.punched_at - started
                started = None
        return int(total.total_seconds() // 60)

    @property
    def work_minutes(self) -> int | None:
        if not (self.clock_in and self.clock_out):
            return None
        span = self.clock_out.punched_at - self.clock_in.punched_at
        return max(0, int(span.total_seconds() // 60) - self.break_minutes)

    @property
    def work_label(self) -> str:
        return hours_label(self.work_minutes)

    @property
    def break_label(self) -> str:
        return hours_label(self.break_minutes) if self.break_minutes else ""

    @property
    def corrected(self) -> bool:
        return any(p.source == Punch.Source.CORRECTION for p in self.punches)


def month_days(year: int, month: int, punches, requests=()) -> list[Day]:
    """Every day of the month with its punches (oldest first) and the requests covering it."""
    days = {}
    for number in range(1, calendar.monthrange(year, month)[1] + 1):
        days[date(year, month, number)] = Day(date(year, month, number))
    for punch in sorted(punches, key=lambda p: (p.punched_at, p.pk)):
        if punch.work_date in days:
            days[punch.work_date].punches.append(punch)
    for item in requests:
        current = max(item.start_date, date(year, month, 1))
        while current <= item.last_date and current in days:
            days[current].requests.append(item)
            current += timedelta(days=1)
    return list(days.values())


def hours_label(minutes: int | None) -> str:
    if minutes is None:
        return ""
    return f"{minutes // 60}:{minutes % 60:02d}"
