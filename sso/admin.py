"""シングルサインオン in the console (``/admin/sso/ssosettings/``): the company's own
settings, for its 会社管理者 only (operators set up nothing here: the company's
provider is the company's), every change and 「接続テスト」 after the administrator's own
password, each an audit event. The page shows this service's metadata for the company
(entity ID, ACS URL, certificate) to copy into the provider."""

from django.contrib import admin, messages
from django.core.exceptions import BadRequest, PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from accounts.audit import events
from accounts.login.security_forms import OwnPasswordForm
from sso import keys, saml, views
from sso.forms import SsoSettingsForm
from sso.models import SsoSettings


# A changelist's own controls (search, sorting, paging, …): ignored here, as a list would take them.
CHANGELIST_CONTROLS = {"o", "q", "p", "all", "e", "_facets", "_popup", "_to_field"}


def settings_for(tenant) -> SsoSettings:
    found, _created = SsoSettings.objects.get_or_create(tenant=tenant)
    return found


@admin.register(SsoSettings)
class SsoSettingsAdmin(admin.ModelAdmin):
    def _company_admin(self, request) -> bool:
        user = request.user
        return bool(user.is_active and user.is_staff and user.tenant_id and user.has_perm("sso.change_ssosettings"))

    def has_module_permission(self, request):
        return self._company_admin(request)  # operators: the setup is the company's own

    def has_view_permission(self, request, obj=None):
        return self._company_admin(request) and (obj is None or obj.tenant_id == request.user.tenant_id)

    has_change_permission = has_view_permission

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view
        return [path("", view(self.settings_view), name="%s_%s_changelist" % info),
                path("test/", view(self.test_view), name="%s_%s_test" % info)]

    def _allowed(self, request):
        if not self._company_admin(request):
            raise PermissionDenied

    @method_decorator(sensitive_post_parameters("password"))
    def settings_view(self, request):
        self._allowed(request)
        if set(request.GET) - CHANGELIST_CONTROLS:  # a page, not a list: no lookup is accepted
            raise BadRequest
        current = settings_for(request.user.tenant)
        form = SsoSettingsForm(request.user, request.POST or None, request.FILES or None, current=current,
                               initial={"id_attribute": current.id_attribute, "id_is_email": current.id_is_email,
                                        "second_factor": current.second_factor, "enabled": current.enabled,
                                        "a_ids_require_sso": current.a_ids_require_sso,
                                        "idp_metadata_url": current.idp_metadata_url,
                                        "break_glass": list(current.break_glass.values_list("pk", flat=True))})
        if request.method == "POST":
            if form.is_valid():
                self._save(request, current, form.cleaned_data)
                self.message_user(request, _("シングルサインオンの設定を保存しました。"), messages.SUCCESS)
                return HttpResponseRedirect(request.path)
            form.record_denial(request, action="sso_settings")
        return self._page(request, current, form)

    @transaction.atomic
    def _save(self, request, current, data):
        changed = data["metadata_xml"] != current.idp_metadata
        current.idp_metadata = data["metadata_xml"]
        current.idp_entity_id = data["idp_entity_id"]
        current.idp_metadata_url = data.get("idp_metadata_url") or ""
        if changed:
            current.tested_at = None  # a new provider: tested again before it is used
        for name in ("id_attribute", "id_is_email", "second_factor", "a_ids_require_sso", "enabled"):
            setattr(current, name, data[name])
        current.updated_at, current.updated_by = timezone.now(), request.user
        current.save()
        current.break_glass.set(data["break_glass"])
        events.record(request, events.Kind.SSO_SETTINGS_CHANGED, actor=request.user, tenant=current.tenant,
                      enabled=current.enabled, metadata=changed, id_attribute=current.id_attribute[:100],
                      id_is_email=current.id_is_email, a_ids_require_sso=current.a_ids_require_sso,
                      second_factor=current.second_factor, break_glass=len(data["break_glass"]))

    @method_decorator(sensitive_post_parameters("password"))
    def test_view(self, request):
        """「接続テスト」: a login round trip with the saved provider, nothing turned on."""
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:sso_ssosettings_changelist"))
        self._allowed(request)
        current = settings_for(request.user.tenant)
        form = OwnPasswordForm(request.user, request.POST)
        if not current.idp_entity_id:
            self.message_user(request, _("先にIDプロバイダのメタデータを保存してください。"), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:sso_ssosettings_changelist"))
        if not form.is_valid():
            form.record_denial(request, action="sso_settings")
            return self._page(request, current, SsoSettingsForm(request.user, current=current), test_form=form)
        return views.begin(request, current, target="", test=True)

    def _page(self, request, current, form, test_form=None):
        urls = saml.sp_urls(request, current.tenant)
        return TemplateResponse(request, "admin/sso/settings.html", {
            **self.admin_site.each_context(request), "opts": self.opts, "title": _("シングルサインオン"),
            "form": form, "test_form": test_form or OwnPasswordForm(request.user), "current": current,
            "entity_id": urls["entity_id"], "acs_url": urls["acs"],
            "certificate": keys.certificate_body(keys.service_key(current.tenant).certificate),
            "xmlsec_missing": saml.xmlsec_binary() is None,
        })
