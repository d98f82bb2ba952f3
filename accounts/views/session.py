"""「ログインを延長」: the timeout notice's button (static/js/session.js)."""

from django.http import JsonResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from kit.access import Access, access
from accounts.sessions.lifetime import seconds_left, touch
from .verify import safe_next


@access(Access.LOGIN, during_password_change=True)
@require_POST
def extend(request):
    touch(request)
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"seconds_left": seconds_left(request)})
    return redirect(safe_next(request))  # the form without JavaScript: back to the page
