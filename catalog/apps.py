from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    """The product catalogue: finds the product apps among the installed apps."""

    name = "catalog"
    verbose_name = _("製品")

    def ready(self):
        from . import checks  # noqa: F401  (registers the product checks)
