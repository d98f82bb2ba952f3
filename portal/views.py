import hashlib
from functools import lru_cache

from django.conf import settings
from django.shortcuts import render
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils.translation import get_language

from accounts.access import Access, access
from accounts.session_state import reached_level
from accounts.shared_cache import cached
from catalog.registry import products
from licensing.services import licensed_codes, licensed_products

TILES_TEMPLATE = "portal/_tiles.html"


def _tiles(request, limited: bool):
    """Licensed products with the features this user may see, in declared order."""
    tiles = []
    for product in licensed_products(request):
        features = [
            {"feature": f, "url": reverse(f.url_name), "locked": limited and not f.limited}
            for f in product.features
            if not f.admin_only or request.user.is_staff
        ]
        tiles.append({
            "product": product,
            "url": reverse(product.entry_url),
            "features": features,
            "locked": limited and not any(f.limited for f in product.features),
        })
    return tiles


@lru_cache(maxsize=1)
def _tiles_release() -> str:
    """Changes with the tiles' template and the product declarations, so that
    servers of two releases side by side never serve each other's tiles."""
    source = get_template(TILES_TEMPLATE).template.source
    declared = repr([(p.code, p.icon, p.entry_url, [(f.code, f.url_name, f.limited, f.admin_only)
                                                     for f in p.features]) for p in products()])
    return hashlib.sha256((source + declared).encode()).hexdigest()[:12]


def _tiles_html(request, limited: bool) -> str:
    """The tiles depend only on the licence set, the mode, the role and the
    language: with the shared cache, one rendering serves every such user."""
    licences = hashlib.sha256(",".join(sorted(licensed_codes(request))).encode()).hexdigest()[:16]
    key = ":".join(["portal-tiles", _tiles_release(), get_language() or "", "limited" if limited else "full",
                    "staff" if request.user.is_staff else "employee", licences])
    return cached(key, lambda: render_to_string(TILES_TEMPLATE, {"tiles": _tiles(request, limited)}),
                  settings.PORTAL_TILES_CACHE_SECONDS)


@access(Access.LIMITED)
def home(request):
    limited = reached_level(request) < Access.FULL
    return render(request, "portal/home.html", {"tiles_html": _tiles_html(request, limited), "limited": limited})


@access(Access.PUBLIC)
def help_page(request):
    """よくあるご質問; what the limited mode can do comes from the product declarations."""
    limited = [(p, p.limited_features) for p in products() if p.limited_features]
    return render(request, "portal/help.html", {"limited_products": limited})
