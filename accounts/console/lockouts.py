"""ログイン制限 in the console: until when an employee's login is restricted after
wrong passwords, and 「ログイン制限を解除」 (a button on the employee's page and a
list action). Own company only: the employee is looked up through the
tenant-scoped admin (another company's id is a 404), the action's queryset is
the scoped changelist's. Lifting uses django-axes' own reset
(``accounts.identity.lockout.lockout_lift``) and is a ``lockout_lifted`` event."""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext as _, gettext_lazy

from accounts.identity import lockout


def restriction_words(restriction) -> str:
    when = date_format(localtime(restriction.until), "Y/m/d H:i")
    if restriction.address is None:
        return _("初めての端末・アドレスからのログインを %(when)s まで制限中（多くのアドレスから失敗が続いたため。"
                 "本人がいつも使う端末とアドレスからはログインできます）") % {"when": when}
    return _("%(address)s からのログインを %(when)s まで制限中（パスワードの誤りが続いたため）") % {
        "address": restriction.address, "when": when}


class LockoutAdminMixin:
    """For UserAdmin: the read-only field ``login_restriction``, the ``<id>/lift-lockout/``
    page and the action ``lift_lockout_action`` (needs ``_changeable``, ``_selected``, ``_page``)."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("<path:object_id>/lift-lockout/", self.admin_site.admin_view(self.lift_lockout_view),
                 name="%s_%s_lift_lockout" % info),
            *super().get_urls(),
        ]

    @admin.display(description=gettext_lazy("ログイン制限"))
    def login_restriction(self, obj):
        found = lockout.restrictions(obj)
        if not found:
            return _("なし")
        return format_html_join("", "<p>{}</p>", ((restriction_words(r),) for r in found))

    @admin.action(description=gettext_lazy("ログイン制限を解除"), permissions=["change"])
    def lift_lockout_action(self, request, queryset):
        return self._lift_lockout(request, self._selected(request, queryset), from_action=True)

    def lift_lockout_view(self, request, object_id):
        return self._lift_lockout(request, [self._changeable(request, object_id)], from_action=False)

    def _lift_lockout(self, request, users, *, from_action):
        if request.method == "POST" and request.POST.get("confirm") == "yes":
            lifted = [user for user in users if lockout.lockout_lift(user=user, actor=request.user, request=request)]
            for user in lifted:
                self.log_change(request, user, _("ログイン制限を解除"))
            if lifted:
                self.message_user(request, _("%(ids)s のログイン制限を解除しました。すぐにログインできます。") % {
                    "ids": _("、").join(user.login_id for user in lifted)}, messages.SUCCESS)
            else:
                self.message_user(request, _("ログイン制限中のユーザーはいませんでした。"), messages.INFO)
            if from_action or len(users) != 1:
                return None  # back to the change list
            return HttpResponseRedirect(reverse("admin:accounts_user_change", args=[users[0].pk]))
        return self._page(request, "admin/accounts/user/lift_lockout.html", users, from_action,
                          title=_("ログイン制限を解除"),
                          restrictions=[(user, [restriction_words(r) for r in lockout.restrictions(user)])
                                        for user in users])
