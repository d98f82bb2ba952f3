"""The console's front page: what waits for the company's action (対応待ち).

A product's admin declares it (``waiting`` of ``kit.decisions.DecideOnPageMixin``):
each kind is counted in the administrator's company and linked to its
filtered list. One query counts them all (a subquery per kind), however
many items wait and however many products declare something. Products the
company does not use are not asked (their admin's view permission).
"""

from urllib.parse import urlencode

from django import template
from django.contrib import admin
from django.db.models import Count, IntegerField, Subquery, Value
from django.urls import reverse

from accounts.models import User

register = template.Library()


@register.simple_tag(takes_context=True)
def waiting_counts(context):
    request = context["request"]
    if request.user.tenant_id is None:
        return []
    declared = []
    for model, model_admin in admin.site._registry.items():
        if getattr(model_admin, "waiting", ()) and model_admin.has_view_permission(request):
            declared += [(model, model_admin, waiting) for waiting in model_admin.waiting]
    if not declared:
        return []
    subqueries = {
        f"w{i}": Subquery(
            model_admin.get_queryset(request).filter(**waiting.lookups).order_by()
            .annotate(one=Value(1)).values("one").annotate(count=Count("pk")).values("count"),
            output_field=IntegerField())
        for i, (model, model_admin, waiting) in enumerate(declared)
    }
    counts = User.objects.filter(pk=request.user.pk).annotate(**subqueries).values(*subqueries).get()
    rows = []
    for i, (model, model_admin, waiting) in enumerate(declared):
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        rows.append({"label": f"{model._meta.verbose_name_plural} {waiting.label}", "count": counts[f"w{i}"] or 0,
                     "url": f"{url}?{urlencode(waiting.lookups)}"})
    return rows
