"""Segregation of duties: a request or form is decided by someone other than its filer.

The products' decision services (届出申請, 各種届出) call ``decision_check``
before deciding and ``decision_record`` after; the console shows
``created_by_requester``. What can be known is accounts: the deciding account
is never the filing one, and when the deciding account was registered by the
filer (``User.created_by``: console, import), the decision is flagged in the
console and its security event. A person holding two accounts that someone
else registered cannot be told apart from two people (docs/security.md).
"""

from accounts.audit import events



class OwnRequest(Exception):
    """The deciding account filed the request."""


def created_by_requester(*, requester_id: int, decider) -> bool:
    return decider.created_by_id is not None and decider.created_by_id == requester_id


def decision_check(*, requester_id: int, decider) -> None:
    """Raise ``OwnRequest`` when ``decider`` filed it; operators included."""
    if decider.pk == requester_id:
        raise OwnRequest


def decision_record(*, requester, decider, outcome: str, request=None):
    """The DECIDED security event: ``outcome`` is the new status's value (approved, accepted…)."""
    return events.record(request, events.Kind.DECIDED, user=requester, actor=decider, outcome=outcome,
                         created_by_requester=created_by_requester(requester_id=requester.pk, decider=decider))


def decider_note(*, requester_id: int, decider) -> str:
    """What the console shows beside a decision whose account the filer registered."""
    from django.utils.translation import gettext

    if decider is not None and created_by_requester(requester_id=requester_id, decider=decider):
        return gettext("処理した管理者のアカウントは申請者が登録したものです")
    return ""


def flagged_message(count: int) -> str:
    from django.utils.translation import ngettext

    return ngettext(
        "%(count)d 件は、申請者が登録したアカウントで処理しました（セキュリティログに記録しました）。",
        "%(count)d 件は、申請者が登録したアカウントで処理しました（セキュリティログに記録しました）。",
        count) % {"count": count}
