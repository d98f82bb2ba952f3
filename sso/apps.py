from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SsoConfig(AppConfig):
    default = True
    name = "sso"
    verbose_name = _("シングルサインオン")

    def ready(self):
        from accounts.login import hooks
        from sso import policy

        # The password login's hook (accounts imports nothing of this app).
        hooks.register(policy.COMPANY_LOGIN)
