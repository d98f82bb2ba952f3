from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LicensingConfig(AppConfig):
    name = "licensing"
    verbose_name = _("ライセンス管理")

    def ready(self):
        from . import checks  # noqa: F401  (registers the licence checks)
