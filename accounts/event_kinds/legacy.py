"""The facts of the free-text details written before the typed facts (rows kept
as they were; ``events.record(detail=...)`` still accepts those texts)."""

import re

from . import facts
from .facts import OUTCOMES

# The kinds by their stored values (this module sits below ``Kind``).
LOGIN_SUCCESS, MODE_CHOSEN, LOGIN_FAILURE, LOCKOUT = "login_success", "mode_chosen", "login_failure", "lockout"
RESET_DENIED, LOGOUT, LOGIN_ID_REFUSED = "reset_denied", "logout", "login_id_refused"
OFFICE_IP_REFUSED, OFFICE_IP_CHANGED = "office_ip_refused", "office_ip_changed"
DECIDED, EMPLOYEES_IMPORTED = "decided", "employees_imported"


def legacy_data(kind: str, detail: str) -> dict | None:
    """The facts of an old free-text ``detail`` (rows written before the facts, and
    ``events.record(detail=...)``); None when the text is not one that was written."""
    if not detail:
        return {}
    if detail.startswith("by "):
        return {"actor_login_id": detail[3:]}
    fixed = {
        LOGIN_SUCCESS: {"code": {"method": "code"}, "limited": {"method": "limited"},
                        "full": {"method": "password"}},
        MODE_CHOSEN: {"limited": {"mode": "limited"}, "full": {"mode": "full"}},
        LOGIN_FAILURE: {"temporary password expired": {"reason": facts.TEMPORARY_PASSWORD_EXPIRED},
                        "wrong current password": {"reason": facts.WRONG_CURRENT_PASSWORD}},
        LOCKOUT: {"ID + IP": {"reason": facts.PER_ADDRESS}, "per-ID ceiling": {"reason": facts.CEILING}},
        RESET_DENIED: {"wrong password": {"reason": facts.WRONG_PASSWORD}, "locked": {"reason": facts.LOCKED}},
        LOGOUT: {"session lifetime": {"reason": facts.LIFETIME}, "ended by user": {"reason": facts.ENDED},
                      "other sessions ended by user": {"reason": facts.OTHERS_ENDED}},
        LOGIN_ID_REFUSED: {"taken": {"reason": facts.TAKEN}, "limit": {"reason": facts.LIMIT}},
        OFFICE_IP_REFUSED: {"login": {"where": "login"}, "session": {"where": "session"}},
        OFFICE_IP_CHANGED: {"off": {"enabled": False}},
    }.get(kind, {})
    if detail in fixed:
        return dict(fixed[detail])
    if kind == LOGOUT:
        for prefix, reason in (("ended by ", facts.ENDED), ("sessions ended by ", facts.OTHERS_ENDED)):
            if detail.startswith(prefix):
                return {"reason": reason, "actor_login_id": detail[len(prefix):]}
    if kind == OFFICE_IP_CHANGED and (found := re.fullmatch(r"on networks=(\d+)( limited_anywhere)?", detail)):
        return {"enabled": True, "networks": int(found.group(1)), "limited_anywhere": bool(found.group(2))}
    if kind == DECIDED:
        outcome, _sep, flag = detail.partition(" ")
        if outcome in OUTCOMES and flag in ("", "created by requester"):
            return {"outcome": outcome, "created_by_requester": bool(flag)}
    found = re.fullmatch(r"created=(\d+) updated=(\d+) offboarded=(\d+) reactivated=(\d+)", detail)
    if kind == EMPLOYEES_IMPORTED and found:
        return dict(zip(("created", "updated", "offboarded", "reactivated"), map(int, found.groups())))
    return None
