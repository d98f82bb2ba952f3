"""A product the tenant does not use does not exist for it: its views are 404.

Placed before the access middleware (``licensing.E002``), so an unused
product is a 404 before any step-up, whatever the session could still
prove. An admin page of a product app's model belongs to the product too;
operators (no tenant) administer every tenant's product data.
"""

from django.http import Http404

from kit.access import Access, declared_level
from catalog.registry import product_for_view

from .services import is_licensed


class LicenceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        level = declared_level(view_func)
        if level is None or level == Access.PUBLIC or not request.user.is_authenticated:
            return None  # undeclared: the access middleware closes it; anonymous: to the login first
        product = product_for_view(view_func)
        if product is None or is_licensed(request, product.code):
            return None
        if getattr(view_func, "model_admin", None) is not None and request.user.is_operator:
            return None
        raise Http404
