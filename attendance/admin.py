"""The company's view of punches (read-only) and its 届出申請 (承認 / 却下)."""

from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kit.admin_scoping import ReadOnlyAdminMixin
from kit.core import OwnRequest, ProductAdmin, created_by_requester, decider_note, flagged_message

from .models import AttendanceRequest, Punch
from .services import request_decide


@admin.register(Punch)
class PunchAdmin(ReadOnlyAdminMixin, ProductAdmin):
    """Punches are changed through 打刻修正 requests, not by editing rows."""

    list_display = ["work_date", "user", "kind", "local_time_label", "source"]
    list_filter = ["kind", "source"]
    list_select_related = ["user"]
    search_fields = ["user__login_id", "user__name"]
    date_hierarchy = "work_date"
    readonly_fields = ["user", "kind", "punched_at", "work_date", "source", "created_at"]
    fields = readonly_fields

    @admin.display(description=_("時刻"), ordering="punched_at")
    def local_time_label(self, obj):
        return f"{obj.local_time:%H:%M}"


@admin.register(AttendanceRequest)
class AttendanceRequestAdmin(ProductAdmin):
    list_display = ["created_at", "user", "kind", "period_label", "status", "decider", "decision_note"]
    list_filter = ["status", "kind"]
    list_select_related = ["user", "decided_by"]
    search_fields = ["user__login_id", "user__name", "reason"]
    actions = ["approve", "reject"]
    readonly_fields = ["user", "kind", "start_date", "end_date", "start_time", "end_time", "punch_kind",
                       "reason", "status", "decided_by", "duties", "decided_at", "created_at"]
    fields = [*readonly_fields, "decision_note"]

    @admin.display(description=_("期間"))
    def period_label(self, obj):
        return obj.period_label

    @admin.display(description=_("処理者"), ordering="decided_by")
    def decider(self, obj):
        if obj.decided_by is None or not created_by_requester(requester_id=obj.user_id, decider=obj.decided_by):
            return obj.decided_by or "-"
        return format_html('{}<br><strong class="duties-note">{}</strong>', obj.decided_by,
                           _("申請者が登録したアカウント"))

    @admin.display(description=_("職務分離"))
    def duties(self, obj):
        return decider_note(requester_id=obj.user_id, decider=obj.decided_by)

    def has_add_permission(self, request):
        return False  # employees file requests themselves

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.action(description=_("選択された申請を承認する"), permissions=["change"])
    def approve(self, request, queryset):
        self._decide(request, queryset, approve=True)

    @admin.action(description=_("選択された申請を却下する"), permissions=["change"])
    def reject(self, request, queryset):
        self._decide(request, queryset, approve=False)

    def _decide(self, request, queryset, *, approve):
        done = skipped = flagged = 0
        for item in queryset.select_related("user"):
            try:
                decided = request_decide(item=item, approve=approve, actor=request.user, request=request)
            except OwnRequest:
                decided = False  # nobody decides their own request
            if decided:
                done += 1
                flagged += created_by_requester(requester_id=item.user_id, decider=request.user)
            else:
                skipped += 1
        verb = _("承認") if approve else _("却下")
        if done:
            self.message_user(request, ngettext("%(count)d件を%(verb)sしました。", "%(count)d件を%(verb)sしました。",
                                                done) % {"count": done, "verb": verb}, messages.SUCCESS)
        if skipped:
            self.message_user(request, ngettext(
                "%(count)d件は処理済み、取下げ済みまたはご自身の申請のため変更していません。",
                "%(count)d件は処理済み、取下げ済みまたはご自身の申請のため変更していません。",
                skipped) % {"count": skipped}, messages.WARNING)
        if flagged:
            self.message_user(request, flagged_message(flagged), messages.WARNING)
