"""The words of the audit kinds: the console's 詳細 sentence and the ログイン履歴
line of each kind, read from an event's facts (``KINDS`` in ``accounts.event_kinds``
says which kind uses which)."""

from collections.abc import Callable
from datetime import datetime

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from .facts import ENDED, LIFETIME, LOCKED, OTHERS_ENDED, TEMPORARY_PASSWORD_EXPIRED, WRONG_CURRENT_PASSWORD

Render = Callable[[dict, object], str]


def person(account) -> str:
    """「管理 太郎（A1000001）」: the name and the login ID (the login ID alone without a name)."""
    if not account.name:
        return account.login_id
    return _("%(name)s（%(login_id)s）") % {"name": account.name, "login_id": account.login_id}


def actor(event) -> str:
    """Who acted: the acting account's name and login ID, or its login ID when the account is gone."""
    account = event.actor if getattr(event, "actor_id", None) else None
    return person(account) if account is not None else event.data.get("actor_login_id", "")


def by_whom(event) -> str:
    """本人 or 管理者, for the user's own history."""
    return _("本人") if event.actor_id is None or event.actor_id == event.user_id else _("管理者")


def by(data, event) -> str:
    who = actor(event)
    return _("%(who)sが実行") % {"who": who} if who else ""


def pick(key: str, words: Callable[[], dict], default: str = "") -> Render:
    """A sentence chosen by the value of the fact ``key``."""
    return lambda data, event: words().get(data.get(key, default), "")


def new_device(event) -> str:
    """The login's own note when it was this browser's first for the user (the
    ``from_new_device`` of accounts.activity.logins; the mail went with it)."""
    return _("・新しい端末から（本人にメールでお知らせ）") if getattr(event, "from_new_device", False) else ""


def login_success(data, event) -> str:
    how = {"code": _("認証コードでログイン（すべての機能）"), "passkey": _("パスキーでログイン（すべての機能）"),
           "recovery": _("回復コードでログイン（すべての機能）"),
           "passwordless": _("パスキーだけでログイン（ID・パスワードなし、すべての機能）"),
           "limited": _("限定モード（就業打刻・明細閲覧のみ）でログイン"),
           "password": _("パスワードでログイン（2要素認証の設定へ）"),
           "sso": _("シングルサインオンでログイン（すべての機能）"),
           "sso_code": _("シングルサインオンでログイン（続けて認証コードへ）"),
           "sso_limited": _("シングルサインオンで限定モード（就業打刻・明細閲覧のみ）でログイン")}.get(
               data.get("method"), _("ログイン"))
    return how + new_device(event)


def login_success_history(data, event) -> str:
    return login_success(data, event)


def passkey_refused(data, event) -> str:
    return {"expired": _("パスキーの確認の期限切れ（もう一度お試しください）"),
            "invalid": _("パスキーの応答を確認できず拒否"),
            "unknown": _("登録されていない（削除された）パスキーを拒否"),
            "other_user": _("ほかのアカウントのパスキーを拒否"),
            "cloned": _("複製のおそれがあるパスキーを拒否（署名カウンタが戻った）"),
            "inactive": _("利用停止（退職）のアカウントのパスキーを拒否"),
            "not_allowed": _("会社の設定によりパスキーだけでのログインを拒否"),
            "locked": _("ログイン制限中のため、パスキーでのログインを拒否")}.get(data.get("reason"), "")


def reset(data, event) -> str:
    removed = _("パスキー %(count)s件も削除") % {"count": data["passkeys"]} if data.get("passkeys") else ""
    return "・".join(part for part in (by(data, event), removed) if part)


def reset_denied(data, event) -> str:
    """A factor change refused for a wrong own password: a 2FA reset, or (``action``) a passkey's."""
    if data.get("reason") == LOCKED:
        return _("パスワードの誤りが続いたため、一時的に操作できない状態")
    return {"passkey_add": _("パスキーの登録で本人のパスワードの誤り"),
            "passkey_remove": _("パスキーの削除で本人のパスワードの誤り"),
            "recovery_codes": _("回復コードの発行で本人のパスワードの誤り"),
            "sso_settings": _("シングルサインオンの設定で本人のパスワードの誤り")}.get(
        data.get("action"), _("操作した管理者のパスワードの誤り"))


def named(text: Callable[[], str]) -> Render:
    return lambda data, event: text() % {"name": data.get("name", "")}


def login_failure_history(data, event) -> str:
    return {WRONG_CURRENT_PASSWORD: _("パスワード変更の失敗（現在のパスワード誤り）"),
            TEMPORARY_PASSWORD_EXPIRED: _("ログイン失敗（仮パスワードの有効期限切れ）")}.get(
        data.get("reason"), _("ログイン失敗（パスワード誤り）"))


