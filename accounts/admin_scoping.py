"""Tenant scoping for the admin (the company's manager console).

Every ModelAdmin a company administrator can reach inherits
``TenantScopedAdmin``: the changelist, the object lookup by id (another
tenant's id is a 404), and the choices of foreign keys are limited to the
administrator's tenant. Operators (superusers without a tenant) see all.
"""

from django.contrib import admin
from django.http import Http404

from .admin_lookups import DeclaredLookupsOnlyMixin


def is_operator(request) -> bool:
    user = request.user
    return user.is_superuser and user.tenant_id is None


class TenantScopedAdmin(DeclaredLookupsOnlyMixin, admin.ModelAdmin):
    def has_module_permission(self, request):
        # A product the tenant does not use is not in its admin index either
        # (its admin pages answer 404, see AccessPolicyMiddleware).
        return self._in_use(request) and super().has_module_permission(request)

    # The same for every permission: an unused product's data is not
    # reachable through an admin page the access middleware does not
    # attribute to the product (the autocomplete endpoint answers for any
    # foreign key of any registered model, for example).
    def has_view_permission(self, request, obj=None):
        return self._in_use(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return self._in_use(request) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return self._in_use(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._in_use(request) and super().has_delete_permission(request, obj)

    def _in_use(self, request) -> bool:
        return is_operator(request) or _product_in_use(request, self.model)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_operator(request):
            return queryset
        return queryset.for_tenant(request.user.tenant)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # Not "does not exist, redirect": a plain 404, the same for
            # another tenant's id and an id that never existed.
            raise Http404
        return obj

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        self._scope_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        self._scope_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _scope_choices(self, db_field, request, kwargs):
        if is_operator(request):
            return
        related = db_field.remote_field.model
        if hasattr(related, "tenant_path") and "queryset" not in kwargs:
            kwargs["queryset"] = related._default_manager.for_tenant(request.user.tenant)


def _product_in_use(request, model) -> bool:
    from licensing.services import is_licensed
    from portal.registry import product_for_model

    product = product_for_model(model)
    return product is None or is_licensed(request, product.code)


class ReadOnlyAdminMixin:
    """A record nobody edits in the admin (a log, a punch): view only, for everyone."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
