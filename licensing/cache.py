"""The key of a tenant's licence set in the shared cache, and its change.

The key carries the tenant's ``cache_version`` (read with the user, no query
of its own); every licence change raises it in the database, in the change's
transaction. A set kept under an older version — Redis restored from a
snapshot, a write that was late, a change made while Redis did not answer —
is never read again, and expires (``LICENCE_CACHE_SECONDS``)."""

from django.db.models import F

from accounts.models import Tenant


def licences_key(tenant) -> str:
    return f"licences:{tenant.pk}:{tenant.cache_version}"


def licences_changed(tenant_id) -> None:
    Tenant.objects.filter(pk=tenant_id).update(cache_version=F("cache_version") + 1)
