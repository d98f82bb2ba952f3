"""Reading the dates of a payroll export's cells: 支給年月 and 支給日 as Japanese HR writes them."""

import datetime
import re

_MONTH_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?(?:\s*[-/.]\s*\d{1,2}\s*日?)?$|^(\d{4})(\d{2})$")
_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


def month_cell(value: str) -> datetime.date | None:
    match = _MONTH_RE.fullmatch(value)
    if not match:
        return None
    year, month = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
    try:
        return datetime.date(int(year), int(month), 1)
    except ValueError:
        return None


def date_cell(value: str) -> datetime.date | None:
    match = _DATE_RE.fullmatch(value)
    if not match:
        return None
    try:
        return datetime.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None
