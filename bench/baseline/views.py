"""The bare baseline: authenticate the session, insert one row, redirect.

Runs behind a fresh project's middleware only (bench/wsgi.py), so it is what
plain Django + gunicorn + PostgreSQL can do for a punch on this machine.
"""

from django.http import HttpResponse, HttpResponseRedirect

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
