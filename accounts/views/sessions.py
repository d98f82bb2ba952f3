"""ログイン中の端末: the user's own open sessions, each with ログアウト."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.sessions import user_sessions
from kit.access import Access, access
from ..models import UserSession
from kit.user_agents import describe


def session_rows(sessions, current_key=None):
    """What the page (and the console) shows of each session."""
    return [{"session": s, "agent": describe(s.user_agent), "current": s.session_key == current_key,
             "limited": s.mode == user_sessions.MODE_LIMITED} for s in sessions]


def offer_sessions_page(request, text: str) -> None:
    """A success message that links to this page (after a password change or a self reset)."""
    messages.success(request, format_html('{} <a href="{}">{}</a>', text, reverse("accounts:sessions"),
                                          _("ログイン中の端末を確認する")))


@access(Access.FULL)
def sessions(request):
    rows = session_rows(user_sessions.sessions_of(request.user), user_sessions.current_key(request))
    rows.sort(key=lambda row: not row["current"])
    return render(request, "accounts/sessions.html", {"rows": rows, "others": len(rows) > 1})


@access(Access.FULL)
@require_POST
def session_end(request):
    # Only among the user's own sessions: another user's id is a 404.
    session = get_object_or_404(UserSession, pk=post_id(request.POST.get("session")), user=request.user)
    if session.session_key == user_sessions.current_key(request):
        return redirect("accounts:sessions")  # this one ends with the ログアウト button
    user_sessions.session_end(user=request.user, session=session, actor=request.user, request=request)
    messages.success(request, _("選んだ端末をログアウトしました。"))
    return redirect("accounts:sessions")


@access(Access.FULL)
@require_POST
def sessions_end_others(request):
    count = user_sessions.sessions_end_others(user=request.user, actor=request.user, request=request)
    messages.success(request, _("ほかの端末 %(count)d 台をログアウトしました。") % {"count": count})
    return redirect("accounts:sessions")


def post_id(value) -> int:
    return int(value) if value and value.isdigit() and len(value) < 19 else 0
