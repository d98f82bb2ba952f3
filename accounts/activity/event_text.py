"""The security log in words: event details as sentences and user agents as
browser, OS and device (ua-parser), for the console."""

import re

from django.utils.translation import gettext as _

from accounts.audit import events
from accounts.audit.duties import CREATED_BY_REQUESTER
from accounts.identity.login_ids import LIMIT, TAKEN
from accounts.identity.lockout import CEILING, PER_ADDRESS
from kit.user_agents import describe

Kind = events.Kind


def _details():
    return {
        (Kind.MODE_CHOSEN, "limited"): _("限定モード（就業打刻・明細閲覧のみ）で利用開始"),
        (Kind.MODE_CHOSEN, "full"): _("すべての機能を利用（認証コードへ）"),
        (Kind.LOGIN_SUCCESS, "code"): _("認証コードでログイン"),
        (Kind.LOGIN_SUCCESS, "limited"): _("限定モード（就業打刻・明細閲覧のみ）でログイン"),
        (Kind.LOGIN_FAILURE, ""): _("IDまたはパスワードの誤り"),
        (Kind.LOGIN_FAILURE, "temporary password expired"): _("仮パスワードの有効期限切れ"),
        (Kind.LOGIN_FAILURE, events.WRONG_CURRENT_PASSWORD): _("パスワード変更で現在のパスワードの誤り"),
        (Kind.LOCKOUT, PER_ADDRESS): _("同じIDと同じIPアドレスからの失敗が続いたため、一時的に制限"),
        (Kind.LOCKOUT, CEILING): _("多くのアドレスから失敗が続いたため、初めての端末からのログインを一時的に制限"),
        (Kind.RESET_DENIED, events.WRONG_PASSWORD): _("操作した管理者のパスワードの誤り"),
        (Kind.RESET_DENIED, events.LOCKED): _("パスワードの誤りが続いたため、一時的に操作できない状態"),
        (Kind.LOGOUT, "session lifetime"): _("一定時間の経過で自動的にログアウト"),
        (Kind.LOGIN_ID_REFUSED, TAKEN): _("使用できないIDのため登録を拒否"),
        (Kind.LOGIN_ID_REFUSED, LIMIT): _("拒否が続いたため、新しいIDの登録を一時停止"),
        (Kind.OFFICE_IP_REFUSED, "login"): _("許可されていないアドレスからのログインを拒否（パスワードは正しい）"),
        (Kind.OFFICE_IP_REFUSED, "session"): _("ログイン中の端末を、許可されていないアドレスからの利用のため拒否"),
        (Kind.OFFICE_IP_CHANGED, "off"): _("社外からのアクセス制限を解除"),
    }


def _outcomes():
    # The statuses a decision can give (届出申請, 各種届出).
    return {"approved": _("承認"), "rejected": _("却下"), "accepted": _("受理"), "returned": _("差戻し"),
            "completed": _("完了")}


_OFFICE_IP = re.compile(r"^on networks=(\d+)( limited_anywhere)?$")
_IMPORT = re.compile(r"^created=(\d+) updated=(\d+) offboarded=(\d+) reactivated=(\d+)$")


def event_detail_text(event) -> str:
    """A sentence for the event's detail; the stored value itself when it has none."""
    detail = event.detail or ""
    if detail.startswith("by "):
        actor = event.actor if event.actor_id else None
        who = str(actor) if actor is not None else detail[3:]
        return _("%(who)s が実行") % {"who": who}
    found = _OFFICE_IP.match(detail) if event.kind == Kind.OFFICE_IP_CHANGED else None
    if found:
        text = _("社外からのアクセス制限を有効（許可するアドレス %(count)s 件）") % {"count": found.group(1)}
        return text + (_("・就業打刻・明細閲覧は社外からも可") if found.group(2) else "")
    if event.kind == Kind.DECIDED:
        outcome, _sep, flag = detail.partition(" ")
        text = _("「%(outcome)s」に処理") % {"outcome": _outcomes().get(outcome, outcome)}
        if flag == CREATED_BY_REQUESTER:
            text += _("（処理した管理者のアカウントは申請者が登録したもの）")
        return text
    found = _IMPORT.match(detail)
    if found:
        return _("新規 %(create)s 名・更新 %(update)s 名・退職 %(offboard)s 名・在籍に戻す %(reactivate)s 名") % dict(
            zip(("create", "update", "offboard", "reactivate"), found.groups()))
    return _details().get((event.kind, detail), detail)


def user_agent_text(user_agent: str) -> str:
    """「Chrome 120・Windows 10・パソコン」: browser, OS and device in words."""
    return str(describe(user_agent))


def _axes_names():
    return {
        "app": _("ログイン制限（django-axes）"),
        "AccessAttempt": _("ログイン失敗の記録（ID・IPアドレスごと）"),
        "AccessFailureLog": _("ログイン失敗の履歴"),
        "AccessLog": _("ログインの履歴"),
        "AccessAttemptExpiration": _("ログイン失敗の記録の期限"),
    }


def japanese_app_list(app_list: list) -> list:
    """The admin index in Japanese where a library names itself in English
    (django-axes; operators only: company administrators never see it)."""
    names = _axes_names()
    for app in app_list:
        if app["app_label"] == "axes":
            app["name"] = names["app"]
            for model in app["models"]:
                model["name"] = names.get(model["object_name"], model["name"])
    return app_list
