from django.contrib import admin
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy as _

from kit.core import ProductAdmin

from .models import Payslip, PayslipAttendance, PayslipItem
from .notices import payslip_notices_send
from .templatetags.yen import yen


class PayslipItemInline(admin.TabularInline):
    model = PayslipItem
    extra = 3
    fields = ["kind", "name", "amount", "order"]


class PayslipAttendanceInline(admin.TabularInline):
    model = PayslipAttendance
    extra = 0
    fields = ["name", "value", "unit", "order"]


@admin.register(Payslip)
class PayslipAdmin(ProductAdmin):
    """明細登録 one by one; the CSV import is linked from the changelist."""

    list_display = ["pay_month_display", "user", "paid_on", "published_on_display", "net_pay_display", "created_at"]
    list_select_related = ["user", "notice"]
    search_fields = ["user__login_id", "user__name"]
    date_hierarchy = "pay_month"
    fields = ["user", "pay_month", "paid_on", "published_on", "notice_status", "note"]
    readonly_fields = ["notice_status"]
    inlines = [PayslipItemInline, PayslipAttendanceInline]
    change_list_template = "admin/payslips/payslip/change_list.html"

    def get_queryset(self, request):
        return super().get_queryset(request).with_totals()

    @admin.display(description=_("支給年月"), ordering="pay_month")
    def pay_month_display(self, obj):
        return obj.month_label

    @admin.display(description=_("公開日"), ordering="published_on")
    def published_on_display(self, obj):
        """The date, and whether the employee sees the slip yet (公開前) or was told (お知らせ済)."""
        day = date_format(obj.published_on, gettext("Y年n月j日"))
        if obj.published_on > timezone.localdate():
            return gettext("%(date)s（公開前）") % {"date": day}
        notice = getattr(obj, "notice", None)
        if notice is not None and notice.mailed:
            return gettext("%(date)s（メールでお知らせ済み）") % {"date": day}
        return day

    @admin.display(description=_("公開のお知らせ"))
    def notice_status(self, obj):
        notice = getattr(obj, "notice", None) if obj.pk else None
        if notice is None:
            return gettext("未送信（公開日になると従業員にメールで知らせます）")
        if not notice.mailed:
            return gettext("送信なし（メールアドレスがないか、お知らせの仕組みより前の明細です）")
        return gettext("%(when)s に送信しました") % {
            "when": date_format(timezone.localtime(notice.sent_at), gettext("Y年n月j日 H:i"))}

    @admin.display(description=_("差引支給額"), ordering="net_pay")
    def net_pay_display(self, obj):
        return yen(obj.net_pay)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if form.instance.published_on <= timezone.localdate():  # published: told now, as after an import
            payslip_notices_send(payslips=[form.instance])
