"""The notices mailed to a user about security events on their account.

Each notice is the ``mail`` of its kind's entry in ``event_kinds.KINDS``
(beside the console's sentence and the ログイン履歴 line), rendered from the
recorded event — its time, address, browser, the user and who acted — by
``accounts.audit.notices.mail_event``. Mails are always Japanese
(``kit.mail``: the recipient's language is not known), so the wording is
plain Japanese here, not translatable strings.

A notice reads: the opening (what happened, when, by whom), the facts as
「項目: 値」 lines, the advice (what to do now), and what to do if it was
not the user (``unexpected``).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import dateformat, timezone

from kit.user_agents import describe

SERVICE = "ネット de 顧問"
DATE_FORMAT = "Y年n月j日 H:i"
CONTACT_ADMIN = "お心当たりがない場合は、至急、会社の管理者にご連絡ください。"


def when(moment) -> str:
    """「2026年4月1日 09:15」 in the service's time zone."""
    return dateformat.format(timezone.localtime(moment), DATE_FORMAT) if moment else ""


def account(event) -> str:
    return f"{SERVICE}（ログインID: {event.login_id or event.user.login_id}）"


def by_self(event) -> bool:
    """Only the user's own act is 「ご自身の操作」; an act with no recorded actor
    (a system task, a removed administrator) reads as the administrator's."""
    return event.actor_id is not None and event.actor_id == event.user_id


@dataclass(frozen=True)
class Mail:
    """One kind's notice; each part is read from the event."""

    subject: str
    opening: Callable[[object], str]
    facts: Callable[[object], list[tuple[str, str]]] = lambda event: []
    advice: Callable[[object], str] = lambda event: ""
    unexpected: str = CONTACT_ADMIN

    def context(self, event) -> dict:
        """The template context of ``accounts/email/security_notice``."""
        return {"subject": f"【{SERVICE}】{self.subject}", "opening": self.opening(event),
                "facts": self.facts(event), "advice": self.advice(event), "unexpected": self.unexpected}


PASSWORD_CHANGED = Mail(
    subject="パスワードが変更されました",
    opening=lambda event: f"{account(event)}のパスワードが {when(event.created_at)} に変更されました。",
)

TEMP_PASSWORD_ISSUED = Mail(
    subject="仮パスワードが発行されました",
    opening=lambda event: (
        f"{account(event)}の仮パスワードが {when(event.created_at)} に管理者により発行されました。\n"
        "これまでのパスワードは使えなくなり、ログイン中の端末はすべてログアウトしました。"),
    advice=lambda event: (
        "仮パスワードは管理者からお受け取りください（このメールには記載していません）。\n"
        f"有効期限は {when(event.user.password_expires_at)} です。期限を過ぎた場合は、管理者に再発行を依頼してください。\n"
        "ログイン後、認証コードを入力すると新しいパスワードの設定画面が表示されますので、"
        "ご自身で新しいパスワードを設定してください。"),
)

RESET = Mail(
    subject="2要素認証が初期化されました",
    opening=lambda event: (
        f"{account(event)}の2要素認証が {when(event.created_at)} に"
        f"{'ご自身の操作で' if by_self(event) else '管理者の操作で'}初期化されました。"),
    advice=lambda event: (
        "次回ログイン時に、認証アプリへの登録（初期設定）をやり直してください。\n"
        "以前にアプリへ登録したキーやバックアップ（authenticator.txt）のコードは使えなくなりました。"
        + (f"\n登録されていたパスキー（{event.data['passkeys']}件）も削除されました。必要であれば登録し直してください。"
           if event.data.get("passkeys") else "")),
)

def _where(event) -> list[tuple[str, str]]:
    """Where an act came from: the address and the browser."""
    return [("IPアドレス", event.ip_address or "-"), ("ブラウザ / OS / 端末", str(describe(event.user_agent)))]


NEW_DEVICE = Mail(
    subject="新しい端末からログインがありました",
    opening=lambda event: f"{account(event)}に、これまでログインに使われていない端末（ブラウザ）からログインがありました。",
    facts=lambda event: [("日時", when(event.created_at)), *_where(event)],
    advice=lambda event: "ご本人のログインであれば、このメールへの対応は不要です。",
    unexpected=("お心当たりがない場合は、パスワードと認証コードが第三者に知られているおそれがあります。\n"
                "至急、会社の管理者に連絡し、2要素認証の初期化と仮パスワードの発行を依頼してください。\n"
                "ログイン中の端末は「ログイン中の端末」の画面からログアウトさせることもできます。"),
)


def _passkey_facts(event) -> list[tuple[str, str]]:
    return [("パスキーの名前", event.data.get("name", "")), ("日時", when(event.created_at)), *_where(event)]


_PASSKEY_UNEXPECTED = ("お心当たりがない場合は、パスワードと認証コードが第三者に知られているおそれがあります。\n"
                       "至急、会社の管理者に連絡し、2要素認証の初期化と仮パスワードの発行を依頼してください。")

PASSKEY_ADDED = Mail(
    subject="パスキーが登録されました",
    opening=lambda event: f"{account(event)}に、新しいパスキーが登録されました。今後のログインで認証コードの代わりに使えます。",
    facts=_passkey_facts,
    advice=lambda event: "ご本人の操作であれば、このメールへの対応は不要です。",
    unexpected=_PASSKEY_UNEXPECTED,
)

PASSKEY_REMOVED = Mail(
    subject="パスキーが削除されました",
    opening=lambda event: f"{account(event)}のパスキーが削除されました。このパスキーではログインできなくなりました。",
    facts=_passkey_facts,
    advice=lambda event: "ご本人の操作であれば、このメールへの対応は不要です。",
    unexpected=_PASSKEY_UNEXPECTED,
)

RECOVERY_CODES_ISSUED = Mail(
    subject="回復コードが発行されました",
    opening=lambda event: (f"{account(event)}の回復コード（10個）が {when(event.created_at)} に発行されました。"
                           "以前に発行した回復コードは使えなくなりました。"),
    facts=_where,
    advice=lambda event: "回復コードは、スマートフォンを紛失したときのために、人に見られない場所に保管してください。",
    unexpected=_PASSKEY_UNEXPECTED,
)

RECOVERY_CODE_USED = Mail(
    subject="回復コードでログインがありました",
    opening=lambda event: (f"{account(event)}に、回復コードを使ったログインが {when(event.created_at)} にありました。"
                           f"残りの回復コードは {event.data.get('left', 0)} 個です。"),
    facts=_where,
    advice=lambda event: ("スマートフォンを紛失した場合は、「2要素認証の設定」で2要素認証を初期化し、"
                          "新しいスマートフォンで設定し直してください。回復コードも発行し直せます。"),
    unexpected=_PASSKEY_UNEXPECTED,
)
