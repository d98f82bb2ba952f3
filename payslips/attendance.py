"""勤怠 columns of a payroll export: which headers are 勤怠 items, in which unit, and their values.

Japanese payroll software prints the month's attendance on the slip (出勤日数,
欠勤日数, 残業時間, 有給残日数 …). Their exports name these columns without a
prefix, in full or half width, sometimes with a unit in brackets
(「残業時間(h)」); 「勤怠:項目名」 is accepted as well, like 「支給:基本給」.
"""

import re
import unicodedata

from .models import PayslipAttendance

Unit = PayslipAttendance.Unit
PREFIX = "勤怠"
MAX_NAME = 40

# What a header is about: any of these words …
_SUBJECTS = ("出勤", "欠勤", "勤務", "就業", "労働", "残業", "時間外", "深夜", "休日", "休出", "有給", "有休",
             "年休", "休暇", "代休", "振休", "特休", "遅刻", "早退", "遅早", "外出", "稼働", "所定", "法定")
# … and how it is counted (the end of the header, unit brackets removed).
_UNITS = (("日数", Unit.DAYS), ("残日数", Unit.DAYS), ("時間", Unit.HOURS), ("時間数", Unit.HOURS),
          ("回数", Unit.TIMES))
_BRACKETED_UNIT = re.compile(r"[(\[（【]\s*(h|H|時間|hr|hrs|日|回|分)?\s*[)\]）】]$")
_QUALIFIER = re.compile(r"[(（][^()（）]*[)）]$")
_DECIMAL = re.compile(r"^\d{1,4}(?:\.\d{1,2})?$")
_HOURS_MINUTES = re.compile(r"^(\d{1,4}):([0-5]\d)$")


def header_name(raw: str) -> str:
    """The header as recognised and as shown: full-width made half-width, no spaces, no unit brackets."""
    name = unicodedata.normalize("NFKC", raw or "").strip()
    name = re.sub(r"\s+", "", name)
    return _BRACKETED_UNIT.sub("", name)


def attendance_column(raw: str) -> tuple[str, str] | None:
    """(name, unit) when the header is a 勤怠 item, else None.

    「残業時間」「深夜残業時間(h)」「有給残日数」「遅刻早退回数」「勤怠:特休日数」 are; 「支給:残業手当」 and
    「通勤経路」 are not."""
    name = header_name(raw)
    prefix, sep, rest = name.partition(":")
    explicit = bool(sep) and prefix == PREFIX
    if explicit:
        name = rest
    elif sep:
        return None
    if not name or len(name) > MAX_NAME:
        return None
    counted = _QUALIFIER.sub("", name)  # 「残業時間(60時間超)」 is counted in hours
    unit = next((unit for suffix, unit in sorted(_UNITS, key=lambda u: -len(u[0])) if counted.endswith(suffix)), None)
    if explicit:
        return name, unit if unit is not None else Unit.NONE
    if unit is None or not any(subject in name for subject in _SUBJECTS):
        return None
    return name, unit


def attendance_value(raw: str, unit: str) -> str | None:
    """The value as stored (「20」「12.5」「160:30」), None when it is not one; empty cells are the caller's."""
    value = unicodedata.normalize("NFKC", raw or "").strip().replace("：", ":")
    for suffix in ("時間", "日", "回", "h", "H"):
        value = value.removesuffix(suffix).strip()
    if _DECIMAL.fullmatch(value):
        return value
    match = _HOURS_MINUTES.fullmatch(value)
    if match and unit in (Unit.HOURS, Unit.NONE):
        return f"{int(match.group(1))}:{match.group(2)}"
    return None
