"""The company's view of punches (read-only) and its 届出申請 (承認 / 却下)."""

from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kit.admin_scoping import ReadOnlyAdminMixin
from kit.core import OwnRequest, ProductAdmin, created_by_requester, decider_note, flagged_message
from kit.decisions import Choice, DecideOnPageMixin, DecisionRefused, Waiting

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


Status = AttendanceRequest.Status
APPROVE = Choice(Status.APPROVED, _("承認する"), _("申請を承認しました。"))
REJECT = Choice(Status.REJECTED, _("却下する"), _("申請を却下しました。"), negative=True)


@admin.register(AttendanceRequest)
class AttendanceRequestAdmin(DecideOnPageMixin, ProductAdmin):
    list_display = ["created_at", "user", "kind", "period_label", "status", "decider", "decision_note"]
    list_filter = ["status", "kind"]
    list_select_related = ["user", "decided_by"]
    search_fields = ["user__login_id", "user__name", "reason"]
    actions = ["approve", "reject"]
    waiting = (Waiting(_("申請中"), {"status__exact": Status.PENDING}),)
    comment_max_length = AttendanceRequest._meta.get_field("decision_note").max_length
    readonly_fields = ["user", "kind", "content", "reason", "status", "decided_by", "duties", "decided_at",
                       "created_at"]

    def get_fields(self, request, obj=None):
        fields = [*self.readonly_fields, "decision_note"]
        return fields if obj is not None and self.duties(obj) else [f for f in fields if f != "duties"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_pending:
            return [*self.readonly_fields, "decision_note"]  # written with 承認 / 却下 below
        return self.readonly_fields

    @admin.display(description=_("内容"), ordering="start_date")
    def period_label(self, obj):
        return obj.content_label

    @admin.display(description=_("申請の内容"))
    def content(self, obj):
        return obj.content_label

    # 承認 / 却下 on the detail page (kit.decisions), through request_decide.
    def decision_state(self, obj):
        return obj.status

    def decision_choices(self, request, obj):
        return [APPROVE, REJECT] if obj.is_pending else []

    def decision_blocked(self, request, obj):
        if obj.is_pending and obj.user_id == request.user.pk:
            return _("ご自身の申請は承認・却下できません。ほかの管理者に依頼してください。")
        return ""

    def decide(self, request, obj, choice, comment):
        try:
            decided = request_decide(item=obj, approve=choice == APPROVE, actor=request.user, note=comment,
                                     request=request)
        except OwnRequest:
            raise DecisionRefused(self.decision_blocked(request, obj)) from None
        if not decided:
            raise DecisionRefused(self.stale_message(obj))
        if created_by_requester(requester_id=obj.user_id, decider=request.user):
            self.message_user(request, flagged_message(1), messages.WARNING)

    def waiting_queryset(self, request):
        return self.get_queryset(request).pending().exclude(user=request.user).order_by("created_at", "pk")

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

    @admin.action(description=_("選択した申請を承認する"), permissions=["change"])
    def approve(self, request, queryset):
        self._decide(request, queryset, approve=True)

    @admin.action(description=_("選択した申請を却下する"), permissions=["change"])
    def reject(self, request, queryset):
        self._decide(request, queryset, approve=False)

    def _decide(self, request, queryset, *, approve):
        """The list's 承認 / 却下: each request through request_decide, as on its detail page
        (one's own refused, one decided or withdrawn meanwhile left as it is, each decision audited)."""
        done = skipped = own = flagged = 0
        for item in queryset.select_related("user"):
            try:
                decided = request_decide(item=item, approve=approve, actor=request.user, request=request)
            except OwnRequest:
                own += 1  # nobody decides their own request
                continue
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
                "%(count)d件は処理済みまたは取下げ済みのため変更していません。",
                "%(count)d件は処理済みまたは取下げ済みのため変更していません。",
                skipped) % {"count": skipped}, messages.WARNING)
        if own:
            self.message_user(request, ngettext(
                "%(count)d件はご自身の申請のため変更していません。ほかの管理者に依頼してください。",
                "%(count)d件はご自身の申請のため変更していません。ほかの管理者に依頼してください。",
                own) % {"count": own}, messages.WARNING)
        if flagged:
            self.message_user(request, flagged_message(flagged), messages.WARNING)
