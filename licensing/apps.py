from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LicensingConfig(AppConfig):
    name = "licensing"
    verbose_name = _("ライセンス管理")
    gate_guards = ("licensing.guards.LICENCE",)  # an unused product is a 404 (accounts.sessions.gate)

    def ready(self):
        from accounts.identity.signals import company_admin_permissions, tenant_created

        from . import checks, signals  # noqa: F401  (registers the licence checks and the cache's forgetting)
        from .services import licences_for_new_tenant

        tenant_created.connect(licences_for_new_tenant, dispatch_uid="licensing.licences_for_new_tenant")
        company_admin_permissions.connect(company_admin_may_view_licences,
                                          dispatch_uid="licensing.company_admin_permissions")


def company_admin_may_view_licences(**kwargs):
    return ["licensing.view_licence"]
