"""Typed text kept in the browser until it is sent (static/js/drafts.js).

A form marked ``data-draft="<key>"`` has its fields saved in localStorage
under the login ID and the key as the user types (never passwords, codes,
hidden fields or fields marked ``data-no-draft`` such as bank account
numbers), restored after a timeout and the login, and cleared at logout.
A view that has sent the form marks its response with ``draft_sent``: a
short-lived cookie holding only the form's key tells the next page's script
to forget the draft (no session write, no query).
"""

DRAFT_SENT_COOKIE = "netdekomon_draft_sent"


def draft_sent(response, key: str):
    response.set_cookie(DRAFT_SENT_COOKIE, key, max_age=300, samesite="Lax", httponly=False)
    return response


def just_sent(request, key: str) -> bool:
    """This page follows the send of the form ``key`` (it shows 完了)."""
    return request.COOKIES.get(DRAFT_SENT_COOKIE) == key
