"""Punches (打刻) and requests (届出申請) of ネット de 就業.

Both belong to a user and reach their tenant through ``user__tenant``.
Idempotency of punches is enforced by the database: a punch carries the
one-time token of the form that sent it, unique per user, and a work day
has at most one 出勤 and one 退勤 (partial unique constraint). Each punch
of a work day has its place in the day (``seq``, unique per user and day):
two punches sent at the same moment cannot both take the place after the
same last punch, so the database, not a lock, keeps the day in order
(``attendance.services.punch_record``).
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kit.tenancy import TenantManager, TenantQuerySet

TOKYO = ZoneInfo("Asia/Tokyo")
# Work days change at 05:00 Tokyo time (日替わり時刻), so a shift that runs
# past midnight stays on the day it started.
DAY_CHANGE = timedelta(hours=5)


def work_date_of(moment: datetime):
    """The work day (Tokyo) a moment belongs to."""
    return (timezone.localtime(moment, TOKYO) - DAY_CHANGE).date()


class Punch(models.Model):
    class Kind(models.TextChoices):
        IN = "in", _("出勤")
        BREAK_START = "break_start", _("休憩開始")
        BREAK_END = "break_end", _("休憩終了")
        OUT = "out", _("退勤")

    class Source(models.TextChoices):
        BUTTON = "button", _("打刻")
        CORRECTION = "correction", _("打刻修正")

    # No single-column index: every index below starts with user.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("従業員"), db_index=False,
                             on_delete=models.CASCADE, related_name="punches")
    kind = models.CharField(_("種別"), max_length=12, choices=Kind.choices)
    punched_at = models.DateTimeField(_("打刻日時"))
    work_date = models.DateField(_("勤務日"))
    source = models.CharField(_("登録方法"), max_length=12, choices=Source.choices,
                              default=Source.BUTTON)
    # The one-time token of the form that sent the punch: a double click or
    # a resent form carries the same token and cannot insert a second row.
    token = models.CharField(max_length=40, editable=False)
    created_at = models.DateTimeField(_("登録日時"), default=timezone.now, editable=False)
    # Place in the work day: 1 for the first punch, then the day's highest + 1.
    # Set by every punch of the button (punch_record) and by approved
    # corrections; rows written otherwise (demo data, imports) may leave it
    # empty, and empty places never collide.
    seq = models.PositiveSmallIntegerField(null=True, editable=False)

    tenant_path = "user__tenant"
    objects = TenantManager()

    class Meta:
        verbose_name = _("打刻")
        verbose_name_plural = _("打刻")
        ordering = ["-punched_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "punched_at"], name="attendance_punch_user_at"),
        ]
        constraints = [
            # Also the index of a user's work day (it starts with user, work_date).
            models.UniqueConstraint(fields=["user", "work_date", "seq"], name="attendance_punch_day_place"),
            models.UniqueConstraint(fields=["user", "token"], name="attendance_punch_once_per_token"),
            models.UniqueConstraint(
                fields=["user", "work_date", "kind"], condition=Q(kind__in=["in", "out"]),
                name="attendance_punch_one_in_out_per_day",
            ),
        ]

    def __str__(self):
        return f"{self.user} {self.get_kind_display()} {timezone.localtime(self.punched_at, TOKYO):%Y-%m-%d %H:%M}"

    @property
    def local_time(self):
        return timezone.localtime(self.punched_at, TOKYO)


def punch_time_label(punch_kind: str) -> str:
    """出勤時刻, 退勤時刻, 休憩開始時刻, 休憩終了時刻; 正しい時刻 when the punch is not known yet."""
    if punch_kind in Punch.Kind.values:
        return _("%(punch)s時刻") % {"punch": Punch.Kind(punch_kind).label}
    return _("正しい時刻")


class RequestQuerySet(TenantQuerySet):
    def pending(self):
        return self.filter(status=AttendanceRequest.Status.PENDING)

    def overlapping(self, first, last):
        """Requests whose period touches [first, last]."""
        return self.filter(start_date__lte=last).filter(
            Q(end_date__gte=first) | Q(end_date__isnull=True, start_date__gte=first))


class AttendanceRequest(models.Model):
    """A leave, overtime or punch-correction request (届出申請)."""

    class Kind(models.TextChoices):
        LEAVE = "leave", _("休暇")
        OVERTIME = "overtime", _("残業")
        CORRECTION = "correction", _("打刻修正")

    class LeaveType(models.TextChoices):
        PAID = "paid", _("有給")
        HALF_AM = "half_am", _("半休（午前）")
        HALF_PM = "half_pm", _("半休（午後）")
        SPECIAL = "special", _("特別休暇")

    class Status(models.TextChoices):
        PENDING = "pending", _("申請中")
        APPROVED = "approved", _("承認")
        REJECTED = "rejected", _("却下")
        WITHDRAWN = "withdrawn", _("取下げ")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申請者"),
                             on_delete=models.CASCADE, related_name="attendance_requests")
    kind = models.CharField(_("種類"), max_length=12, choices=Kind.choices)
    # 休暇 only; empty on the other kinds and on leave filed before it existed.
    leave_type = models.CharField(_("休暇の種類"), max_length=12, choices=LeaveType.choices, blank=True)
    start_date = models.DateField(_("日付（開始日）"))
    end_date = models.DateField(_("終了日"), null=True, blank=True,
                                help_text=_("休暇が複数日のときだけ入力します。"))
    start_time = models.TimeField(_("開始時刻"), null=True, blank=True)
    end_time = models.TimeField(_("終了時刻"), null=True, blank=True)
    punch_kind = models.CharField(_("修正する打刻"), max_length=12, choices=Punch.Kind.choices,
                                  blank=True)
    reason = models.TextField(_("理由"), max_length=1000)
    status = models.CharField(_("状態"), max_length=12, choices=Status.choices,
                              default=Status.PENDING, db_index=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("処理者"),
                                   on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(_("処理日時"), null=True, blank=True)
    decision_note = models.CharField(_("管理者コメント"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("申請日時"), default=timezone.now, editable=False)
    # The one-time token of the form that filed the request (kit.form_tokens):
    # a double click or a resent form carries the same token and cannot insert a
    # second row. Nullable on purpose: requests from before tokens existed, from
    # the admin or the demo data have none, and NULLs never collide; the
    # constraint's condition says so explicitly (a partial unique index).
    token = models.CharField(max_length=32, null=True, editable=False)

    tenant_path = "user__tenant"
    objects = RequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("届出申請")
        verbose_name_plural = _("届出申請")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="attendance_request_user")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="attendance_request_period_in_order",
            ),
            models.UniqueConstraint(fields=["user", "token"], condition=Q(token__isnull=False),
                                    name="attendance_request_once_per_token"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.period_label} {self.user}"

    @property
    def last_date(self):
        return self.end_date or self.start_date

    @property
    def period_label(self) -> str:
        label = f"{self.start_date:%Y/%m/%d}"
        if self.end_date and self.end_date != self.start_date:
            label += f"〜{self.end_date:%Y/%m/%d}"
        if self.start_time:
            label += f" {self.start_time:%H:%M}"
            if self.end_time:
                label += f"〜{self.end_time:%H:%M}"
        return label

    def time_label(self) -> str:
        """What the time of a 打刻修正 is: 退勤時刻 for a 退勤 fix, not 開始時刻."""
        return punch_time_label(self.punch_kind)

    @property
    def content_label(self) -> str:
        """The request in words, as the console and the employee read it."""
        Kind = self.Kind
        if self.kind == Kind.LEAVE:
            kind = self.get_leave_type_display() or self.get_kind_display()
            return _("%(kind)s %(period)s") % {"kind": kind, "period": self.period_label}
        if self.kind == Kind.OVERTIME:
            return _("%(period)s の残業") % {"period": self.period_label}
        if self.kind == Kind.CORRECTION and self.start_time:
            return _("%(day)s の%(label)sを %(time)s に修正") % {
                "day": f"{self.start_date:%Y/%m/%d}", "label": self.time_label(), "time": f"{self.start_time:%H:%M}"}
        return self.period_label

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    def withdraw(self) -> bool:
        """Withdraw a pending request; a decided one stays as it is."""
        updated = AttendanceRequest.objects.filter(pk=self.pk, status=self.Status.PENDING).update(
            status=self.Status.WITHDRAWN, decided_at=timezone.now())
        if updated:
            self.status = self.Status.WITHDRAWN
        return bool(updated)

    def corrected_moment(self) -> datetime | None:
        """The punch time a correction asks for, in Tokyo time."""
        if self.kind != self.Kind.CORRECTION or not self.start_time:
            return None
        moment = datetime.combine(self.start_date, self.start_time, tzinfo=TOKYO)
        if self.start_time < (datetime.min + DAY_CHANGE).time():
            moment += timedelta(days=1)  # 00:00–04:59 is the night after the work day
        return moment
