"""How long a login session lives, and why it ended.

Idle: SESSION_IDLE_SECONDS (30 minutes) in full mode, the longer
SESSION_LIMITED_IDLE_SECONDS in the limited (punch) mode. Absolute:
however active a session is, it ends SESSION_ABSOLUTE_SECONDS (12 h) after
the login; the user logs in again with the password (and the code). The
session store's own expiry cannot do this: it is pushed back every time the
session is saved.

When a session ends without the user asking (idle, lifetime, or ended
elsewhere: a 2FA reset, a password change, an administrator, ログイン中の端末
of another device), the reason is kept in the fresh session and the login
page says it once
(``pop_logout_notice``); the access middleware's ``next`` brings the user
back to the page they were on. Pages warn SESSION_WARNING_SECONDS before
the idle limit (``static/js/session.js``, ``seconds_left``, ``touch``).
"""

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.utils.translation import gettext, gettext_lazy as _

from accounts import event_kinds
from accounts.sessions import user_sessions
from accounts.sessions.state import (
    LAST_SEEN_SESSION_KEY, LOGOUT_REASON_SESSION_KEY, STARTED_SESSION_KEY, forget_state, login_state, mark_login,
)

IDLE, LIFETIME, ENDED, LOGGED_OUT = "idle", "lifetime", "ended", "logout"
ENDED_BY_USER, ENDED_BY_ADMIN = user_sessions.ENDED_BY_USER, user_sessions.ENDED_BY_ADMIN
NOTICES = {
    IDLE: _("一定時間操作がなかったため、ログアウトしました。もう一度ログインしてください。"),
    ENDED: _("セキュリティのため、ログアウトしました。パスワードの変更、2要素認証の初期化または管理者の操作により、"
             "このログインは終了しています。もう一度ログインしてください。"),
    ENDED_BY_USER: _("ほかの端末からの操作（ログイン中の端末）で、この端末はログアウトされました。もう一度ログインしてください。"
                     "心当たりがない場合は、ログイン後にパスワードを変更し、会社の管理者にご連絡ください。"),
    ENDED_BY_ADMIN: _("会社の管理者の操作で、この端末はログアウトされました。もう一度ログインしてください。"),
    LOGGED_OUT: _("ログアウトしました。"),
}


def idle_seconds(request) -> int:
    return login_state(request).idle_seconds


def idle_expired(request) -> bool:
    """Idle too long for the session's mode; otherwise note the activity (at most once a minute)."""
    now = int(time.time())
    last_seen = request.session.get(LAST_SEEN_SESSION_KEY)
    if last_seen is not None and now - last_seen > idle_seconds(request):
        return True
    if last_seen is None or now - last_seen >= 60:
        request.session[LAST_SEEN_SESSION_KEY] = now
    return False


def touch(request) -> None:
    """「ログインを延長」: the idle time starts again now."""
    request.session[LAST_SEEN_SESSION_KEY] = int(time.time())


def seconds_left(request) -> int:
    """Seconds until the idle limit, as the server counts them."""
    last_seen = request.session.get(LAST_SEEN_SESSION_KEY, int(time.time()))
    return max(0, idle_seconds(request) - (int(time.time()) - last_seen))


def end_session(request, reason: str) -> None:
    """Log out and remember why in the fresh session (for the login page)."""
    if request.user.is_authenticated:
        logout(request)
    else:
        request.session.flush()
    forget_state(request)
    request.session[LOGOUT_REASON_SESSION_KEY] = reason


def pop_logout_notice(request):
    """The login page's one-time explanation of why the last session ended, or None."""
    reason = request.session.pop(LOGOUT_REASON_SESSION_KEY, None)
    if reason == LIFETIME:
        hours = settings.SESSION_ABSOLUTE_SECONDS // 3600
        return gettext("ログインから%(hours)d時間たったため、ログアウトしました。もう一度ログインしてください。") % {
            "hours": hours}
    return NOTICES.get(reason)


def end_expired(request) -> None:
    """The login gate's ``lifetime`` guard: end the session when it idled out or outlived
    the absolute lifetime, or say why when Django already dropped it."""
    had_login = SESSION_KEY in request.session
    if request.user.is_authenticated:
        started = request.session.get(STARTED_SESSION_KEY)
        if started is None:  # a session from before this rule: its lifetime starts now
            mark_login(request)
        elif int(time.time()) - started > settings.SESSION_ABSOLUTE_SECONDS:
            request.netdekomon_logout_reason = event_kinds.LIFETIME
            end_session(request, LIFETIME)
        if request.user.is_authenticated and idle_expired(request):
            end_session(request, IDLE)
    elif had_login:
        # Django dropped the session: its auth hash no longer matches (password
        # changed, 2FA reset, administrator) or the account cannot log in.
        end_session(request, ENDED)
    elif reason := user_sessions.ended_elsewhere(request):
        # Ended from another device (ログイン中の端末, the console): the store no
        # longer has the session its cookie names; the reason was left beside it.
        end_session(request, reason)
