"""Temporary passwords handed to employees: the CSV download and the printable
slips 「ログイン情報のお知らせ」. Nothing here stores a password; the caller
holds them only for the response being built."""

from django.utils import timezone
from django.utils.formats import date_format

from kit.spreadsheets import write_csv

HEADER = ["ログインID", "氏名", "仮パスワード", "有効期限"]


def expiry_text(user) -> str:
    if user.password_expires_at is None:
        return ""
    return date_format(timezone.localtime(user.password_expires_at), "Y/m/d H:i")


def credentials_rows(issued) -> list[list[str]]:
    """``issued``: (user, password) pairs or objects with ``user`` and ``password``."""
    rows = []
    for item in issued:
        user, password = (item.user, item.password) if hasattr(item, "user") else item
        rows.append([user.login_id, user.name, password, expiry_text(user)])
    return rows


def credentials_csv(issued) -> bytes:
    return write_csv(HEADER, credentials_rows(issued))
