"""The audit kinds: each security event kind, its typed facts and its words.

One entry per kind in ``KINDS`` (below): the facts ``events.record`` accepts
for it (``fields``: name → type, or the tuple of allowed values), the
console's sentence (``sentence``), for the kinds the user sees in
ログイン履歴 their own line (``history``; both worded in ``words``), and for the
kinds the user is mailed about, the notice (``mail``, worded in
``accounts.event_mails``). The facts' stored values are in ``facts``. The database stores the kind's
value without choices and the facts as JSON (``SecurityEvent.data``), so a
new kind is a ``Kind`` member and a ``KINDS`` entry: no migration
(``accounts.audit.events`` says how to add one; ``accounts.checks`` verifies that
every kind has its entry). Imports no model: ``accounts.models`` imports it.
"""

from collections.abc import Mapping
from copy import copy
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import event_mails

from . import words
from .facts import (  # noqa: F401  (also read as event_kinds.WRONG_PASSWORD …)
    CEILING, ENDED, LIFETIME, LIMIT, LOCKED, OTHERS_ENDED, OUTCOMES, PER_ADDRESS, TAKEN,
    SSO_REASONS, TEMPORARY_PASSWORD_EXPIRED, WRONG_CURRENT_PASSWORD, WRONG_PASSWORD,
)
from .legacy import legacy_data
from .words import Render


class Kind(models.TextChoices):
    """The kinds' stored values and names (the console's 種類 column and filter)."""

    LOGIN_SUCCESS = "login_success", gettext_lazy("ログイン")
    LOGIN_FAILURE = "login_failure", gettext_lazy("ログイン失敗")
    LOCKOUT = "lockout", gettext_lazy("ログイン制限")
    LOCKOUT_LIFTED = "lockout_lifted", gettext_lazy("ログイン制限の解除")
    CODE_SUCCESS = "code_success", gettext_lazy("認証コードの確認（ログインの一部）")
    CODE_FAILURE = "code_failure", gettext_lazy("認証コード誤り")
    CODE_THROTTLED = "code_throttled", gettext_lazy("認証コードの入力を一時停止")
    MODE_CHOSEN = "mode_chosen", gettext_lazy("利用範囲の選択（ログインの一部）")
    STEP_UP = "step_up", gettext_lazy("すべての機能への切り替え")
    SETUP = "setup", gettext_lazy("2要素認証 初期設定")
    RESET = "reset", gettext_lazy("2要素認証 初期化")
    RESET_DENIED = "reset_denied", gettext_lazy("2要素認証 初期化の拒否")
    PASSWORD_CHANGED = "password_changed", gettext_lazy("パスワード変更")
    TEMP_PASSWORD_ISSUED = "temp_password_issued", gettext_lazy("仮パスワード発行")
    LOGOUT = "logout", gettext_lazy("ログアウト")
    LOGIN_ID_REFUSED = "login_id_refused", gettext_lazy("ログインIDの登録拒否")
    OFFBOARDED = "offboarded", gettext_lazy("退職（利用停止）")
    REACTIVATED = "reactivated", gettext_lazy("利用再開")
    EMPLOYEES_IMPORTED = "employees_imported", gettext_lazy("従業員の一括登録")
    IMPORT_COLUMNS_CHANGED = "import_columns_changed", gettext_lazy("一括登録の列の対応の変更")
    NEW_DEVICE = "new_device", gettext_lazy("新しい端末のお知らせ（ログインの一部）")
    OFFICE_IP_REFUSED = "office_ip_refused", gettext_lazy("社外からのアクセスを拒否")
    OFFICE_IP_CHANGED = "office_ip_changed", gettext_lazy("社外からのアクセス制限の変更")
    DECIDED = "decided", gettext_lazy("申請・届出の処理")
    PASSKEY_ADDED = "passkey_added", gettext_lazy("パスキーの登録")
    PASSKEY_REMOVED = "passkey_removed", gettext_lazy("パスキーの削除")
    PASSKEY_REFUSED = "passkey_refused", gettext_lazy("パスキーの拒否")
    LOGIN_POLICY_CHANGED = "login_policy_changed", gettext_lazy("ログインの設定の変更")
    RECOVERY_CODES_ISSUED = "recovery_codes_issued", gettext_lazy("回復コードの発行")
    RECOVERY_CODE_USED = "recovery_code_used", gettext_lazy("回復コードの使用")
    SSO_REFUSED = "sso_refused", gettext_lazy("シングルサインオンの拒否")
    SSO_BREAK_GLASS = "sso_break_glass", gettext_lazy("シングルサインオンの例外ログイン")
    SSO_SETTINGS_CHANGED = "sso_settings_changed", gettext_lazy("シングルサインオンの設定の変更")
    SSO_TESTED = "sso_tested", gettext_lazy("シングルサインオンの接続テスト")

