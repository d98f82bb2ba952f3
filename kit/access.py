"""Access levels, declared next to every view.

The login gate's ``access`` guard (``accounts.sessions.guards``) closes every view that does not carry one of
these markers (like Django's ``LoginRequiredMiddleware`` with
``@login_not_required``, but with four levels)::

    @access(Access.LIMITED)
    def punch(request): ...

    @access(Access.FULL)
    class RequestCreateView(CreateView): ...
"""

import functools
from enum import IntEnum

from django.utils.decorators import method_decorator

ATTRIBUTE = "access_level"
PASSWORD_CHANGE_ATTRIBUTE = "access_during_password_change"


class Access(IntEnum):
    PUBLIC = 0  # anyone, logged in or not (login page, help, language switch)
    LOGIN = 1  # password step done: choice screen, 2FA setup, code step, logout
    LIMITED = 2  # limited mode (B-ID without the code) or verified with the code
    FULL = 3  # verified with the code in this session


def access(level: Access, *, during_password_change: bool = False):
    """Declare the access level of a view function or class-based view.

    ``during_password_change`` lets the view be used while a user on a
    temporary password is being forced to change it (the change form,
    logout); every other view waits until the password is changed.
    """
    if not isinstance(level, Access):
        raise TypeError("access() takes an Access level")

    def set_level(view):
        setattr(view, ATTRIBUTE, level)
        setattr(view, PASSWORD_CHANGE_ATTRIBUTE, during_password_change)
        return view

    def mark(view):
        if isinstance(view, type):
            return method_decorator(set_level, name="dispatch")(view)
        return set_level(view)

    return mark


def declared_level(view_func):
    """The level a resolved view declared, or None (closed).

    A class-based view's function carries it too: ``as_view()`` copies the
    attributes of ``dispatch``.
    """
    return getattr(view_func, ATTRIBUTE, None)


def allowed_during_password_change(view_func) -> bool:
    return getattr(view_func, PASSWORD_CHANGE_ATTRIBUTE, False)


def declare_patterns(level: Access, urlconf):
    """Declare ``level`` for every view of a third-party URLconf (e.g. the admin).

    Accepts what ``path(..., include(...))`` accepts and returns it.
    """
    patterns = urlconf[0] if isinstance(urlconf, tuple) else urlconf
    _mark_patterns(level, patterns)
    return urlconf


def _mark_patterns(level, patterns):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            _mark_patterns(level, pattern.url_patterns)
        elif declared_level(pattern.callback) is None:
            pattern.callback = _with_level(pattern.callback, level)


def _with_level(view, level):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        return view(*args, **kwargs)

    setattr(wrapper, ATTRIBUTE, level)
    return wrapper


def url_with_next(url: str, next_url: str) -> str:
    from django.utils.http import urlencode

    return f"{url}?{urlencode({'next': next_url})}" if next_url else url
