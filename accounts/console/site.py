"""The console admin site: the company's manager console.

Installed as the default admin site through ``ConsoleAdminConfig.default_site``
(``accounts.apps``): django-two-factor-auth's ``AdminSiteOTPRequired`` (only
staff in a session verified with the code; the access middleware asks for
FULL on /admin/ as well), with the product's password change.
"""

from functools import update_wrapper

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy as _
from two_factor.admin import AdminSiteOTPRequired

from accounts.errors import Refused
from accounts.views.account import PasswordChangeView
from accounts.activity.event_text import japanese_app_list
from accounts.console.titles import delete_selected, japanese_title


def refuse_non_staff(request) -> None:
    """A logged-in employee who opens the admin gets the 403 page, not a login form."""
    if request.user.is_authenticated and not request.user.is_staff:
        raise Refused(gettext("管理画面は会社の管理者のみ利用できます。"))


class ConsoleSite(AdminSiteOTPRequired):
    site_header = _("ネット de 顧問 管理画面")
    site_title = _("ネット de 顧問 管理画面")
    index_title = _("会社の管理")
    site_url = "/"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._actions["delete_selected"] = self._global_actions["delete_selected"] = delete_selected

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def view_for_staff(request, *args, **kwargs):
            refuse_non_staff(request)
            return japanese_title(inner(request, *args, **kwargs))

        return update_wrapper(view_for_staff, inner)

    def login(self, request, extra_context=None):
        """Where the admin sends whoever may not use it.

        The library sends everyone to the site's login page, with ``next=/``
        when none is given; a logged-in employee would see a login form while
        the header shows them logged in. A logged-in user who is not staff
        gets the 403 page; anyone else logs in and comes back to the admin.
        (Whoever reaches this URL passed the access middleware, which asks for
        the code on /admin/ first.)
        """
        refuse_non_staff(request)
        index = reverse("admin:index", current_app=self.name)
        redirect_to = request.POST.get(REDIRECT_FIELD_NAME, request.GET.get(REDIRECT_FIELD_NAME, ""))
        if not redirect_to.startswith(index):
            redirect_to = index
        if request.user.is_authenticated and self.has_permission(request):
            return redirect(redirect_to)
        return redirect_to_login(redirect_to)

    def password_change(self, request, extra_context=None):
        # Django's admin form would skip the product's rules: a really new
        # password, the end of the other sessions, the e-mail, the event.

        return PasswordChangeView.as_view()(request)

    def get_app_list(self, request, app_label=None):
        return japanese_app_list(super().get_app_list(request, app_label))