@dataclass(frozen=True)
class Audit:
    """How one kind is recorded and told.

    ``fields``: the typed keyword arguments of ``events.record`` (type, or tuple of values).
    ``sentence(data, event)``: the console's 詳細 ("" when the kind says it all).
    ``history(data, event)``: the user's ログイン履歴 line; None: not shown there.
    ``shown_when``: lookups an event of the kind must also match to be shown there.
    ``failed``: shown as a failure in ログイン履歴.
    ``mail``: the notice mailed to the user (``accounts.audit.notices.mail_event``); None: not mailed."""

    fields: Mapping[str, type | tuple] = field(default_factory=dict)
    sentence: Render = lambda data, event: ""
    history: Render | None = None
    shown_when: Mapping[str, object] = field(default_factory=dict)
    failed: bool = False
    mail: event_mails.Mail | None = None


KINDS: dict[str, Audit] = {
    Kind.LOGIN_SUCCESS: Audit(
        fields={"method": ("code", "passkey", "recovery", "passwordless", "limited", "password",
                           "sso", "sso_code", "sso_limited")},
        sentence=words.login_success, history=words.login_success_history),
    Kind.LOGIN_FAILURE: Audit(
        fields={"reason": (WRONG_PASSWORD, TEMPORARY_PASSWORD_EXPIRED, WRONG_CURRENT_PASSWORD)},
        sentence=words.pick("reason", lambda: {
            WRONG_PASSWORD: _("IDまたはパスワードの誤り"),
            TEMPORARY_PASSWORD_EXPIRED: _("仮パスワードの有効期限切れ"),
            WRONG_CURRENT_PASSWORD: _("パスワード変更で現在のパスワードの誤り")}, WRONG_PASSWORD),
        history=words.login_failure_history, failed=True),
    Kind.LOCKOUT: Audit(
        fields={"reason": (PER_ADDRESS, CEILING), "until": str},
        sentence=words.until(words.pick("reason", lambda: {
            PER_ADDRESS: _("同じIDと同じIPアドレスからの失敗が続いたため、一時的に制限"),
            CEILING: _("多くのアドレスから失敗が続いたため、初めての端末からのログインを一時的に制限")})),
        history=words.fixed(lambda: _("ログイン制限（失敗が続いたため受け付けず）")), failed=True),
    Kind.LOCKOUT_LIFTED: Audit(sentence=words.by, history=words.with_who(lambda: _("ログイン制限の解除（%(who)s）"))),
    Kind.CODE_SUCCESS: Audit(),
    Kind.CODE_FAILURE: Audit(history=words.fixed(lambda: _("認証コード誤り")), failed=True),
    Kind.CODE_THROTTLED: Audit(
        # After the first wrong code too: 「続いた」 would overstate one mistake (issue 26 ⑧).
        sentence=words.fixed(lambda: _("直前の認証コードが正しくなかったため、少しの間入力を受け付けず")),
        history=words.fixed(lambda: _("認証コードの入力を一時停止（直前のコードが正しくなかったため）")), failed=True),
    Kind.MODE_CHOSEN: Audit(
        fields={"mode": ("limited", "full")},
        sentence=words.pick("mode", lambda: {"limited": _("限定モード（就業打刻・明細閲覧のみ）で利用開始"),
                                        "full": _("すべての機能を利用（認証コードへ）")})),
    Kind.STEP_UP: Audit(
        fields={"method": ("code", "passkey", "recovery")},
        sentence=words.pick("method", lambda: {"code": _("認証コードで切り替え"), "passkey": _("パスキーで切り替え"),
                                               "recovery": _("回復コードで切り替え")}, "code"),
        history=words.pick("method", lambda: {"code": _("すべての機能に切り替え（認証コード）"),
                                              "passkey": _("すべての機能に切り替え（パスキー）"),
                                              "recovery": _("すべての機能に切り替え（回復コード）")}, "code")),
    Kind.SETUP: Audit(history=words.fixed(lambda: _("2要素認証の設定"))),
    Kind.RESET: Audit(fields={"passkeys": int}, sentence=words.reset,
                      history=words.with_who(lambda: _("2要素認証の初期化（%(who)s）")), mail=event_mails.RESET),
    Kind.RESET_DENIED: Audit(
        fields={"reason": (WRONG_PASSWORD, LOCKED), "action": ("passkey_add", "passkey_remove", "recovery_codes",
                                                                   "sso_settings")},
        sentence=words.reset_denied),
    Kind.PASSWORD_CHANGED: Audit(history=words.with_who(lambda: _("パスワード変更（%(who)s）")),
                                 mail=event_mails.PASSWORD_CHANGED),
    Kind.TEMP_PASSWORD_ISSUED: Audit(sentence=words.by, history=words.with_who(lambda: _("仮パスワード発行（%(who)s）")),
                                     mail=event_mails.TEMP_PASSWORD_ISSUED),
    Kind.LOGOUT: Audit(
        fields={"reason": (LIFETIME, ENDED, OTHERS_ENDED)}, sentence=words.logout,
        history=words.with_who(lambda: _("ログアウト（%(who)sがほかの端末から）")),
        shown_when={"data__reason__in": [ENDED, OTHERS_ENDED]}),
    Kind.LOGIN_ID_REFUSED: Audit(
        fields={"reason": (TAKEN, LIMIT)},
        sentence=words.pick("reason", lambda: {TAKEN: _("使用できないIDのため登録を拒否"),
                                          LIMIT: _("拒否が続いたため、新しいIDの登録を一時停止")})),
    Kind.OFFBOARDED: Audit(sentence=words.by),
    Kind.REACTIVATED: Audit(sentence=words.by),
    Kind.EMPLOYEES_IMPORTED: Audit(
        fields={"created": int, "updated": int, "offboarded": int, "reactivated": int}, sentence=words.imported),
    Kind.IMPORT_COLUMNS_CHANGED: Audit(
        fields={"chosen": int, "cleared": int, "kept": int, "skipped": int}, sentence=words.import_columns),
    Kind.NEW_DEVICE: Audit(history=words.fixed(lambda: _("新しい端末からのログイン（メールでお知らせ）")),
                           mail=event_mails.NEW_DEVICE),
    Kind.OFFICE_IP_REFUSED: Audit(
        fields={"where": ("login", "session")},
        sentence=words.pick("where", lambda: {
            "login": _("許可されていないアドレスからのログインを拒否（パスワードは正しい）"),
            "session": _("ログイン中の端末を、許可されていないアドレスからの利用のため拒否")}),
        history=words.fixed(lambda: _("社外からのアクセスを拒否（会社の設定）")), failed=True),
    Kind.OFFICE_IP_CHANGED: Audit(
        fields={"enabled": bool, "networks": int, "limited_anywhere": bool}, sentence=words.office_ip_changed),
    Kind.DECIDED: Audit(fields={"outcome": OUTCOMES, "created_by_requester": bool}, sentence=words.decided),
    Kind.PASSKEY_ADDED: Audit(fields={"name": str}, sentence=words.named(lambda: _("「%(name)s」を登録")),
                              history=words.named(lambda: _("パスキーの登録（%(name)s）")), mail=event_mails.PASSKEY_ADDED),
    Kind.PASSKEY_REMOVED: Audit(fields={"name": str}, sentence=words.named(lambda: _("「%(name)s」を削除")),
                                history=words.named(lambda: _("パスキーの削除（%(name)s）")),
                                mail=event_mails.PASSKEY_REMOVED),
    Kind.PASSKEY_REFUSED: Audit(fields={"reason": ("expired", "invalid", "unknown", "other_user", "cloned",
                                                   "inactive", "not_allowed", "locked")},
                                sentence=words.passkey_refused, history=words.fixed(lambda: _("パスキーでの認証を拒否")),
                                failed=True),
    Kind.LOGIN_POLICY_CHANGED: Audit(fields={"passwordless": bool, "recovery_codes": bool, "admins_need_passkey": bool},
                                     sentence=words.login_policy),
    Kind.RECOVERY_CODES_ISSUED: Audit(history=words.fixed(lambda: _("回復コードの発行")),
                                      mail=event_mails.RECOVERY_CODES_ISSUED),
    Kind.RECOVERY_CODE_USED: Audit(
        fields={"left": int}, sentence=lambda data, event: _("残り %(left)s 個") % {"left": data.get("left", 0)},
        history=lambda data, event: _("回復コードを使用（残り %(left)s 個）") % {"left": data.get("left", 0)},
        mail=event_mails.RECOVERY_CODE_USED),
    Kind.SSO_REFUSED: Audit(fields={"reason": SSO_REASONS}, sentence=words.sso_refused,
                            history=words.fixed(lambda: _("シングルサインオンでのログインを拒否")), failed=True),
    Kind.SSO_BREAK_GLASS: Audit(sentence=words.fixed(
        lambda: _("シングルサインオン必須の会社で、例外の会社管理者がパスワードと認証コードでログイン")),
        history=words.fixed(lambda: _("パスワードでのログイン（シングルサインオンの例外・管理者に通知）"))),
    Kind.SSO_SETTINGS_CHANGED: Audit(
        fields={"enabled": bool, "metadata": bool, "id_attribute": str, "id_is_email": bool,
                "a_ids_require_sso": bool, "second_factor": ("unless_mfa", "always", "never"), "break_glass": int},
        sentence=words.sso_settings),
    Kind.SSO_TESTED: Audit(fields={"outcome": ("passed", "failed")}, sentence=words.pick("outcome", lambda: {
        "passed": _("接続テストに成功"), "failed": _("接続テストに失敗")})),
}

