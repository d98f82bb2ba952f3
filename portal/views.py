from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language

from kit.access import Access, access
from accounts.sessions.state import reached_level
from catalog.registry import products
from licensing.services import licensed_codes

TILES_TEMPLATE = "portal/_tiles.html"


def _tiles(codes: frozenset[str], limited: bool, staff: bool) -> list[dict]:
    """Licensed products with the features this user may see, in declared order."""
    tiles = []
    for product in products():
        if product.code not in codes:
            continue
        features = [
            {"feature": f, "url": reverse(f.url_name), "locked": limited and not f.limited}
            for f in product.features
            if not f.admin_only or staff
        ]
        tiles.append({
            "product": product,
            "url": reverse(product.entry_url),
            "features": features,
            "locked": limited and not any(f.limited for f in product.features),
        })
    return tiles


@lru_cache(maxsize=256)
def _tiles_html(language: str, codes: frozenset[str], limited: bool, staff: bool) -> str:
    """The tiles are a function of these four alone (the licence set is read
    for every request, so a licence change is seen at once): each worker
    renders a combination once and keeps it. Nothing about a person is in
    them; the page around them greets the user."""
    return render_to_string(TILES_TEMPLATE, {"tiles": _tiles(codes, limited, staff)})


@receiver(setting_changed, dispatch_uid="portal.views.tiles_reset")
def _tiles_reset(setting, **kwargs):
    if setting in ("INSTALLED_APPS", "ROOT_URLCONF", "STORAGES", "STATIC_URL"):
        _tiles_html.cache_clear()


@access(Access.LIMITED)
def home(request):
    limited = reached_level(request) < Access.FULL
    tiles = _tiles_html(get_language() or "", licensed_codes(request), limited, request.user.is_staff)
    return render(request, "portal/home.html", {"tiles_html": tiles, "limited": limited})


@access(Access.PUBLIC)
def help_page(request):
    """よくあるご質問; what the limited mode can do comes from the product declarations."""
    limited = [(p, p.limited_features) for p in products() if p.limited_features]
    return render(request, "portal/help.html", {"limited_products": limited})
