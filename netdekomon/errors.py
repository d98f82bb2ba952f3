"""The site's error pages: 400, 403, 404, 500, 503 and the CSRF failure.

In the site's layout, Japanese unless switched, each with the way on
(ポータルへ / ログイン画面へ / 再読み込み). They are also what the demo shows
with DEBUG on (``DemoErrorPagesMiddleware``); Django's technical pages only
when a developer asks with ``DEBUG_TECHNICAL_PAGES=true``.
"""

import functools
import logging
import sys

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import BadRequest, MiddlewareNotUsed
from django.db import OperationalError
from django.http import Http404, HttpResponse, QueryDict
from django.template import loader
from django.template.response import TemplateResponse
from django.urls import get_resolver, get_urlconf, reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from kit.access import Access
from accounts.errors import Refused
from accounts.sessions.state import reached_level
from accounts.views.login import LoginView

def _body_set_aside(handler):
    """An error page never reads the request's body again.

    The CSRF check that ``requires_csrf_token`` runs reads ``request.POST``;
    when that body was the error (a charset other than UTF-8, a broken
    multipart), reading it again would raise inside the handler and answer
    gunicorn's bare 500. Django's own way of marking a body that failed to
    parse leaves ``POST`` and ``FILES`` empty.
    """
    @functools.wraps(handler)
    def wrapper(request, *args, **kwargs):
        try:
            request.POST  # noqa: B018 - parse now, or mark the failure
        except Exception:  # whatever the parser raised, the page must still render
            request._mark_post_parse_error()
        return handler(request, *args, **kwargs)
    return wrapper


def _render(request, template, status, **context):
    logged_in = hasattr(request, "user") and reached_level(request) >= Access.LIMITED
    # One leading slash: a path such as //elsewhere.example/ (or /\elsewhere) would be
    # a link off the site.
    context.update(logged_in=logged_in, reload_url="/" + request.get_full_path().lstrip("/\\"))
    response = TemplateResponse(request, template, context, status=status)
    response.render()
    response.netdekomon_error_page = True
    return response


# What a client is told to wait before trying again after a database time limit.
BUSY_RETRY_AFTER_SECONDS = 5

logger = logging.getLogger(__name__)


def database_busy(error: BaseException | None) -> bool:
    """A statement that ran out of time waiting (PostgreSQL's statement_timeout or
    lock_timeout; SQLite's busy timeout): the database is busy, not broken."""
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    sqlstate = getattr(cause, "sqlstate", None)
    # 57014 query_canceled (statement_timeout), 55P03 lock_not_available (lock_timeout).
    return sqlstate in ("57014", "55P03") or "database is locked" in str(error)


@_body_set_aside
@requires_csrf_token
def server_error(request):
    """500, or the 503 「混み合っています」 when a database time limit ended the request.

    Django calls this inside the ``except`` that caught the error, from any
    view or middleware; the transaction the error ended has been rolled back
    by then (``atomic``), or the statement that failed wrote nothing. Like
    Django's own 500 view it renders without a request context, so nothing
    here may query the database.
    """
    error = sys.exc_info()[1]
    if database_busy(error):
        logger.warning("Database time limit reached on %s %s: %s", request.method, request.path,
                       str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__)
        response = _static_page(request, "503.html", 503, retry_after=BUSY_RETRY_AFTER_SECONDS)
        response["Retry-After"] = str(BUSY_RETRY_AFTER_SECONDS)
        response._has_been_logged = True  # the warning above says it; Django would add a traceback
        return response
    return _static_page(request, "500.html", 500)


def _static_page(request, template, status, **context):
    # One leading slash, as in _render: never a link off the site.
    context["reload_url"] = "/" + request.path.lstrip("/\\")
    response = HttpResponse(loader.get_template(template).render(context), status=status)
    response.netdekomon_error_page = True
    return response


@_body_set_aside
@requires_csrf_token
def bad_request(request, exception=None):
    return _render(request, "400.html", 400)


@_body_set_aside
@requires_csrf_token
def permission_denied(request, exception=None):
    message = str(exception) if isinstance(exception, Refused) else ""
    return _render(request, "403.html", 403, message=message)


@_body_set_aside
@requires_csrf_token
def page_not_found(request, exception=None):
    return _render(request, "404.html", 404)


@_body_set_aside
@requires_csrf_token
def csrf_failure(request, reason=""):
    """A form older than the session (a second, stale tab; a login that expired).

    The login simply starts again with the reason; any other form gets the
    403 page saying the screen expired.
    """
    if request.path == reverse("accounts:login"):
        # The login page afresh (as a GET: the wizard starts over, ?next= kept),
        # still answering 403: nothing that was posted was used.
        messages.warning(request, _("画面の有効期限が切れたため、もう一度ログインしてください。"))
        request.method, request.POST = "GET", QueryDict()
        response = LoginView.as_view()(request)
        response.status_code = 403
        return response
    return _render(request, "403_csrf.html", 403)


class DemoErrorPagesMiddleware:
    """With DEBUG on (the demo, ``make serve``), show the same error pages as production.

    Django answers a 404 or an uncaught exception with its technical pages
    whenever DEBUG is on, whichever middleware or view raised it, and offers
    no hook; so this outermost middleware replaces those responses with the
    site's own handler's page. A developer who wants the technical pages sets
    ``DEBUG_TECHNICAL_PAGES=true``. With DEBUG off it is left out of the
    chain when the server starts.
    """

    def __init__(self, get_response):
        if not settings.DEBUG:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (settings.DEBUG and not settings.DEBUG_TECHNICAL_PAGES
                and response.status_code in (400, 404, 500) and _is_technical(response)):
            resolver = get_resolver(get_urlconf())
            handler = resolver.resolve_error_handler(response.status_code)
            if response.status_code == 500:
                return handler(request)
            exception = Http404() if response.status_code == 404 else BadRequest()
            return handler(request, exception)
        return response


def _is_technical(response) -> bool:
    # Django's technical 404 / 500 pages (HTML or plain text) all say this.
    return not getattr(response, "streaming", False) and b"DEBUG = True" in response.content
