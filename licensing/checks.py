"""System checks for licence enforcement (ids licensing.E001…)."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from catalog.registry import product_for_model
from .admin_mixins import LicensedAdminMixin

MIDDLEWARE = "licensing.middleware.LicenceMiddleware"
MUST_FOLLOW = "django.contrib.auth.middleware.AuthenticationMiddleware"
MUST_PRECEDE = "accounts.sessions.middleware.AccessPolicyMiddleware"


@register(Tags.security)
def check_middleware(app_configs=None, **kwargs):
    middleware = list(settings.MIDDLEWARE)
    if MIDDLEWARE not in middleware:
        return [Error(
            "The licence middleware is not installed; a product the tenant does not use would be reachable.",
            hint=f"Add '{MIDDLEWARE}' to MIDDLEWARE before '{MUST_PRECEDE}'.",
            id="licensing.E001",
        )]
    position = middleware.index(MIDDLEWARE)
    if MUST_FOLLOW not in middleware or middleware.index(MUST_FOLLOW) > position \
            or (MUST_PRECEDE in middleware and middleware.index(MUST_PRECEDE) < position):
        return [Error(
            f"'{MIDDLEWARE}' must come after '{MUST_FOLLOW}' and before '{MUST_PRECEDE}'.",
            hint="An unused product is a 404 before any step-up to the code.",
            id="licensing.E002",
        )]
    return []


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