def logout(data, event) -> str:
    reason = data.get("reason", "")
    if reason == LIFETIME:
        return _("一定時間の経過で自動的にログアウト")
    # An old row's 「ended by user」 names nobody: the user themself.
    by_self = event.actor_id == event.user_id if event.actor_id is not None else not actor(event)
    if reason == ENDED:
        return _("本人が端末をログアウト") if by_self else _("%(who)sが端末をログアウト") % {"who": actor(event)}
    if reason == OTHERS_ENDED:
        return (_("本人がほかの端末をすべてログアウト") if by_self
                else _("%(who)sがすべての端末をログアウト") % {"who": actor(event)})
    return ""


def import_columns(data, event) -> str:
    """列の対応 of 従業員の一括登録: how many columns were chosen anew or put back to their title,
    and what the company's remembered choice holds now."""
    parts = []
    if data.get("chosen"):
        parts.append(_("%(count)s 列の読み方を選び直し") % {"count": data["chosen"]})
    if data.get("cleared"):
        parts.append(_("%(count)s 列を見出しどおりに戻す") % {"count": data["cleared"]})
    if not data.get("kept"):
        now = _("以後はすべての列を見出しどおりに読み込み")
    else:
        now = _("以後も選んだ読み方 %(count)s 列（うち取り込まない %(skipped)s 列）") % {
            "count": data["kept"], "skipped": data.get("skipped", 0)}
    return _("従業員の一括登録の列の対応を保存：%(what)s。%(now)s") % {"what": "・".join(parts), "now": now}


def office_ip_changed(data, event) -> str:
    if not data.get("enabled"):
        return _("社外からのアクセス制限を解除")
    text = _("社外からのアクセス制限を有効（許可するアドレス %(count)s 件）") % {"count": data.get("networks", 0)}
    return text + (_("・就業打刻・明細閲覧は社外からも可") if data.get("limited_anywhere") else "")


def decided(data, event) -> str:
    outcomes = {"approved": _("承認"), "rejected": _("却下"), "accepted": _("受理"), "returned": _("差戻し"),
                "completed": _("完了")}
    outcome = data.get("outcome", "")
    text = _("「%(outcome)s」に処理") % {"outcome": outcomes.get(outcome, outcome)}
    if data.get("created_by_requester"):
        text += _("（処理した管理者のアカウントは申請者が登録したもの）")
    return text


def imported(data, event) -> str:
    return _("新規 %(create)s 名・更新 %(update)s 名・退職 %(offboard)s 名・在籍に戻す %(reactivate)s 名") % {
        "create": data.get("created", 0), "update": data.get("updated", 0),
        "offboard": data.get("offboarded", 0), "reactivate": data.get("reactivated", 0)}


def until(render: Render) -> Render:
    """``render``'s sentence, and when the event has ``until``, the time the restriction ends."""
    def sentence(data, event) -> str:
        text = render(data, event)
        try:
            end = localtime(datetime.fromisoformat(data["until"]))
        except (KeyError, TypeError, ValueError):
            return text
        return text + _("（%(when)s まで）") % {"when": date_format(end, "Y/m/d H:i")}
    return sentence


def fixed(text: Callable[[], str]) -> Render:
    return lambda data, event: text()


def with_who(text: Callable[[], str]) -> Render:
    return lambda data, event: text() % {"who": by_whom(event)}


def login_policy(data, event) -> str:
    passwordless = _("パスキーだけでのログインを許可") if data.get("passwordless") else _("パスキーだけでのログインを許可しない")
    codes = _("回復コードを使える") if data.get("recovery_codes", True) else _("回復コードを使えない")
    admins = _("会社管理者はパスキー必須") if data.get("admins_need_passkey") else ""
    return "・".join(part for part in (passwordless, codes, admins) if part)


def sso_refused(data, event) -> str:
    return {"invalid": _("IDプロバイダからの応答を確認できず拒否（署名・宛先・期限など）"),
            "replayed": _("使用済みのアサーションを拒否（再送）"),
            "unknown_user": _("この会社に該当するログインIDがないため拒否"),
            "inactive": _("利用停止（退職）のアカウントのため拒否"),
            "office_ip": _("許可されていないアドレスからのため拒否"),
            "password_required_sso": _("シングルサインオン必須のため、パスワードでのログインを拒否"),
            "not_enabled": _("シングルサインオンが有効でないため拒否")}.get(data.get("reason"), "")


def sso_settings(data, event) -> str:
    def yes(name):
        return _("する") if data.get(name) else _("しない")
    return _("利用: %(enabled)s、A-IDはSSOのみ: %(required)s、ログインID: %(attribute)s") % {
        "enabled": yes("enabled"), "required": yes("a_ids_require_sso"),
        "attribute": data.get("id_attribute") or "NameID"}
