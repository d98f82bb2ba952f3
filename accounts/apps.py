from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps  # (not its AdminConfig: one default config here)
from django.utils.translation import gettext_lazy as _


class ConsoleAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the manager console as its default site (INSTALLED_APPS)."""

    default = False
    default_site = "accounts.console.site.ConsoleSite"


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = _("アカウント")
    # The login gate's guards (accounts.sessions.gate), required in LOGIN_GATE_GUARDS.
    gate_guards = ("accounts.sessions.guards.LIFETIME", "accounts.sessions.guards.OFFICE_IP",
                   "accounts.sessions.guards.ACCESS", "accounts.console.guards.CONSOLE_PASSKEY",
                   "accounts.sessions.guards.USER_SESSIONS")

    def ready(self):
        from two_factor.plugins.registry import registry

        from django.db.models.signals import post_migrate

        from accounts import checks
        from accounts.sessions import gate  # noqa: F401  (registers the gate's check)
        from accounts.identity import signals  # noqa: F401  (registers checks and receivers)
        from accounts.login.methods import TOTPMethod

        # The only second factor is the TOTP app (FAQ ②): our method replaces
        # django-two-factor-auth's generator with the atomic forms.
        registry.unregister("generator")
        registry.register(TOTPMethod())

        post_migrate.connect(signals.sync_company_admin_group,
                             dispatch_uid="accounts.sync_company_admin_group")

        # Changelist lookups: the admins other apps registered (django-axes',
        # auth's GroupAdmin) get the same restriction as ours (admin_lookups).
        from kit.admin_lookups import restrict_registered_admins

        restrict_registered_admins()