# Every event may carry the acting account's login ID (kept when the account is deleted).
COMMON_FIELDS = {"actor_login_id": str}


def label(kind: str) -> str:
    """The kind's name; its stored value when the kind is unknown (a kind since removed)."""
    try:
        return Kind(kind).label
    except ValueError:
        return kind


def audit(kind: str) -> Audit:
    """The kind's entry; ValueError for an unknown kind."""
    try:
        return KINDS[kind]
    except KeyError:
        raise ValueError(f"Unknown security event kind {kind!r}: add it to accounts.event_kinds.KINDS") from None


def validated(kind: str, data: dict) -> dict:
    """``data`` checked against the kind's fields (TypeError/ValueError when it does not fit)."""
    fields = {**COMMON_FIELDS, **audit(kind).fields}
    for name, value in data.items():
        if name not in fields:
            raise TypeError(f"A {kind} event has no fact {name!r}")
        expected = fields[name]
        fits = value in expected if isinstance(expected, tuple) else (
            isinstance(value, expected) and not (expected is int and isinstance(value, bool)))
        if not fits:
            raise ValueError(f"{kind}.{name} cannot be {value!r}")
    return data


def sentence(event) -> str:
    """The console's 詳細 of ``event``, from its facts; an old row's free text is read
    as the facts it meant (``legacy``), and never shown raw unless it is Japanese."""
    data = event.data
    if not data and event.detail:
        data = legacy_data(event.kind, event.detail)
        if data is None:
            return event.detail if not event.detail.isascii() else ""
        event = copy(event)  # read as the facts it meant (the row stays as it is)
        event.data = data
    entry = KINDS.get(event.kind)
    return entry.sentence(data, event) if entry is not None else ""


def history_line(event) -> str:
    entry = KINDS.get(event.kind)
    if entry is None or entry.history is None:
        return label(event.kind)
    return entry.history(event.data, event)

