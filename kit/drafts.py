"""Typed text kept in the browser until it is sent (static/js/drafts.js).

A form marked ``data-draft="<key>"`` has its fields saved in localStorage
under the login ID and the key as the user types (never passwords, codes,
hidden fields or fields marked ``data-no-draft`` such as bank account
numbers), restored on the empty form while the login session lasts. Each draft is
tagged with its login session (``drafts_session``: a random value kept in
the session, on the script tag of every page): a page whose session is
another one, or none, removes every draft of an ended session, however it
ended (logout anywhere, the console's, timeout, ended from another device or
by an administrator). A view that has sent the form marks its response with
``draft_sent``: a short-lived cookie holding only the form's key tells the
next page's script to forget the draft (no session write, no query).
"""

import secrets

DRAFT_SENT_COOKIE = "netdekomon_draft_sent"
DRAFTS_SESSION_KEY = "netdekomon_drafts"


def drafts_session(request) -> str:
    """This login session's draft tag, "" when nobody is logged in.

    Made at the first page of the login session and kept through its key
    changes (code, step-up); every way a session ends (``flush()``) drops it.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    tag = request.session.get(DRAFTS_SESSION_KEY)
    if not tag:
        tag = request.session[DRAFTS_SESSION_KEY] = secrets.token_hex(8)
    return tag


def draft_sent(response, key: str):
    response.set_cookie(DRAFT_SENT_COOKIE, key, max_age=300, samesite="Lax", httponly=False)
    return response


def just_sent(request, key: str) -> bool:
    """This page follows the send of the form ``key`` (it shows 完了)."""
    return request.COOKIES.get(DRAFT_SENT_COOKIE) == key
