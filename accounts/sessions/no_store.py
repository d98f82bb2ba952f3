"""``Cache-Control: no-store`` on every response to a logged-in session.

On the shared PCs of the threat model a browser (or a proxy) must not keep
what an employee saw: the portal, punches, requests, payslips, the
bank-change form re-rendered with the typed account number. Marking views
one by one missed pages (issue 15, finding 5), so this middleware marks
every response of a session instead.

What "logged-in session" means here: **the request presents the session
cookie, or its response sets one.** Every stage of a login lives in the
session, so this covers the verified (full) session, the limited mode, a
password-only session (setup), the login wizard mid-way (password done,
choice or code pending: Django's ``request.user`` is still anonymous then,
the wizard's session holds the password step's result), the responses
that end a session (logout, idle or absolute timeout, a stale session
flushed) and the response that logs in. It needs neither the session's
contents nor ``request.user``: anonymous requests without the cookie stay
as cheap as before and cacheable (the help page for a first visitor).
The only pages it marks beyond the strict "authenticated" ones are the
public pages (login, help, language switch) for a visitor who holds a
session cookie, which nobody needs cached either.

Static files are left alone: whitenoise answers them before this
middleware runs (``WhiteNoiseMiddleware`` comes first in MIDDLEWARE; in
development ``runserver``'s static handler serves them outside the
middleware chain).

Django's ``add_never_cache_headers`` merges with what a view already set
(``never_cache`` on the setup/QR and code pages): ``no-store, no-cache,
must-revalidate, private, max-age=0`` and ``Expires``, each directive once;
a view's ``public`` is replaced by ``private``.
"""

from django.conf import settings
from django.utils.cache import add_never_cache_headers


def belongs_to_a_session(request, response) -> bool:
    name = settings.SESSION_COOKIE_NAME
    return name in request.COOKIES or name in response.cookies


class SessionNoStoreMiddleware:
    """Place it after whitenoise and before SessionMiddleware, so that it sees the
    session cookie the response sets and every response the inner middleware make
    (CSRF failures, slash redirects, the login gate's redirects)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if belongs_to_a_session(request, response):
            add_never_cache_headers(response)
        return response
