"""Normalising and validating what employees type into Japanese HR forms.

People type full-width digits (１２３), long-vowel marks for hyphens
(１２３ー４５６７), hiragana for katakana and half-width katakana; we accept
them and store the canonical form.
"""

import re
import unicodedata

import jaconv
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
validate_address_kana = RegexValidator(
    r"^[ァ-ヴヵヶー・ 0-9A-Za-z\-.,#&'()/]+$",
    _("住所のフリガナはカタカナで入力してください（番地などの数字・記号はそのまま）。"), code="address_kana")
_DASH_BETWEEN_DIGITS = re.compile(r"(?<=\d)\s*[‐‑‒–—―−－ーｰ-]\s*(?=\d)")


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


def normalize_address(value: str) -> str:
    """「東京都千代田区千代田１－１　テストマンション１０１」→ ASCII digits, letters and spaces, a
    dash between digits as 「-」; kanji and kana as typed (jaconv, not NFKC, which would also
    rewrite 「①」 or 「㈱」 in a building's name)."""
    text = jaconv.z2h(value or "", kana=False, ascii=True, digit=True)
    text = _DASH_BETWEEN_DIGITS.sub("-", text)
    return re.sub(r"\s+", " ", text).strip()


def normalize_address_kana(value: str) -> str:
    """Hiragana and half-width katakana to full-width katakana; digits and dashes as in the address."""
    text = jaconv.hira2kata(jaconv.h2z(value or "", kana=True, ascii=False, digit=False))
    return normalize_address(text)
