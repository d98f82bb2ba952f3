"""The admin of a product app's models, closed while the tenant does not use the product."""

from kit.admin_scoping import TenantScopedAdmin
from catalog.registry import product_for_model

from .services import is_licensed


class LicensedAdminMixin:
    """A product the tenant does not use is not in its admin index, and none of
    its permissions hold: its admin pages are 404 (the gate's ``licence`` guard), and
    an admin page that the guard does not attribute to the product (the
    autocomplete endpoint answers for any foreign key of any registered model,
    for example) does not reach its data either. Operators see every product.
    """

    def has_module_permission(self, request):
        return self._in_use(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._in_use(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return self._in_use(request) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return self._in_use(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._in_use(request) and super().has_delete_permission(request, obj)

    def _in_use(self, request) -> bool:
        if request.user.is_operator:
            return True
        product = product_for_model(self.model)
        return product is None or is_licensed(request, product.code)


class ProductAdmin(LicensedAdminMixin, TenantScopedAdmin):
    """What a product app's ModelAdmin inherits: tenant-scoped and licensed."""
