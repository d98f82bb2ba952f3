"""Japanese text as HR files and people write it: kana in either script and
width, header names with stray spaces, dates as 2024/4/1, 2024年4月1日 or
令和6年4月1日. Normalised with ``jaconv`` (kana) and NFKC (width).
"""

import datetime
import re
import unicodedata

import jaconv

# The first year of each era (元年 = 1).
ERAS = {"令和": 2019, "平成": 1989, "昭和": 1926, "R": 2019, "H": 1989, "S": 1926}
_SPACES = re.compile(r"[\s\u3000]+")
_DATE = re.compile(r"^(\d{4})[/\-.年](\d{1,2})[/\-.月](\d{1,2})日?(?:T?0{1,2}:0{1,2}(?::0{1,2})?)?$")
_ERA_DATE = re.compile(r"^(令和|平成|昭和|[RHS])\.?(\d{1,2}|元)[/\-.年](\d{1,2})[/\-.月](\d{1,2})日?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def katakana(text: str) -> str:
    """Kana as full-width katakana (ﾔﾏﾀﾞ, やまだ, ヤマダ → ヤマダ), spaces as one
    full-width space, other characters as NFKC leaves them."""
    text = jaconv.h2z(unicodedata.normalize("NFKC", str(text)), kana=True, ascii=False, digit=False)
    return _SPACES.sub("\u3000", jaconv.hira2kata(text)).strip("\u3000")


def kana_search_term(text: str) -> str:
    """A search word in the form ``katakana`` stores, spaces dropped (a name search
    of ｷﾑﾗ, きむら or キムラ finds キムラ　タロウ)."""
    return katakana(text).replace("\u3000", "")


def plain_header(title: str) -> str:
    """A column title without width, case or spaces: 「メール アドレス」, 「ﾒｰﾙｱﾄﾞﾚｽ」 and
    「メールアドレス」 are one; 「E-Mail」 → 「e-mail」; brackets become full-width （）."""
    text = unicodedata.normalize("NFKC", str(title)).lstrip("\ufeff")
    text = _SPACES.sub("", text).lower()
    return text.replace("(", "（").replace(")", "）")


def parse_date(text: str) -> datetime.date | None:
    """A date written the Japanese ways (2024/4/1, 2024-04-01, 2024年4月1日,
    20240401, 令和6年4月1日, R6.4.1, an Excel date cell as text) or None when it is
    none of them or no such day."""
    value = _SPACES.sub("", unicodedata.normalize("NFKC", str(text)))
    match = _DATE.match(value) or _COMPACT.match(value)
    if match:
        year, month, day = (int(part) for part in match.groups()[:3])
    else:
        match = _ERA_DATE.match(value)
        if not match:
            return None
        era, year_text, month, day = match.groups()
        year = ERAS[era] + (1 if year_text == "元" else int(year_text)) - 1
        month, day = int(month), int(day)
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None
