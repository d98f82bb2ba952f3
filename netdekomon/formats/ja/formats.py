"""Japanese date formats where Django's read run together: 「2026年12月4日 9:30」, not 「2026年12月4日9:30」.

Only what differs is set; everything else stays Django's ``django/conf/locale/ja/formats.py``.
"""

DATETIME_FORMAT = "Y年n月j日 G:i"
