"""System checks for licence enforcement (ids licensing.E003…; the guard's place is the gate's check, accounts.E005)."""

from django.core.checks import Error, Tags, register
from catalog.registry import product_for_model
from .admin_mixins import LicensedAdminMixin


@register(Tags.security, Tags.admin)
def check_product_admins(app_configs=None, site=None, **kwargs):
    """Every ModelAdmin of a product app's model honours the tenant's licence."""
    from django.contrib import admin


    return [
        Error(
            f"The admin of {model._meta.label} (product '{product_for_model(model).code}') "
            "does not check the tenant's licence.",
            hint="Inherit licensing.admin_mixins.ProductAdmin (or LicensedAdminMixin).",
            obj=model_admin.__class__,
            id="licensing.E003",
        )
        for model, model_admin in (site or admin.site)._registry.items()
        if product_for_model(model) is not None and not isinstance(model_admin, LicensedAdminMixin)
    ]
