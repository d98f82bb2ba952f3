"""The site's error pages: 400, 403, 404, 500 and the CSRF failure.

In the site's layout, Japanese unless switched, each with the way on
(ポータルへ / ログイン画面へ / 再読み込み). They are also what the demo shows
with DEBUG on (``DemoErrorPagesMiddleware``); Django's technical pages only
when a developer asks with ``DEBUG_TECHNICAL_PAGES=true``.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import BadRequest, MiddlewareNotUsed
from django.http import Http404, QueryDict
from django.template.response import TemplateResponse
from django.urls import get_resolver, get_urlconf, reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from accounts.access import Access
from accounts.errors import Refused
from accounts.session_state import reached_level
from accounts.views.login import LoginView

def _render(request, template, status, **context):
    logged_in = hasattr(request, "user") and reached_level(request) >= Access.LIMITED
    # One leading slash: a path such as //elsewhere.example/ (or /\elsewhere) would be
    # a link off the site.
    context.update(logged_in=logged_in, reload_url="/" + request.get_full_path().lstrip("/\\"))
    response = TemplateResponse(request, template, context, status=status)
    response.render()
    response.netdekomon_error_page = True
    return response


@requires_csrf_token
def bad_request(request, exception=None):
    return _render(request, "400.html", 400)


@requires_csrf_token
def permission_denied(request, exception=None):
    message = str(exception) if isinstance(exception, Refused) else ""
    return _render(request, "403.html", 403, message=message)


@requires_csrf_token
def page_not_found(request, exception=None):
    return _render(request, "404.html", 404)


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
