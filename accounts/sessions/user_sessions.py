"""ログイン中の端末: the open login sessions of a user, and ending them.

A small table (``UserSession``) keyed by the session key, next to the
database sessions (never a scan of ``django_session``):

- a row is written at the login (``user_logged_in``) and follows the session
  when it changes: a new key (the code step, a password change), the mode,
  the throttled last activity of ``accounts.sessions.lifetime`` — compared
  with a snapshot kept in the session, so an unchanged request writes nothing;
- the row goes at the logout, when the session is ended from here, and when
  every other session of the user ended (password change, 2FA reset,
  temporary password, 退職: ``user_sessions_end``); rows whose session idled out or
  outlived the absolute lifetime are not shown and are deleted at the
  user's next login.

Ending a session deletes it from the session store: its next request is
anonymous. A request of that session already under way finds its row gone
when it writes the snapshot and flushes the session. Why it ended (the user
from another device, or the company administrator) is left under a key
derived from the ended one (``_notice_key``), never under the key itself: a
request of the ended session still running could otherwise save its login
back into it. The login gate's ``lifetime`` guard finds it when that browser
comes back with its cookie (``ended_elsewhere``) and the login page says it.
"""

from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.backends.base import CreateError
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts import event_kinds
from accounts.audit import events
from accounts.models import UserSession
from kit.net import client_ip, user_agent
from accounts.sessions.state import LAST_SEEN_SESSION_KEY, MODE_LIMITED, MODE_SESSION_KEY, STARTED_SESSION_KEY

ROW_SESSION_KEY = "netdekomon_row"  # [session key, mode, last seen] as last written to the row
# Why a session was ended from elsewhere, kept for its browser's next request.
ENDED_BY_USER = "ended_by_user"  # the user, on ログイン中の端末 of another device
ENDED_BY_ADMIN = "ended_by_admin"  # the company administrator, in the console
NOTICE_SESSION_KEY = "netdekomon_ended_notice"


def session_started(request, user) -> None:
    """A login completed (django.contrib.auth.login(), the key was just cycled)."""
    session = request.session
    if session.session_key is None:
        session.save()
    _dead(user).delete()
    UserSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={"user": user, "ip_address": client_ip(request) or None,
                  "user_agent": user_agent(request), "mode": session.get(MODE_SESSION_KEY, ""),
                  "created_at": timezone.now(), "last_seen": timezone.now()},
    )
    session[ROW_SESSION_KEY] = _snapshot(session)


def current_key(request) -> str | None:
    """The session key this request's row is stored under (the key may have changed since)."""
    session = getattr(request, "session", None)
    row = session.get(ROW_SESSION_KEY) if session is not None else None
    return row[0] if row else None


def session_ended(request) -> None:
    """Logout: the row goes with the session."""
    keys = {current_key(request), request.session.session_key} - {None}
    if keys:
        UserSession.objects.filter(session_key__in=keys).delete()


def sessions_of(user):
    """The user's open sessions, the most recently used first."""
    return UserSession.objects.filter(user=user).exclude(pk__in=_dead(user).values("pk"))


def session_end(*, user, session: UserSession, actor, request=None) -> None:
    """End one session of ``user`` (from the user's own page or the console)."""
    _delete_stored([session.session_key], reason=_reason(user, actor))
    session.delete()
    events.record(request, events.Kind.LOGOUT, user=user, actor=actor, reason=event_kinds.ENDED)


def sessions_end_others(*, user, actor, request) -> int:
    """End every session of ``user`` except the request's own; returns how many."""
    count = user_sessions_end(user=user, keep=request, actor=actor)
    if count:
        events.record(request, events.Kind.LOGOUT, user=user, actor=actor, reason=event_kinds.OTHERS_ENDED)
    return count


