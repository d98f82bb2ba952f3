"""The Django admin: the company's manager console (the site itself:
``accounts.admin_site.ConsoleSite``). Every ModelAdmin a company
administrator can reach is a ``TenantScopedAdmin``.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .admin_scoping import ReadOnlyAdminMixin, TenantScopedAdmin
from .admin_users import UserAdmin
from .models import SecurityEvent, Tenant, User
from .signals import tenant_created


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
            tenant_created.send(sender=Tenant, tenant=obj, with_products=True)


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdminMixin, TenantScopedAdmin):
    """The security log: read-only, the administrator's own company only."""

    list_display = ["created_at", "kind", "login_id", "actor", "ip_address", "short_user_agent", "detail"]
    list_filter = ["kind", "created_at"]
    search_fields = ["login_id", "ip_address"]
    date_hierarchy = "created_at"
    list_select_related = ["actor"]
    fields = ["created_at", "kind", "tenant", "login_id", "user", "actor", "ip_address", "user_agent", "detail"]

    def get_list_filter(self, request):
        return [*self.list_filter, "tenant"] if request.user.is_operator else self.list_filter

    @admin.display(description=_("ユーザーエージェント"))
    def short_user_agent(self, obj):
        return obj.user_agent[:60]

