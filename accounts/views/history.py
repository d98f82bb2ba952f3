"""ログイン履歴: the user's own logins and security events."""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render

from kit.access import Access, access
from accounts.activity.history import entry, events_of


@access(Access.FULL)
def history(request):
    page = Paginator(events_of(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/history.html", {
        "page": page, "entries": [entry(e) for e in page], "days": settings.LOGIN_HISTORY_DAYS,
    })
