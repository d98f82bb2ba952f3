"""ログイン履歴: the security events that matter to the user, in words.

Only the user's own events (``SecurityEvent.user``), of the last
LOGIN_HISTORY_DAYS; never a code or password (events never hold one)."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import events
from accounts.models import SecurityEvent
from kit.user_agents import Described, describe

Kind = SecurityEvent.Kind
SHOWN = [Kind.LOGIN_SUCCESS, Kind.LOGIN_FAILURE, Kind.LOCKOUT, Kind.CODE_FAILURE, Kind.CODE_THROTTLED,
         Kind.STEP_UP, Kind.SETUP, Kind.RESET, Kind.PASSWORD_CHANGED, Kind.TEMP_PASSWORD_ISSUED,
         Kind.NEW_DEVICE, Kind.LOGOUT, Kind.OFFICE_IP_REFUSED]
FAILED = {Kind.LOGIN_FAILURE, Kind.LOCKOUT, Kind.CODE_FAILURE, Kind.CODE_THROTTLED, Kind.OFFICE_IP_REFUSED}


@dataclass
class Entry:
    event: SecurityEvent
    what: str
    failed: bool
    agent: Described


def events_of(user):
    """The user's own shown events of the last LOGIN_HISTORY_DAYS, newest first."""
    since = timezone.now() - timedelta(days=settings.LOGIN_HISTORY_DAYS)
    return (SecurityEvent.objects.filter(user=user, kind__in=SHOWN, created_at__gte=since)
            .exclude(kind=Kind.LOGOUT, detail="").exclude(kind=Kind.LOGOUT, detail="session lifetime")
            .only("created_at", "kind", "detail", "ip_address", "user_agent", "actor_id", "user_id")
            .order_by("-created_at", "-pk"))


def entry(event: SecurityEvent) -> Entry:
    return Entry(event, describe_event(event), event.kind in FAILED, describe(event.user_agent))


def describe_event(event: SecurityEvent) -> str:
    by_self = event.actor_id is None or event.actor_id == event.user_id
    who = _("本人") if by_self else _("管理者")
    kind, detail = event.kind, event.detail
    if kind == Kind.LOGIN_SUCCESS:
        if detail == "limited":
            return _("ログイン成功（就業打刻・明細閲覧のみ）")
        if detail == "code":
            return _("ログイン成功（すべての機能）")
        return _("ログイン成功（パスワードのみ）")
    if kind == Kind.LOGIN_FAILURE:
        if detail == events.WRONG_CURRENT_PASSWORD:
            return _("パスワード変更の失敗（現在のパスワード誤り）")
        if detail == "temporary password expired":
            return _("ログイン失敗（仮パスワードの有効期限切れ）")
        return _("ログイン失敗（パスワード誤り）")
    if kind == Kind.LOGOUT:
        return _("ログアウト（%(who)s がほかの端末から）") % {"who": who}
    words = {
        Kind.LOCKOUT: _("ログイン制限（失敗が続いたため受け付けず）"),
        Kind.CODE_FAILURE: _("認証コード誤り"),
        Kind.CODE_THROTTLED: _("認証コードの入力制限中"),
        Kind.STEP_UP: _("すべての機能に切り替え（認証コード）"),
        Kind.SETUP: _("2要素認証の設定"),
        Kind.RESET: _("2要素認証の初期化（%(who)s）") % {"who": who},
        Kind.PASSWORD_CHANGED: _("パスワード変更（%(who)s）") % {"who": who},
        Kind.TEMP_PASSWORD_ISSUED: _("仮パスワード発行（%(who)s）") % {"who": who},
        Kind.NEW_DEVICE: _("新しい端末からのログイン（メールでお知らせ）"),
        Kind.OFFICE_IP_REFUSED: _("社外からのアクセスを拒否（会社の設定）"),
    }
    return words.get(kind, event.get_kind_display())
