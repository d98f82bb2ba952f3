"""Known browsers: where a user completed a login (decision in docs/security.md).

A browser's signed cookie holds random tokens, one per user who completed a
login on it (at most ``MAX_USERS``); each token is a ``KnownBrowser`` row.
The row is *trust* — it lets the browser past the per-ID ceiling
(accounts.identity.lockout) and spares the user the new-device mail — only while:

- the user's credentials are still those of that login: the row holds an
  HMAC over the password hash and ``User.session_stamp``, so a password
  change, a temporary password, a 2FA reset and 退職 void it (as they void
  sessions); the browser where the user changed their own password keeps it;
- it is younger than ``LOGIN_KNOWN_BROWSER_DAYS`` (each login renews it);
- fewer than ``LOGIN_KNOWN_BROWSER_FAILURES`` wrong passwords for that user
  came with it, counted in the row: a copied cookie buys a handful of
  guesses, not a way past the ceiling.

Logging out in the browser (any logout: the button, the console's, a timeout
noticed there) removes the user's trust unless they ticked 「このブラウザを信頼する」
at the login, so a shared PC does not vouch for the people who logged out on it.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts.models import KnownBrowser, Tenant, User
from accounts.policy import login_id_key

COOKIE = "netdekomon_known"
SALT = "accounts.identity.lockout.known_browser"
MAX_USERS = 10  # a shared PC remembers the last ten people who logged in on it


def credentials(user: User) -> str:
    """What a password change, a temporary password, a 2FA reset and 退職 all change."""
    return salted_hmac(SALT, f"{user.password}:{user.session_stamp}", algorithm="sha256").hexdigest()


def _max_age() -> int:
    return settings.LOGIN_KNOWN_BROWSER_DAYS * 86400


def _tokens(request) -> list[str]:
    value = request.get_signed_cookie(COOKIE, default="", salt=SALT, max_age=_max_age())
    return value.split()


def companies(request) -> list[Tenant]:
    """The companies of the people who completed a login in this browser (its signed cookie),
    for the login page's 「パスワードを忘れた場合」: whose 問い合わせ先 to show."""
    tokens = _tokens(request)
    if not tokens:
        return []
    since = timezone.now() - timedelta(days=settings.LOGIN_KNOWN_BROWSER_DAYS)
    return list(Tenant.objects.filter(users__known_browsers__token__in=tokens,
                                      users__known_browsers__created_at__gt=since).distinct().order_by("name"))


def _entry(request, user: User) -> KnownBrowser | None:
    tokens = _tokens(request)
    return KnownBrowser.objects.filter(user=user, token__in=tokens).first() if tokens else None


def _valid(entry: KnownBrowser | None, user: User) -> bool:
    return (entry is not None
            and secrets.compare_digest(entry.credentials, credentials(user))
            and entry.created_at > timezone.now() - timedelta(days=settings.LOGIN_KNOWN_BROWSER_DAYS)
            and entry.failures < settings.LOGIN_KNOWN_BROWSER_FAILURES)


def trusted(request, user: User) -> bool:
    """Whether this browser holds valid trust for ``user``."""
    return _valid(_entry(request, user), user)


def count_failure(request, login_id: str) -> None:
    """A wrong password for ``login_id`` came with this browser's cookie: it counts against its token."""
    tokens = _tokens(request)
    if tokens:
        KnownBrowser.objects.filter(token__in=tokens, user__login_key=login_id_key(login_id)).update(
            failures=F("failures") + 1)


def kept(request, user: User) -> bool:
    """This browser holds valid trust for ``user`` that they chose to keep (「このブラウザを信頼する」):
    a login that asks no such question (「パスキーでログイン」) keeps it."""
    entry = _entry(request, user)
    return _valid(entry, user) and entry.kept


def remember(request, response, user: User, *, keep: bool) -> bool:
    """A login as ``user`` completed here: a fresh token (the old one of this browser goes,
    so a copy of the cookie taken earlier stops counting). True when the browser held no
    valid trust for the user before."""
    tokens = _tokens(request)
    old = _entry(request, user)
    new = not _valid(old, user)
    expired = timezone.now() - timedelta(days=settings.LOGIN_KNOWN_BROWSER_DAYS)
    KnownBrowser.objects.filter(user=user, created_at__lte=expired).delete()
    if old is not None:
        old.delete()
    entry = KnownBrowser.objects.create(token=secrets.token_urlsafe(32), user=user,
                                        credentials=credentials(user), kept=keep)
    others = set(KnownBrowser.objects.filter(token__in=tokens).values_list("token", flat=True))
    _set_cookie(response, [entry.token, *(t for t in tokens if t in others)])  # in their order
    return new


def renew(request, user: User, *, was_trusted: bool) -> None:
    """The user changed their own password in this browser: the trust it held follows."""
    if was_trusted:
        KnownBrowser.objects.filter(user=user, token__in=_tokens(request)).update(
            credentials=credentials(user))


def forget(request, user: User) -> None:
    """A logout in this browser (any: the button, the console's, a timeout noticed here):
    it no longer vouches for ``user``, unless they chose to keep it. The token left in the
    cookie matches nothing and goes at the next login."""
    tokens = _tokens(request)
    if tokens:
        KnownBrowser.objects.filter(user=user, token__in=tokens, kept=False).delete()


def _set_cookie(response, tokens: list[str]) -> None:
    response.set_signed_cookie(
        COOKIE, " ".join(tokens[:MAX_USERS]), salt=SALT, max_age=_max_age(),
        secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax",
    )
