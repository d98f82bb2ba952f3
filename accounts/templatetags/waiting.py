"""The console's front page: what waits for the company's action (対応待ち).

A product's admin declares it (``waiting`` of ``kit.decisions.DecideOnPageMixin``):
each kind is counted in the administrator's company, one query per model
however many items wait, and linked to its filtered list. Products the
company does not use are not asked (their admin's view permission).
"""

from urllib.parse import urlencode

from django import template
from django.contrib import admin
from django.db.models import Count, Q
from django.urls import reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def waiting_counts(context):
    request = context["request"]
    if request.user.tenant_id is None:
        return []
    rows = []
    for model, model_admin in admin.site._registry.items():
        declared = getattr(model_admin, "waiting", ())
        if not declared or not model_admin.has_view_permission(request):
            continue
        counts = model_admin.get_queryset(request).order_by().aggregate(
            **{f"w{i}": Count("pk", filter=Q(**w.lookups)) for i, w in enumerate(declared)})
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for i, waiting in enumerate(declared):
            rows.append({"label": f"{model._meta.verbose_name_plural} {waiting.label}", "count": counts[f"w{i}"],
                         "url": f"{url}?{urlencode(waiting.lookups)}"})
    return rows
