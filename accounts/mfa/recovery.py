"""回復コード: ten one-time codes an employee issues themselves, printed or kept
somewhere safe, for the day their phone is gone. One logs in at the code step
as a right code would (the company may turn them off: ログインの設定).

A code is 16 characters from an alphabet without look-alikes (no 0/O, 1/I/L),
shown as ``ABCD-EFGH-JKLM-NPQR``: 80 bits. Its first three characters find it
among the user's codes and are kept as they are; the whole code is kept only
as a password hash (the project's first hasher), so a check costs one hash and
the 65 bits after those three stand behind it. Wrong codes count towards the
same back-off as wrong six-digit codes (``accounts.login.forms.TokenForm``).
"""

import re
import secrets
import unicodedata

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.utils import timezone

from accounts.models import RecoveryCode, RecoveryCodes

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
COUNT = 10
LENGTH = 16
LOOKUP = 3
# What Japanese keyboards give for a hyphen: ー ‐ ‑ – — − (and the ASCII one).
DASHES = re.compile("[-\u30fc\uff70\u2010\u2011\u2012\u2013\u2014\u2015\u2212]")


def _allowed(user) -> bool:
    """On unless the company turned them off (its policy is loaded with the user: no query)."""
    if not user.tenant_id:
        return True
    try:
        return user.tenant.login_policy.recovery_codes
    except ObjectDoesNotExist:
        return True


def normalize(text) -> str | None:
    """"abcd-efgh jklm npqr" (full-width too) → "ABCDEFGHJKLMNPQR"; None when it cannot be one."""
    value = unicodedata.normalize("NFKC", str(text or "")).upper()
    value = "".join(DASHES.sub(" ", value).split())
    if len(value) != LENGTH or any(char not in ALPHABET for char in value):
        return None
    return value


def shown(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, LENGTH, 4))


def issue(user) -> list[str]:
    """Ten new codes for ``user`` (the old ones stop working), as they are shown, once."""
    codes, lookups = [], set()
    while len(codes) < COUNT:
        code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        if code[:LOOKUP] not in lookups:
            lookups.add(code[:LOOKUP])
            codes.append(code)
    with transaction.atomic():
        # The same device, its codes replaced: a session it verified (a login with a code) stays verified.
        device, _created = RecoveryCodes.objects.get_or_create(user=user, defaults={"name": "回復コード"})
        device.codes.all().delete()
        device.created_at = timezone.now()
        device.save(update_fields=["created_at"])
        RecoveryCode.objects.bulk_create(
            RecoveryCode(device=device, lookup=code[:LOOKUP], digest=make_password(code)) for code in codes)
    return [shown(code) for code in codes]


def state(user) -> dict | None:
    """{"issued": when, "left": unused codes} of ``user``'s codes, or None (never issued)."""
    device = RecoveryCodes.objects.filter(user=user).first()
    if device is None:
        return None
    return {"issued": device.created_at, "left": device.codes.filter(used_at=None).count()}


def offered(user) -> bool:
    """The code step offers 「回復コードを使う」: the company allows them and some are left."""
    return _allowed(user) and RecoveryCode.objects.filter(device__user=user, used_at=None).exists()


def available(user) -> bool:
    """The security page offers to issue them: the company allows them."""
    return _allowed(user)


def use(user, text) -> RecoveryCodes | None:
    """Spend one of ``user``'s unused codes; its device, or None when ``text`` is not one.
    Costs one password hash either way."""
    code = normalize(text)
    if code is None or not _allowed(user):
        return None
    with transaction.atomic():
        row = (RecoveryCode.objects.select_for_update().select_related("device")
               .filter(device__user=user, lookup=code[:LOOKUP], used_at=None).first())
        if row is None:
            make_password(code)  # the same cost as a check
            return None
        if not check_password(code, row.digest):
            return None
        row.used_at = timezone.now()
        row.save(update_fields=["used_at"])
        return row.device
