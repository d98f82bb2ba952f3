"""Another tenant's data, and the URLs that take an id: shared by the
tenant-isolation suite and the product contract."""

import re

from django.apps import apps
from django.urls import get_resolver
from django.utils.module_loading import import_string

from accounts.checks import iter_patterns
from catalog.registry import products

MISSING_ID = 987654321  # an id that never exists: the answer every foreign id must match
ID_CONVERTER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>pk|id|\w+_id|object_id)>")


def seed_products(tenant, users, found=None) -> None:
    """Fill ``tenant`` with each product's own demo data (its seed_demo hook)."""
    for product in (p for p in (found or products()) if p.seed_demo):
        import_string(product.seed_demo)(tenant=tenant, users=users)


def tenant_models(app_label=None):
    return [m for m in apps.get_models() if hasattr(m, "tenant_path")
            and (app_label is None or m._meta.app_label == app_label)]


def objects_of(model, tenant):
    return list(model._default_manager.for_tenant(tenant).order_by("pk"))


SAMPLE = 8


def sample_of(model, tenant, size=SAMPLE):
    """The tenant's objects of ``model`` to try a foreign id with: all of them, or
    ``size`` spread evenly from the first to the last. The tenant rule is one
    queryset per model, so a month of identical punches adds nothing but time."""
    rows = objects_of(model, tenant)
    if len(rows) <= size:
        return rows
    return [rows[round(index * (len(rows) - 1) / (size - 1))] for index in range(size)]


def substitute(route, value):
    return ID_CONVERTER.sub(str(value), route)


def id_routes(prefix=""):
    """(route, app label of its view) of every URL outside the admin that takes an id."""
    for route, callback in iter_patterns(get_resolver().url_patterns):
        if route.startswith("admin/") or not route.startswith(prefix) or not ID_CONVERTER.search(route):
            continue
        config = apps.get_containing_app_config(callback.__module__)
        yield "/" + route, config.label if config else ""
