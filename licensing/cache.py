"""The key of a tenant's licence set in the shared cache, and its forgetting."""

from accounts.shared_cache import forget


def licences_key(tenant_id) -> str:
    return f"licences:{tenant_id}"


def licences_changed(tenant_id) -> None:
    forget(licences_key(tenant_id))
