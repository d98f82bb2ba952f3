"""Deciding where one reads: 承認/却下 (受理/差戻し…) on a console detail page.

A product's ModelAdmin inherits ``DecideOnPageMixin`` and says which
decisions an item allows now (``decision_choices``), what its state is
(``decision_state``: a decision sent from a page showing another state is
stale and refused) and how to decide (``decide``, through the product's own
service, raising ``DecisionRefused`` with the Japanese reason). The page
shows the buttons with a comment field under the item; after a decision it
comes back with the message and the links to the list and to the next item
that waits. A refused decision shows the page again with the comment as
typed. ``waiting`` declares what the console's front page counts as 対応待ち
(accounts/templatetags/waiting.py), each with the changelist filter it links to.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

DECISION, SEEN, COMMENT = "_decision", "_decision_seen", "_decision_comment"


class DecisionRefused(Exception):
    """The decision was not made; ``str()`` is the Japanese reason for the page."""


@dataclass(frozen=True)
class Choice:
    value: str  # the new status
    button: str  # 承認する
    done: str  # 承認しました。
    negative: bool = False  # 却下, 差戻し: styled apart


@dataclass(frozen=True)
class Waiting:
    label: str  # 申請中
    lookups: dict = field(default_factory=dict)  # the changelist filter (declared list_filter lookups)


class DecideOnPageMixin:
    change_form_template = "admin/decide_change_form.html"
    waiting: tuple = ()
    comment_max_length = 200

    # What the product admin fills in.
    def decision_choices(self, request, obj) -> list[Choice]:
        raise NotImplementedError

    def decision_state(self, obj) -> str:
        raise NotImplementedError

    def decision_blocked(self, request, obj) -> str:
        """Why this administrator cannot decide the item (their own), or ""."""
        return ""

    def decide(self, request, obj, choice: Choice, comment: str) -> None:
        raise NotImplementedError

    def waiting_queryset(self, request):
        """The items still waiting, oldest first (the "next" link)."""
        raise NotImplementedError

    # The page.
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id and DECISION in request.POST:
            return self._decision_post(request, object_id, extra_context)
        if object_id:
            obj = self.get_object(request, unquote(object_id))
            extra_context = {**(extra_context or {}), **self._decision_context(request, obj)}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def _decision_context(self, request, obj, comment: str = "") -> dict:
        can_change = self.has_change_permission(request, obj)
        blocked = self.decision_blocked(request, obj) if can_change else ""
        choices = self.decision_choices(request, obj) if can_change and not blocked else []
        following = self.waiting_queryset(request).exclude(pk=obj.pk)
        changelist = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        first_waiting = self.waiting[0] if self.waiting else None
        if first_waiting is not None:
            changelist += "?" + urlencode(first_waiting.lookups)
        next_item = following.first()
        still_open = bool(choices or blocked)
        return {
            "read_here": True,  # titled 「…の詳細」, not 「…の変更」 (accounts/console/titles.py)
            # An open item is decided with the buttons below, not saved.
            "show_save": not still_open, "show_save_and_continue": not still_open,
            "show_save_and_add_another": False,
            "decision_choices": choices, "decision_blocked": blocked, "decision_seen": self.decision_state(obj),
            "decision_comment": comment, "decision_comment_max": self.comment_max_length,
            "decision_waiting_url": changelist,
            "decision_waiting_label": first_waiting.label if first_waiting else "",
            "decision_next_url": reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                                         args=[next_item.pk]) if next_item else "",
        }

    def _decision_post(self, request, object_id, extra_context):
        obj = self.get_object(request, unquote(object_id))  # another company's item: 404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        comment = request.POST.get(COMMENT, "").strip()
        chosen = {c.value: c for c in self.decision_choices(request, obj)}.get(request.POST.get(DECISION))
        try:
            if request.POST.get(SEEN) != self.decision_state(obj) or chosen is None:
                raise DecisionRefused(self.stale_message(obj))
            if len(comment) > self.comment_max_length:
                raise DecisionRefused(_("コメントは%(count)d文字以内で入力してください。")
                                      % {"count": self.comment_max_length})
            self.decide(request, obj, chosen, comment)
        except DecisionRefused as refused:
            messages.error(request, str(refused))
            request.method = "GET"  # the page as it is now, with the comment as typed
            obj = self.get_object(request, unquote(object_id))
            context = {**(extra_context or {}), **self._decision_context(request, obj, comment)}
            response = super().changeform_view(request, object_id, "", context)
            response.status_code = 409
            return response
        messages.success(request, chosen.done)
        return redirect(request.path)

    def stale_message(self, obj) -> str:
        return _("この画面を開いた後に、ほかの管理者が処理したか申請者が取り下げたため、処理していません。"
                 "現在の状況を確認してください。")
