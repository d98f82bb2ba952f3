"""The login policy: what a login ID's first letter means (FAQ ⑥).

This module is the one place that knows the rule. Everything else asks it.
"""

import re
import unicodedata
from enum import Enum

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

LOGIN_ID_RE = re.compile(r"^[AB][0-9A-Z]{3,19}$")

# Characters that look alike in common fonts are folded together, so that
# "A10O1" and "A1001" cannot both exist and be confused by an administrator.
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})


class IdKind(Enum):
    A = "A"  # always needs the 6-digit code
    B = "B"  # may choose the limited mode without the code


def normalize_login_id(value: str) -> str:
    """Canonical form of a typed login ID: NFKC (full-width → ASCII), trimmed, upper-case."""
    return unicodedata.normalize("NFKC", str(value)).strip().upper()


def login_id_key(login_id: str) -> str:
    """Key under which login IDs must be unique: case and look-alikes folded."""
    canonical = normalize_login_id(login_id)
    return canonical[:1] + canonical[1:].translate(_LOOKALIKES)


def validate_login_id(value: str) -> None:
    if not LOGIN_ID_RE.fullmatch(normalize_login_id(value)):
        raise ValidationError(
            _("ログインIDは A または B で始まる4〜20文字の半角英数字です。"),
            code="invalid_login_id",
        )


def id_kind(login_id: str) -> IdKind:
    return IdKind(normalize_login_id(login_id)[:1])


def may_use_limited_mode(user) -> bool:
    """B-IDs may choose 「就業打刻・明細閲覧のみ利用する」 without the code."""
    return id_kind(user.login_id) is IdKind.B


def axes_username(request, credentials) -> str:
    """django-axes counts failures under the login ID's uniqueness key.

    The key folds case and look-alikes ("a1OOO" → "A1000"), as the login
    does, so spelling one ID several ways does not buy more guesses.
    ``credentials`` are authenticate()'s keyword arguments on a failure, and
    ``{AXES_USERNAME_FORM_FIELD: login ID}`` on a success (when axes resets the count).
    """
    from django.conf import settings

    credentials = credentials or {}
    raw = (credentials.get("username") or credentials.get(settings.AXES_USERNAME_FORM_FIELD)
           or request.POST.get(settings.AXES_USERNAME_FORM_FIELD, ""))
    return login_id_key(raw)[:40]
