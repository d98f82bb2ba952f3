"""The project's URLs plus, under each product's prefix, two list pages that
show every tenant's rows of the product's models (``Model.objects.all()``):
one with each row's text, one with the number of rows only. The product
contract must find both (catalog/tests/test_product_contract.py)."""

from django.http import HttpResponse
from django.urls import path
from django.utils.html import format_html_join

from kit.access import Access, access
from catalog.registry import products
from netdekomon.urls import urlpatterns as project_urlpatterns
from catalog.tests.isolation import tenant_models


def every_tenants_list(app_label, show):
    @access(Access.FULL)
    def view(request):
        models = tenant_models(app_label)
        if show == "rows":
            # select_related: each row's text names its user (one query per model, not per row)
            rows = [obj for model in models for obj in model._default_manager.all().select_related()]
            return HttpResponse(format_html_join("", "<li>{}</li>", ((str(obj),) for obj in rows)))
        return HttpResponse(format_html_join("", "<li>{}</li>", ((model._default_manager.count(),)
                                                                 for model in models)))
    return view


urlpatterns = [
    *(path(f"{p.code}/every-tenants-{show}/", every_tenants_list(p.app_label, show))
      for p in products() for show in ("rows", "count")),
    *project_urlpatterns,
]
