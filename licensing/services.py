"""Which products a tenant uses. One query per request, shared by the
licence middleware, the product admins and the portal — none when the shared
cache (``REDIS_URL``) holds the tenant's licence set.

Every change of a licence raises the tenant's cache version, so the cached
set is not read again (``cache.py``): saving or deleting one
(the service, the admin, the ``licence`` command: ``signals.py``), a bulk
``update()``/``delete()`` (``LicenceQuerySet``), the licences of a new
company (``licences_grant_all``).
"""

from django.conf import settings
from django.db import connections, router, transaction

from accounts.models import Tenant
from accounts.shared_cache import cached
from catalog.registry import product_by_code, products

from .cache import licences_changed, licences_key
from .models import Licence

_REQUEST_CACHE = "_licensed_product_codes"


def tenant_licensed_codes(tenant: Tenant) -> frozenset[str]:
    """The codes of the products the tenant uses (shared cache, else the database).

    ``tenant`` as loaded with the request's user: its ``cache_version`` was
    read before the set, so the set kept under it is at least that new."""
    tenant_id = tenant.pk

    def from_database():
        # Every product request asks this: one fixed statement instead of
        # building the same queryset's SQL every time (the ORM's compilation
        # cost as much CPU as the query itself).
        with connections[router.db_for_read(Licence)].cursor() as cursor:
            cursor.execute(_licensed_codes_sql(cursor.db.ops.quote_name), [tenant_id])
            return sorted(code for (code,) in cursor.fetchall())
    return frozenset(cached(licences_key(tenant), from_database, settings.LICENCE_CACHE_SECONDS))


def _licensed_codes_sql(quote_name) -> str:
    field = Licence._meta.get_field
    return (f"SELECT {quote_name(field('product_code').column)} FROM {quote_name(Licence._meta.db_table)}"
            f" WHERE {quote_name(field('tenant').column)} = %s AND {quote_name(field('in_use').column)}")


def licensed_codes(request) -> frozenset[str]:
    codes = getattr(request, _REQUEST_CACHE, None)
    if codes is None:
        tenant = request.user.tenant if getattr(request.user, "tenant_id", None) else None
        codes = tenant_licensed_codes(tenant) if tenant is not None else frozenset()
        setattr(request, _REQUEST_CACHE, codes)
    return codes


def is_licensed(request, product_code: str) -> bool:
    return product_code in licensed_codes(request)


@transaction.atomic
def licence_set(*, tenant: Tenant, product_code: str, in_use: bool) -> Licence:
    if product_by_code(product_code) is None:
        raise LookupError(product_code)
    licence, _ = Licence.objects.update_or_create(
        tenant=tenant, product_code=product_code, defaults={"in_use": in_use}
    )
    return licence


def licences_grant_all(*, tenant: Tenant) -> None:
    Licence.objects.bulk_create(
        [Licence(tenant=tenant, product_code=p.code, in_use=True) for p in products()],
        ignore_conflicts=True,
    )


def licences_for_new_tenant(*, tenant: Tenant, with_products: bool = True, **kwargs) -> None:
    """Receiver of ``accounts.identity.signals.tenant_created``: a new company uses every product."""
    if with_products:
        licences_grant_all(tenant=tenant)
