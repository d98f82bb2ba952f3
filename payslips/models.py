"""Payslips (給与明細): one per employee and pay month, with its items as rows."""

import datetime
import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, IntegerField, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy as _

from kit.tenancy import TenantManager, TenantQuerySet


def month_label(month: datetime.date) -> str:
    return gettext("%(year)d年%(month)d月分") % {"year": month.year, "month": month.month}


class PayslipQuerySet(TenantQuerySet):
    def of_user(self, user):
        return self.filter(user=user)

    def published(self, today: datetime.date | None = None):
        """What an employee may see: slips whose 公開日 has come (today in Japan)."""
        return self.filter(published_on__lte=today or timezone.localdate())

    def with_totals(self):
        """Annotate 総支給額, 控除合計 and 差引支給額 in the same query (no N+1)."""
        def total(kind):
            return Coalesce(Sum(Case(
                When(items__kind=kind, then="items__amount"), default=Value(0),
                output_field=IntegerField(),
            )), Value(0))

        annotated = self.annotate(
            total_earnings=total(PayslipItem.Kind.EARNING),
            total_deductions=total(PayslipItem.Kind.DEDUCTION),
        ).annotate(net_pay=models.F("total_earnings") - models.F("total_deductions"))
        # Django leaves Meta.ordering out of GROUP BY queries; keep the order explicit.
        return annotated if annotated.query.order_by else annotated.order_by(*self.model._meta.ordering)

    def for_list(self):
        """What the list of payslips shows: month, pay day and 差引支給額 (one sum,
        earnings minus deductions), in the model's order."""
        return self.only("pk", "pay_month", "paid_on").annotate(net_pay=_net_pay()).order_by(
            *self.model._meta.ordering)


@functools.cache
def _net_pay():
    """差引支給額 as one expression, built once (annotate resolves a copy of it each time)."""
    return Coalesce(Sum(Case(
        When(items__kind=PayslipItem.Kind.EARNING, then="items__amount"),
        When(items__kind=PayslipItem.Kind.DEDUCTION, then=-models.F("items__amount")),
        default=Value(0), output_field=IntegerField(),
    )), Value(0))


class Payslip(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("従業員"),
                             on_delete=models.CASCADE, related_name="payslips")
    pay_month = models.DateField(_("支給年月"), help_text=_("その月の1日で保存します。"))
    paid_on = models.DateField(_("支給日"), null=True, blank=True)
    note = models.CharField(_("備考"), max_length=200, blank=True)
    published_on = models.DateField(_("公開日"), default=timezone.localdate, db_index=True,
                                    help_text=_("この日から従業員に表示され、この日に公開のお知らせをメールで送ります。"))
    created_at = models.DateTimeField(_("登録日時"), default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登録者"),
                                   on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", editable=False)

    tenant_path = "user__tenant"
    objects = PayslipQuerySet.as_manager()

    class Meta:
        verbose_name = _("給与明細")
        verbose_name_plural = _("給与明細")
        ordering = ["-pay_month", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "pay_month"], name="payslip_unique_user_month"),
        ]

    def __str__(self):
        return f"{self.month_label} {self.user}"

    @property
    def month_label(self) -> str:
        return month_label(self.pay_month)

    def clean(self):
        super().clean()
        if self.pay_month:
            self.pay_month = self.pay_month.replace(day=1)
        if self.pay_month and self.user_id and Payslip.objects.exclude(pk=self.pk).filter(
                user_id=self.user_id, pay_month=self.pay_month).exists():
            raise ValidationError({"pay_month": _("この従業員のこの月の明細は既に登録されています。")})

    def save(self, *args, **kwargs):
        if self.pay_month:
            self.pay_month = self.pay_month.replace(day=1)
        super().save(*args, **kwargs)

    def totals(self) -> dict:
        """Totals from prefetched items (detail page)."""
        items = list(self.items.all())
        earnings = sum(i.amount for i in items if i.kind == PayslipItem.Kind.EARNING)
        deductions = sum(i.amount for i in items if i.kind == PayslipItem.Kind.DEDUCTION)
        return {"earnings": earnings, "deductions": deductions, "net": earnings - deductions}


class PayslipItem(models.Model):
    class Kind(models.TextChoices):
        EARNING = "earning", _("支給")
        DEDUCTION = "deduction", _("控除")

    payslip = models.ForeignKey(Payslip, verbose_name=_("給与明細"), on_delete=models.CASCADE,
                                related_name="items")
    kind = models.CharField(_("区分"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("項目"), max_length=40)
    amount = models.IntegerField(_("金額（円）"))
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)

    tenant_path = "payslip__user__tenant"
    objects = TenantManager()

    class Meta:
        verbose_name = _("明細項目")
        verbose_name_plural = _("明細項目")
        ordering = ["order", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.name} {self.amount}"


class PayslipAttendance(models.Model):
    """A 勤怠 item of the slip (出勤日数, 残業時間 …): shown in its own block, never summed into pay."""

    class Unit(models.TextChoices):
        DAYS = "days", _("日")
        HOURS = "hours", _("時間")
        TIMES = "times", _("回")
        NONE = "", _("（単位なし）")

    payslip = models.ForeignKey(Payslip, verbose_name=_("給与明細"), on_delete=models.CASCADE,
                                related_name="attendance")
    name = models.CharField(_("項目"), max_length=40)
    # As the payroll export wrote it, digits made ASCII: 「20」「12.5」「160:30」 (hours:minutes).
    value = models.CharField(_("値"), max_length=12)
    unit = models.CharField(_("単位"), max_length=10, choices=Unit.choices, blank=True)
    order = models.PositiveSmallIntegerField(_("表示順"), default=0)

    tenant_path = "payslip__user__tenant"
    objects = TenantManager()

    class Meta:
        verbose_name = _("勤怠項目")
        verbose_name_plural = _("勤怠項目")
        ordering = ["order", "pk"]

    def __str__(self):
        return f"{self.name} {self.display}"

    @property
    def display(self) -> str:
        """「20日」「160時間30分」「12.5時間」「3回」."""
        if self.unit == self.Unit.HOURS and ":" in self.value:
            hours, minutes = self.value.split(":", 1)
            return gettext("%(hours)s時間%(minutes)d分") % {"hours": hours, "minutes": int(minutes)}
        form = {self.Unit.DAYS: gettext("%(n)s日"), self.Unit.HOURS: gettext("%(n)s時間"),
                self.Unit.TIMES: gettext("%(n)s回")}.get(self.unit, "%(n)s")  # the number with its unit, as a phrase
        return form % {"n": self.value}


class PayslipNotice(models.Model):
    """The 「明細が公開されました」 mail of one slip: the primary key makes it once, whoever runs."""

    payslip = models.OneToOneField(Payslip, on_delete=models.CASCADE, primary_key=True,
                                   related_name="notice", verbose_name=_("給与明細"))
    sent_at = models.DateTimeField(_("送信日時"), default=timezone.now)
    mailed = models.BooleanField(_("メール送信"), default=False,
                                 help_text=_("メールアドレスのない従業員、または通知の仕組みより前の明細は送信していません。"))

    tenant_path = "payslip__user__tenant"
    objects = TenantManager()

    class Meta:
        verbose_name = _("公開のお知らせ")
        verbose_name_plural = _("公開のお知らせ")
