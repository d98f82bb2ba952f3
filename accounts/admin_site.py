"""The console admin site: the company's manager console.

Installed as the default admin site through ``ConsoleAdminConfig.default_site``
(``accounts.apps``): django-two-factor-auth's ``AdminSiteOTPRequired`` (only
staff in a session verified with the code; the access middleware asks for
FULL on /admin/ as well), with the product's password change.
"""

from django.utils.translation import gettext_lazy as _
from two_factor.admin import AdminSiteOTPRequired


class ConsoleSite(AdminSiteOTPRequired):
    site_header = _("ネット de 顧問 管理画面")
    site_title = _("ネット de 顧問 管理画面")
    index_title = _("会社の管理")
    site_url = "/"

    def password_change(self, request, extra_context=None):
        # Django's admin form would skip the product's rules: a really new
        # password, the end of the other sessions, the e-mail, the event.
        from .views.account import PasswordChangeView

        return PasswordChangeView.as_view()(request)

    def get_app_list(self, request, app_label=None):
        from .event_text import japanese_app_list

        return japanese_app_list(super().get_app_list(request, app_label))
