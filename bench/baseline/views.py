"""The bare baselines, behind a fresh project's middleware only (bench/wsgi.py):
what plain Django + gunicorn + PostgreSQL can do on this machine.

- ``baseline``: authenticate the session, insert one row, redirect (a punch's counterpart).
- ``page``: authenticate the session, render a template with twelve rows (a page's counterpart:
  the portal, the payslip list).
"""

from pathlib import Path

from django.http import HttpResponse, HttpResponseRedirect
from django.template import Engine, RequestContext

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
# A fresh project's template settings: the product's context processors need the product's middleware.
ENGINE = Engine(dirs=[Path(__file__).with_name("templates")], context_processors=[
    "django.template.context_processors.request", "django.contrib.auth.context_processors.auth",
    "django.contrib.messages.context_processors.messages"])


@access(Access.LOGIN)
def page(request):
    if not request.user.is_authenticated:
        return HttpResponse(status=403)
    hits = Hit.objects.filter(user_id=request.user.pk).order_by("-pk")[:PAGE_ROWS]
    page = ENGINE.get_template("bench_baseline/page.html")
    return HttpResponse(page.render(RequestContext(request, {"hits": hits})))
