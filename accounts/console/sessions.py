"""ログイン中の端末 in the console: an employee's open sessions, each with
ログアウト, and 「すべての端末からログアウト」 (own company only: the user is
looked up through the tenant-scoped admin, another company's id is a 404)."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from accounts.sessions import user_sessions
from accounts.models import UserSession
from accounts.views.sessions import post_id, session_rows


class UserSessionsAdminMixin:
    """For UserAdmin: the ``<id>/sessions/`` page (needs ``_changeable``)."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("<path:object_id>/sessions/", self.admin_site.admin_view(self.sessions_view),
                 name="%s_%s_sessions" % info),
            *super().get_urls(),
        ]

    def sessions_view(self, request, object_id):
        user = self._changeable(request, object_id)
        here = reverse("admin:accounts_user_sessions", args=[user.pk])
        if request.method == "POST":
            if request.POST.get("session"):
                session = get_object_or_404(UserSession, pk=post_id(request.POST["session"]), user=user)
                user_sessions.session_end(user=user, session=session, actor=request.user, request=request)
                self.message_user(request, _("選んだ端末をログアウトしました。"), messages.SUCCESS)
            elif request.POST.get("all") == "yes":
                count = user_sessions.sessions_end_others(user=user, actor=request.user, request=request)
                self.message_user(request, _("%(count)d 台の端末をログアウトしました。") % {"count": count},
                                  messages.SUCCESS)
            return HttpResponseRedirect(here)
        own_key = user_sessions.current_key(request) if request.user.pk == user.pk else None
        return TemplateResponse(request, "admin/accounts/user/sessions.html", {
            **self.admin_site.each_context(request),
            "opts": self.opts, "original": user, "title": _("ログイン中の端末"),
            "rows": session_rows(user_sessions.sessions_of(user), own_key),
            "change_url": reverse("admin:accounts_user_change", args=[user.pk]),
        })
