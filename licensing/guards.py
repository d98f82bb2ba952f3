"""The gate's ``licence`` guard: a product the tenant does not use does not exist for it.

Its views are 404, after 社外からのアクセス制限 and before any step-up
(``before=("access",)``), whatever the session could still prove. An admin
page of a product app's model belongs to the product too; operators (no
tenant) administer every tenant's product data. LicensingConfig names this
guard in its ``gate_guards``, so the gate's check (``accounts.E005``) fails
while it is not in LOGIN_GATE_GUARDS.
"""

from django.http import Http404

from accounts.sessions.gate import Guard
from catalog.registry import product_for_view
from kit.access import Access, declared_level

from .services import is_licensed


def refuse_unused_product(request, view_func):
    level = declared_level(view_func)
    if level is None or level == Access.PUBLIC or not request.user.is_authenticated:
        return None  # undeclared: ``access`` closes it; anonymous: to the login first
    product = product_for_view(view_func)
    if product is None or is_licensed(request, product.code):
        return None
    if getattr(view_func, "model_admin", None) is not None and request.user.is_operator:
        return None
    raise Http404


LICENCE = Guard("licence", on_view=refuse_unused_product, after=("office_ip",), before=("access",))
