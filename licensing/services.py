"""Which products a tenant uses. One query per request, shared by the
licence middleware, the product admins and the portal — none when the shared
cache (``REDIS_URL``) holds the tenant's licence set.

Every change of a licence forgets the cached set: saving or deleting one
(the service, the admin, the ``licence`` command: ``signals.py``), a bulk
``update()``/``delete()`` (``LicenceQuerySet``), the licences of a new
company (``licences_grant_all``).
"""

from django.conf import settings
from django.db import transaction

from accounts.models import Tenant
from accounts.shared_cache import cached
from catalog.registry import product_by_code, products

from .cache import licences_changed, licences_key
from .models import Licence

_REQUEST_CACHE = "_licensed_product_codes"


def tenant_licensed_codes(tenant_id) -> frozenset[str]:
    """The codes of the products the tenant uses (shared cache, else the database)."""
    def from_database():
        return sorted(Licence.objects.filter(tenant_id=tenant_id, in_use=True).order_by()
                      .values_list("product_code", flat=True))
    return frozenset(cached(licences_key(tenant_id), from_database, settings.LICENCE_CACHE_SECONDS))


def licensed_codes(request) -> frozenset[str]:
    codes = getattr(request, _REQUEST_CACHE, None)
    if codes is None:
        tenant_id = getattr(request.user, "tenant_id", None)
        codes = tenant_licensed_codes(tenant_id) if tenant_id else frozenset()
        setattr(request, _REQUEST_CACHE, codes)
    return codes


def is_licensed(request, product_code: str) -> bool:
    return product_code in licensed_codes(request)


def licensed_products(request):
    codes = licensed_codes(request)
    return [p for p in products() if p.code in codes]


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
    licences_changed(tenant.pk)  # bulk_create sends no signal


def licences_for_new_tenant(*, tenant: Tenant, with_products: bool = True, **kwargs) -> None:
    """Receiver of ``accounts.signals.tenant_created``: a new company uses every product."""
    licences_changed(tenant.pk)  # nothing kept for an id a deleted company once had
    if with_products:
        licences_grant_all(tenant=tenant)
