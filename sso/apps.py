from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SsoConfig(AppConfig):
    default = True
    name = "sso"
    verbose_name = _("シングルサインオン")

    def ready(self):
        from accounts.identity.signals import company_admin_permissions
        from accounts.login import hooks
        from saml2 import sigver

        from sso import keys, policy

        # The password login's hook (accounts imports nothing of this app).
        hooks.register(policy.COMPANY_LOGIN)
        company_admin_permissions.connect(company_admin_may_set_up_sso, dispatch_uid="sso.company_admin_permissions")
        # pysaml2 loads (and checks) the service key again for every request (sso/keys.py).
        sigver.import_rsa_key_from_file = keys.read_private_key_file


def company_admin_may_set_up_sso(**kwargs):
    """The 会社管理者 set up their own company's single sign-on (the console's page)."""
    return ["sso.view_ssosettings", "sso.change_ssosettings"]