def user_sessions_end(*, user, keep=None, by_new_hash: bool = False, actor=None) -> int:
    """End every session of ``user`` and remove its ログイン中の端末 row; returns how many ended.

    The one way sessions end for a user (password change, 2FA reset,
    temporary password, 退職, 他の端末からログアウト, the console). ``keep``:
    a request whose own session stays when it belongs to ``user``.
    ``by_new_hash``: the caller gave the user a new auth hash
    (``User.end_all_sessions`` or a new password), which already ended every
    session, rows or not; the stored sessions stay until their next request
    so it can say why it was logged out (「セキュリティのため…」).
    ``actor``: who ended them from another device (the user or an administrator),
    said on the login page of each ended browser.
    """
    own = keep is not None and getattr(getattr(keep, "user", None), "pk", None) == user.pk
    kept_keys = {current_key(keep), keep.session.session_key} - {None} if own else set()
    rows = UserSession.objects.filter(user=user).exclude(session_key__in=kept_keys)
    keys = list(rows.values_list("session_key", flat=True))
    if not by_new_hash:
        _delete_stored(keys, reason=_reason(user, actor) if actor is not None else None)
    rows.filter(session_key__in=keys).delete()
    return len(keys)


def follow(request, response) -> None:
    """The login gate's ``user_sessions`` guard: the request's row follows its session."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and hasattr(request, "session"):
        sync(request)


def sync(request) -> None:
    session = request.session
    if session.session_key is None:
        return
    written = session.get(ROW_SESSION_KEY)
    now = _snapshot(session)
    if written == now:
        return
    if written is None:  # a session from before this table: it gets its row now
        session_started(request, request.user)
        return
    started = session.get(STARTED_SESSION_KEY)
    if written[:2] == now[:2] and written[2] is None and started and now[2] - started < 60:
        # The first activity noted right after the login: the row's last_seen is the login time.
        session[ROW_SESSION_KEY] = now
        return
    updated = UserSession.objects.filter(session_key=written[0], user=request.user).update(
        session_key=now[0], mode=now[1], last_seen=timezone.now(), ip_address=client_ip(request) or None,
    )
    if updated:
        session[ROW_SESSION_KEY] = now
    else:  # ended from another device while this request ran
        session.flush()


def _snapshot(session) -> list:
    return [session.session_key, session.get(MODE_SESSION_KEY, ""), session.get(LAST_SEEN_SESSION_KEY)]


def _dead(user):
    """Rows whose session has idled out or outlived the absolute lifetime."""
    now = timezone.now()
    idle = now - timedelta(seconds=settings.SESSION_IDLE_SECONDS)
    limited_idle = now - timedelta(seconds=settings.SESSION_LIMITED_IDLE_SECONDS)
    return UserSession.objects.filter(user=user).filter(
        Q(created_at__lt=now - timedelta(seconds=settings.SESSION_ABSOLUTE_SECONDS))
        | Q(mode=MODE_LIMITED, last_seen__lt=limited_idle)
        | (~Q(mode=MODE_LIMITED) & Q(last_seen__lt=idle))
    )


def ended_elsewhere(request) -> str | None:
    """Why this request's session was ended from another device (ENDED_BY_USER or
    ENDED_BY_ADMIN), read once; None when its cookie names no session ended that way.
    Only a request whose cookie names a session the store no longer has asks (one query)."""
    key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not key:
        return None
    request.session.keys()  # loaded: a key the store does not have is dropped
    if request.session.session_key is not None:
        return None
    store = _store()
    notice = store(session_key=_notice_key(key))
    reason = notice.get(NOTICE_SESSION_KEY)
    if reason is not None:
        notice.delete()
    return reason


def _reason(user, actor) -> str:
    return ENDED_BY_USER if actor is not None and actor.pk == user.pk else ENDED_BY_ADMIN


def _notice_key(key: str) -> str:
    return salted_hmac("accounts.sessions.ended", key).hexdigest()[:32]


def _store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def _delete_stored(keys, *, reason: str | None = None) -> None:
    store = _store()
    for key in keys:
        store(session_key=key).delete(key)
        if reason is None:
            continue
        # Said to that browser at its next request. Created empty first: writing into a
        # store whose key has no row yet would load it, find nothing and drop the key.
        notice = store(session_key=_notice_key(key))
        try:
            notice.save(must_create=True)
        except CreateError:  # said already
            continue
        notice[NOTICE_SESSION_KEY] = reason
        notice.set_expiry(settings.SESSION_ABSOLUTE_SECONDS)  # of no use after the login's lifetime
        notice.save()
