"""Tenant scoping for the admin (the company's manager console).

Every ModelAdmin a company administrator can reach inherits
``TenantScopedAdmin``: the changelist, the object lookup by id (another
tenant's id is a 404), the choices of foreign keys and the choices of list
filters over them are limited to the administrator's tenant. Operators
(superusers without a tenant) see all.
The admin of a product app's models also honours the tenant's licence:
``licensing.admin_mixins.ProductAdmin``.
"""

from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.http import Http404

from kit.admin_lookups import DeclaredLookupsOnlyMixin


class TenantScopedAdmin(DeclaredLookupsOnlyMixin, admin.ModelAdmin):
    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_operator:
            return queryset
        return queryset.for_tenant(request.user.tenant)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # Not "does not exist, redirect": a plain 404, the same for
            # another tenant's id and an id that never existed.
            raise Http404
        return obj

    def get_list_filter(self, request):
        """A filter over a tenant-owned relation (``list_filter = ["user"]``)
        offers the related rows of the changelist only: Django's plain one
        lists every row of the related table, every company's users."""
        filters = super().get_list_filter(request)
        if request.user.is_operator:
            return filters
        return [(item, admin.RelatedOnlyFieldListFilter) if self._is_tenant_relation(item) else item
                for item in filters]

    def _is_tenant_relation(self, item) -> bool:
        if not isinstance(item, str):
            return False  # a filter class or (field, class): it chose its own choices
        field = get_fields_from_path(self.model, item)[-1]
        return field.is_relation and hasattr(field.related_model, "tenant_path")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        self._scope_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        self._scope_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _scope_choices(self, db_field, request, kwargs):
        if request.user.is_operator:
            return
        related = db_field.remote_field.model
        if hasattr(related, "tenant_path") and "queryset" not in kwargs:
            kwargs["queryset"] = related._default_manager.for_tenant(request.user.tenant)


class ReadOnlyAdminMixin:
    """A record nobody edits in the admin (a log, a punch): view only, for everyone."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
