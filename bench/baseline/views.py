"""The bare baselines, behind a fresh project's middleware only (bench/wsgi.py):
what plain Django + gunicorn + PostgreSQL can do on this machine.

- ``baseline``: authenticate the session, insert one row, redirect (a punch's counterpart).
- ``page``: authenticate the session, render a template with twelve rows (a page's counterpart:
  the portal, the payslip list).
"""

from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from kit.access import Access, access

from .models import Hit


@access(Access.LOGIN)  # declared like every view; the bare stack does not enforce it
def baseline(request):
    if not request.user.is_authenticated:
        return HttpResponse(status=403)
    if request.method == "POST":
        Hit.objects.create(user_id=request.user.pk)
        return HttpResponseRedirect(request.path)
    return HttpResponse("ok")


PAGE_ROWS = 12


@access(Access.LOGIN)
def page(request):
    if not request.user.is_authenticated:
        return HttpResponse(status=403)
    hits = Hit.objects.filter(user_id=request.user.pk).order_by("-pk")[:PAGE_ROWS]
    return render(request, "bench_baseline/page.html", {"hits": hits})
