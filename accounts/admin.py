"""The Django admin: the company's manager console.

Reachable only by staff in a session verified with the code: the admin
site is django-two-factor-auth's ``AdminSiteOTPRequired`` (and the access
middleware asks for FULL on /admin/ as well). Every ModelAdmin a company
administrator can reach is a ``TenantScopedAdmin``.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from two_factor.admin import AdminSiteOTPRequired

from .admin_scoping import ReadOnlyAdminMixin, TenantScopedAdmin, is_operator
from .admin_users import UserAdmin
from .event_text import event_detail_text, user_agent_text
from .models import SecurityEvent, Tenant, User


class ConsoleSite(AdminSiteOTPRequired):
    """django-two-factor-auth's OTP-required admin site, with the product's password change."""

    def password_change(self, request, extra_context=None):
        # Django's admin form would skip the product's rules: a really new
        # password, the end of the other sessions, the e-mail, the event.
        from .views.account import PasswordChangeView

        return PasswordChangeView.as_view()(request)

    def get_app_list(self, request, app_label=None):
        from .event_text import japanese_app_list

        return japanese_app_list(super().get_app_list(request, app_label))


admin.site.__class__ = ConsoleSite
admin.site.site_header = _("ネット de 顧問 管理画面")
admin.site.site_title = _("ネット de 顧問 管理画面")
admin.site.index_title = _("会社の管理")
admin.site.site_url = "/"

# No admin page ever shows, sets or replaces a TOTP secret: devices are made
# only by the setup wizard and removed only by the 2FA reset (UserAdmin
# shows each user's status). django-otp's device admins would show an add
# form with a key and let an operator plant a known secret.
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)

admin.site.register(User, UserAdmin)


@admin.register(Tenant)
class TenantAdmin(TenantScopedAdmin):
    list_display = ["code", "name", "created_at"]
    search_fields = ["code", "name"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:  # a new company starts with every installed product 「使用」
            from licensing.services import licences_grant_all

            licences_grant_all(tenant=obj)


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdminMixin, TenantScopedAdmin):
    """The security log: read-only, the administrator's own company only."""

    list_display = ["when", "kind", "login_id", "actor", "ip_address", "browser", "detail_text"]
    list_filter = ["kind", "created_at"]
    search_fields = ["login_id", "ip_address"]
    date_hierarchy = "created_at"
    list_select_related = ["actor"]
    fields = ["created_at", "kind", "tenant", "login_id", "user", "actor", "ip_address", "browser", "user_agent",
              "detail_text"]
    readonly_fields = ["browser", "detail_text"]

    def get_list_filter(self, request):
        return [*self.list_filter, "tenant"] if is_operator(request) else self.list_filter

    @admin.display(description=_("日時"), ordering="created_at")
    def when(self, obj):
        from django.utils.formats import date_format
        from django.utils.timezone import localtime

        return date_format(localtime(obj.created_at), "Y/m/d H:i:s")

    @admin.display(description=_("ブラウザ・OS・端末"))
    def browser(self, obj):
        return user_agent_text(obj.user_agent)

    @admin.display(description=_("詳細"))
    def detail_text(self, obj):
        return event_detail_text(obj)

