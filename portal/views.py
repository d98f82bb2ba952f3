from django.shortcuts import render
from django.urls import reverse

from accounts.access import Access, access
from accounts.session_state import reached_level
from licensing.services import licensed_products
from catalog.registry import products


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


@access(Access.LIMITED)
def home(request):
    limited = reached_level(request) < Access.FULL
    return render(request, "portal/home.html", {"tiles": _tiles(request, limited), "limited": limited})


@access(Access.PUBLIC)
def help_page(request):
    """よくあるご質問; what the limited mode can do comes from the product declarations."""
    limited = [(p, p.limited_features) for p in products() if p.limited_features]
    return render(request, "portal/help.html", {"limited_products": limited})
