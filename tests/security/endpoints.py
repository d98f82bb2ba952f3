"""Every URL of the project, made concrete, for the CSRF and bad-input sweeps.

Walks the URLconf, so a view added later (a new product app's, say) is
swept without editing these tests.
"""

import re

from django.contrib import admin
from django.urls import URLResolver, get_resolver

_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
_SAMPLE = {"int": "1", "slug": "x", "str": "x", "uuid": "00000000-0000-0000-0000-000000000000",
           "path": "x"}


def _walk(patterns, prefix=""):
    for pattern in patterns:
        route = str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + route)
        else:
            yield prefix + route


def _concrete(route: str) -> str | None:
    if route.startswith("^") or "(?P" in route or route.endswith("$"):
        return None  # regex routes (the admin's catch-all and app index) are covered below
    return "/" + _CONVERTER.sub(lambda m: _SAMPLE.get(m.group(1) or "str", "x"), route)


def project_urls() -> list[str]:
    """Every route outside the admin, with sample values for its parameters."""
    urls = {_concrete(route) for route in _walk(get_resolver().url_patterns)}
    return sorted(u for u in urls if u and not u.startswith("/admin/"))


def admin_urls() -> list[str]:
    """The admin's index, login/logout/password pages and every registered model's pages."""
    urls = ["/admin/", "/admin/password_change/", "/admin/logout/"]
    for model in admin.site._registry:
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        urls += [base, base + "add/", base + "1/change/", base + "1/delete/", base + "1/history/"]
    return urls


def every_url() -> list[str]:
    """Every route, the admin's own pages included (its custom views such as the import)."""
    urls = {_concrete(route) for route in _walk(get_resolver().url_patterns)}
    return sorted(u for u in urls if u)
