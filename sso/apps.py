from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SsoConfig(AppConfig):
    default = True
    name = "sso"
    verbose_name = _("シングルサインオン")

    def ready(self):
        from accounts.identity.signals import company_admin_permissions
        from accounts.login import hooks
        from sso import policy

        # The password login's hook (accounts imports nothing of this app).
        hooks.register(policy.COMPANY_LOGIN)
        company_admin_permissions.connect(company_admin_may_set_up_sso, dispatch_uid="sso.company_admin_permissions")


def company_admin_may_set_up_sso(**kwargs):
    """The 会社管理者 set up their own company's single sign-on (the console's page)."""
    return ["sso.view_ssosettings", "sso.change_ssosettings"]
