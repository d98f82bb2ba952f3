"""Normalising and validating what employees type into Japanese HR forms.

People type full-width digits (１２３), long-vowel marks for hyphens
(１２３ー４５６７), hiragana for katakana and half-width katakana; we accept
them and store the canonical form.
"""

import re
import unicodedata

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

_DASHES = str.maketrans({c: "-" for c in "ー‐‑‒–—―−－ｰ"})
_HIRAGANA_TO_KATAKANA = {code: code + 0x60 for code in range(ord("ぁ"), ord("ゖ") + 1)}

validate_postal_code = RegexValidator(
    r"^\d{3}-\d{4}$", _("郵便番号は「123-4567」の形（数字7桁）で入力してください。"), code="postal_code")
validate_bank_code = RegexValidator(
    r"^\d{4}$", _("金融機関コードは数字4桁で入力してください。"), code="bank_code")
validate_branch_code = RegexValidator(
    r"^\d{3}$", _("支店コードは数字3桁で入力してください。"), code="branch_code")
validate_account_number = RegexValidator(
    r"^\d{7}$", _("口座番号は数字7桁で入力してください（7桁未満の場合は先頭に0を付けてください）。"),
    code="account_number")
validate_katakana = RegexValidator(
    r"^[ァ-ヴヵヶー・ ]+$", _("口座名義はカタカナで入力してください（例: スズキ ハナコ）。"), code="katakana")


def nfkc(value: str) -> str:
    return unicodedata.normalize("NFKC", value or "").strip()


def normalize_digits(value: str) -> str:
    """Full-width digits to ASCII; surrounding blanks removed."""
    return nfkc(value).replace(" ", "")


def normalize_postal_code(value: str) -> str:
    """「〒１２３ー４５６７」「1234567」→「123-4567」 (anything else is left for the validator)."""
    text = nfkc(value).removeprefix("〒").strip().translate(_DASHES).replace(" ", "")
    if re.fullmatch(r"\d{7}", text):
        return f"{text[:3]}-{text[3:]}"
    return text


def normalize_katakana(value: str) -> str:
    """Half-width katakana and hiragana to full-width katakana; one space between words."""
    text = nfkc(value).translate(_HIRAGANA_TO_KATAKANA)
    return re.sub(r"\s+", " ", text)
