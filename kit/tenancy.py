"""Tenant scoping: the one way tenant data is reached.

Every tenant-owned model uses ``TenantQuerySet`` and names the path from
itself to its tenant in ``tenant_path``. Views and the admin reach objects
only through ``for_tenant`` and ``get_object_for_tenant``; another tenant's
object is a 404, never a 403 (which would confirm it exists).
"""

from django.db import models
from django.http import Http404


class TenantQuerySet(models.QuerySet):
    def for_tenant(self, tenant):
        path = self.model.tenant_path
        if tenant is None:
            return self.none()
        if path == "pk":  # the Tenant model itself: a pk lookup takes the id, not the instance
            return self.filter(pk=tenant.pk)
        return self.filter(**{path: tenant})


TenantManager = models.Manager.from_queryset(TenantQuerySet)


def get_object_for_tenant(request, queryset, **lookup):
    """The object matching ``lookup`` inside the requesting user's tenant, or 404.

    ``queryset`` is a model or a queryset of a tenant-owned model. Operators
    (superusers without a tenant) may reach every tenant's objects.
    """
    if isinstance(queryset, type) and issubclass(queryset, models.Model):
        queryset = queryset._default_manager.all()
    user = request.user
    if not (user.is_authenticated and user.is_operator):
        queryset = queryset.for_tenant(getattr(user, "tenant", None))
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404
