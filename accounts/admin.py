"""The Django admin: the company's manager console (the site itself:
``accounts.console.site.ConsoleSite``). Every ModelAdmin a company
administrator can reach is a ``TenantScopedAdmin``.
"""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.console.contact import ContactAdminMixin
from accounts.console.filters import EventKindFilter
from accounts.console.login_policy import LoginPolicyAdminMixin
from accounts.console.office_ip import OfficeIpAdminMixin
from accounts.console.titles import PermissionLabelsMixin
from kit.admin_scoping import ReadOnlyAdminMixin, TenantScopedAdmin
from accounts.console.users import UserAdmin
from accounts.activity.event_text import event_detail_text, person_text, user_agent_text
from accounts.activity.logins import with_login_facts, without_login_steps
from accounts.models import SecurityEvent, Tenant, User
from accounts.identity.signals import tenant_created


# No admin page ever shows, sets or replaces a TOTP secret: devices are made
# only by the setup wizard and removed only by the 2FA reset (UserAdmin
# shows each user's status). django-otp's device admins would show an add
# form with a key and let an operator plant a known secret.
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)

admin.site.register(User, UserAdmin)


class ConsoleGroupAdmin(PermissionLabelsMixin, GroupAdmin):
    """auth's GroupAdmin with its permissions named in Japanese (accounts.console.titles)."""


admin.site.unregister(Group)
admin.site.register(Group, ConsoleGroupAdmin)


@admin.register(Tenant)
class TenantAdmin(ContactAdminMixin, LoginPolicyAdminMixin, OfficeIpAdminMixin, TenantScopedAdmin):
    list_display = ["code", "name", "created_at", "office_ip"]
    list_select_related = ["access_rule"]
    search_fields = ["code", "name"]
    change_form_template = "admin/accounts/tenant/change_form.html"

    @admin.display(description=_("社外からのアクセス制限"))
    def office_ip(self, obj):
        from django.core.exceptions import ObjectDoesNotExist

        try:
            rule = obj.access_rule
        except ObjectDoesNotExist:
            rule = None
        if rule is None or not rule.enabled:
            return _("制限なし")
        return _("制限あり（%(count)d 件）") % {"count": len(rule.network_lines)}

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:  # a new company starts with every installed product 「使用」
            tenant_created.send(sender=Tenant, tenant=obj, with_products=True)


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdminMixin, TenantScopedAdmin):
    """The security log: read-only, the administrator's own company only."""

    list_display = ["when", "person", "kind_name", "detail_text", "actor_name", "ip_address", "browser"]
    list_filter = [EventKindFilter, "created_at"]
    search_fields = ["login_id", "user__name", "ip_address"]
    date_hierarchy = "created_at"
    list_select_related = ["actor", "user"]
    fields = ["created_at", "kind_name", "tenant", "person", "actor_name", "ip_address", "browser",
              "user_agent", "detail_text"]
    readonly_fields = ["kind_name", "person", "actor_name", "browser", "detail_text"]

    def get_queryset(self, request):
        events = with_login_facts(super().get_queryset(request))
        match = request.resolver_match
        if (match is not None and match.url_name == "accounts_securityevent_changelist"
                and not request.GET.get(EventKindFilter.parameter_name)):
            # The list shows a login as one line (its steps are told in its sentence, and each
            # can still be picked by its kind): the counts agree with the lines shown.
            events = without_login_steps(events)
        return events

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)  # a company administrator's: scoped
        return [*filters, "tenant"] if request.user.is_operator else filters

    @admin.display(description=_("日時"), ordering="created_at")
    def when(self, obj):
        from django.utils.formats import date_format
        from django.utils.timezone import localtime

        return date_format(localtime(obj.created_at), "Y/m/d H:i:s")

    @admin.display(description=_("種類"), ordering="kind")
    def kind_name(self, obj):
        return obj.get_kind_display()

    @admin.display(description=_("対象者"), ordering="login_id")
    def person(self, obj):
        return person_text(obj.user, obj.login_id)

    @admin.display(description=_("操作者"))
    def actor_name(self, obj):
        if obj.actor_id is not None and obj.actor_id == obj.user_id:
            return _("本人")
        return person_text(obj.actor, obj.data.get("actor_login_id", "")) if obj.actor_id else (
            obj.data.get("actor_login_id") or "-")

    @admin.display(description=_("ブラウザ・OS・端末"))
    def browser(self, obj):
        return user_agent_text(obj.user_agent)

    @admin.display(description=_("詳細"))
    def detail_text(self, obj):
        return event_detail_text(obj)

