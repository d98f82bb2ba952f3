"""Which products a tenant uses. One query per request, shared by the
licence middleware, the product admins and the portal."""

from django.db import transaction

from accounts.models import Tenant
from catalog.registry import product_by_code, products

from .models import Licence

_REQUEST_CACHE = "_licensed_product_codes"


def licensed_codes(request) -> frozenset[str]:
    codes = getattr(request, _REQUEST_CACHE, None)
    if codes is None:
        tenant_id = getattr(request.user, "tenant_id", None)
        codes = frozenset(
            Licence.objects.filter(tenant_id=tenant_id, in_use=True).order_by().values_list("product_code", flat=True)
        ) if tenant_id else frozenset()
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


def licences_for_new_tenant(*, tenant: Tenant, with_products: bool = True, **kwargs) -> None:
    """Receiver of ``accounts.signals.tenant_created``: a new company uses every product."""
    if with_products:
        licences_grant_all(tenant=tenant)
