"""What an app above ``accounts`` adds to the password login, without ``accounts``
importing it (README, "Architecture"): single sign-on (the ``sso`` app registers its
``CompanyLogin`` in its ``AppConfig.ready``).

- ``offered()``: the login page shows 「会社のアカウントでログイン」, a button that posts
  the typed login ID to ``find_url`` (some company uses single sign-on);
- ``password_refused(request, user)``: the message refusing ``user`` the password login (their
  company requires single sign-on), or None; asked once the password is known right;
- ``password_login_done(request, user)``: a password login just finished (a break-glass
  use is recorded and mailed).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class CompanyLogin:
    offered: Callable[[], bool]
    find_url: Callable[[], str]
    password_refused: Callable[[object, object], str | None]
    password_login_done: Callable[[object, object], None]


_registered: list[CompanyLogin] = []


def register(company_login: CompanyLogin) -> None:
    if company_login not in _registered:
        _registered.append(company_login)


def find_url() -> str:
    """The URL 「会社のアカウントでログイン」 posts to, or "" when no company uses it."""
    for hook in _registered:
        if hook.offered():
            return hook.find_url()
    return ""


def password_refused(request, user) -> str | None:
    for hook in _registered:
        message = hook.password_refused(request, user)
        if message:
            return message
    return None


def password_login_done(request, user) -> None:
    for hook in _registered:
        hook.password_login_done(request, user)
