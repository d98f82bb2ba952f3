"""The security log in words: event facts as sentences (accounts.event_kinds)
and user agents as browser, OS and device (ua-parser), for the console."""

from django.utils.translation import gettext as _

from accounts import event_kinds
from accounts.event_kinds import words
from kit.user_agents import describe


def event_detail_text(event) -> str:
    """A sentence for the event's facts (its kind's ``sentence`` in event_kinds.KINDS)."""
    return event_kinds.sentence(event)


def person_text(user, login_id: str = "") -> str:
    """「山田 太郎（A1234567）」: the person's name and login ID; the login ID alone
    when the account has no name or is gone."""
    return words.person(user) if user is not None else login_id or "-"


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
