from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from .registry import products


class CatalogConfig(AppConfig):
    """The product catalogue: finds the product apps among the installed apps."""

    name = "catalog"
    verbose_name = _("製品")

    def ready(self):
        from accounts.identity.signals import company_admin_permissions

        from . import checks  # noqa: F401  (registers the product checks)

        company_admin_permissions.connect(declared_admin_permissions,
                                          dispatch_uid="catalog.company_admin_permissions")


def declared_admin_permissions(**kwargs):
    """What the product apps grant their company administrators (Product.admin_permissions)."""
    return [perm for product in products() for perm in product.admin_permissions]
