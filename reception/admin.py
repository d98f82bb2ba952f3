from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy, ngettext

from kit.core import OwnRequest, ProductAdmin, created_by_requester, decider_note, flagged_message
from kit.decisions import Choice, DecideOnPageMixin, DecisionRefused, Waiting

from .models import AddressChange, BankAccountChange, DependantChange, Submission
from .services import submission_process


class _DetailInline(admin.StackedInline):
    """The form's content, read-only for the company administrator."""

    can_delete = False
    extra = 0
    max_num = 1

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AddressChangeInline(_DetailInline):
    model = AddressChange
    fields = ["change", "postal_code", "prefecture", "city", "address", "building", "address_kana", "moved_on"]
    readonly_fields = ["change"]

    @admin.display(description=gettext_lazy("変更前 → 変更後"))
    def change(self, obj):
        return format_html('<span class="address-before">{}</span><br>→ <strong class="address-after">{}</strong>',
                           obj.previous_address or gettext("（届出に記載なし）"), obj.summary())


class DependantChangeInline(_DetailInline):
    model = DependantChange


class BankAccountChangeInline(_DetailInline):
    model = BankAccountChange


INLINES = {
    Submission.Kind.ADDRESS: AddressChangeInline,
    Submission.Kind.DEPENDANT: DependantChangeInline,
    Submission.Kind.BANK: BankAccountChangeInline,
}


def _process_action(status, description):
    def action(modeladmin, request, queryset):
        done = skipped = own = flagged = 0
        for submission in queryset:
            try:
                processed = submission_process(submission=submission, status=status, actor=request.user,
                                               request=request)
            except OwnRequest:
                own += 1  # nobody processes their own form, as with 届出申請
                continue
            if processed:
                done += 1
                flagged += created_by_requester(requester_id=submission.user_id, decider=request.user)
            else:
                skipped += 1
        if done:
            modeladmin.message_user(request, ngettext("%(count)d 件を「%(status)s」にしました。",
                                                   "%(count)d 件を「%(status)s」にしました。", done) % {
                "count": done, "status": Submission.Status(status).label}, messages.SUCCESS)
        if skipped:
            modeladmin.message_user(request, ngettext(
                "%(count)d 件は現在の状況から「%(status)s」にできないため、変更していません。",
                "%(count)d 件は現在の状況から「%(status)s」にできないため、変更していません。", skipped) % {
                "count": skipped, "status": Submission.Status(status).label}, messages.WARNING)
        if own:
            modeladmin.message_user(request, ngettext(
                "%(count)d 件はご自身の届出のため変更していません。",
                "%(count)d 件はご自身の届出のため変更していません。", own) % {"count": own}, messages.WARNING)
        if flagged:
            modeladmin.message_user(request, flagged_message(flagged), messages.WARNING)

    action.__name__ = f"mark_{status}"
    return admin.action(description=description, permissions=["change"])(action)


Status = Submission.Status
CHOICES = [  # in the order of the buttons
    Choice(Status.ACCEPTED, gettext_lazy("受理する"), gettext_lazy("届出を受理しました。")),
    Choice(Status.COMPLETED, gettext_lazy("完了にする"), gettext_lazy("届出を完了にしました。")),
    Choice(Status.RETURNED, gettext_lazy("差戻す"), gettext_lazy("届出を差戻しました。"), negative=True),
]


@admin.register(Submission)
class SubmissionAdmin(DecideOnPageMixin, ProductAdmin):
    """Company administrators process their employees' forms: 受理 / 差戻し / 完了."""

    list_display = ["submitted_at", "user", "kind", "summary", "status", "processed_at", "duties"]
    list_filter = ["status", "kind"]
    list_select_related = ["user", "processed_by", "address_change", "dependant_change", "bank_change"]
    search_fields = ["user__login_id", "user__name"]
    fields = ["user", "kind", "status", "submitted_at", "processed_at", "processed_by", "duties", "admin_comment"]
    readonly_fields = ["user", "kind", "status", "submitted_at", "processed_at", "processed_by", "duties"]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)  # 職務分離 only where there is something to say
        return fields if obj is not None and self.duties(obj) else [f for f in fields if f != "duties"]
    waiting = (Waiting(gettext_lazy("未処理"), {"status__exact": Status.SUBMITTED}),
               Waiting(gettext_lazy("受理済み・完了待ち"), {"status__exact": Status.ACCEPTED}))
    comment_max_length = Submission._meta.get_field("admin_comment").max_length
    actions = [
        _process_action(Submission.Status.ACCEPTED, gettext_lazy("選択した届出を受理する")),
        _process_action(Submission.Status.RETURNED, gettext_lazy("選択した届出を差戻す")),
        _process_action(Submission.Status.COMPLETED, gettext_lazy("選択した届出を完了にする")),
    ]

    @admin.display(description=gettext_lazy("職務分離"))
    def duties(self, obj):
        return decider_note(requester_id=obj.user_id, decider=obj.processed_by)

    @admin.display(description=gettext_lazy("内容"))
    def summary(self, obj):
        return obj.detail.summary() if obj.detail else ""

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and Submission.TRANSITIONS[Status(obj.status)]:
            return [*self.readonly_fields, "admin_comment"]  # written with 受理 / 差戻し below
        return self.readonly_fields

    # 受理 / 完了 / 差戻し on the detail page (kit.decisions), through submission_process.
    def decision_state(self, obj):
        return obj.status

    def decision_choices(self, request, obj):
        return [choice for choice in CHOICES if obj.may_become(choice.value)]

    def decision_blocked(self, request, obj):
        if obj.user_id == request.user.pk and Submission.TRANSITIONS[Status(obj.status)]:
            return gettext("ご自身の届出は処理できません。ほかの管理者に依頼してください。")
        return ""

    def decide(self, request, obj, choice, comment):
        try:
            done = submission_process(submission=obj, status=choice.value, actor=request.user, comment=comment,
                                      request=request, seen_status=obj.status)
        except OwnRequest:
            raise DecisionRefused(self.decision_blocked(request, obj)) from None
        if not done:
            raise DecisionRefused(self.stale_message(obj))
        if created_by_requester(requester_id=obj.user_id, decider=request.user):
            self.message_user(request, flagged_message(1), messages.WARNING)

    def waiting_queryset(self, request):
        return self.get_queryset(request).filter(status=Status.SUBMITTED).exclude(user=request.user).order_by(
            "submitted_at", "pk")

    def get_inlines(self, request, obj):
        return [INLINES[Submission.Kind(obj.kind)]] if obj is not None else []

    def has_add_permission(self, request):
        return False  # employees send forms from the portal

    def has_delete_permission(self, request, obj=None):
        return request.user.is_operator and super().has_delete_permission(request, obj)
