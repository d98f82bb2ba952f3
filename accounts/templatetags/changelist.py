"""The console's lists on a phone: each row read as a block of labelled lines.

Django's list is a table, wider than a 375 px screen. ``labelled_cells`` gives
each cell of a row its column's name (``data-label``, shown before the value
by static/css/console.css under 768 px) and its table role, kept explicit
because a table displayed as blocks loses its roles in some browsers; a
screen reader still reads rows, column headers and cells."""

import re

from django import template
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

register = template.Library()
CELL = re.compile(r"^\s*<(td|th)\b")


@register.filter
def labelled_cells(result, headers):
    """The row's cells (Django's rendered ``<td>``/``<th>``), each with role and data-label."""
    cells = []
    for item, header in zip(result, headers):
        label = strip_tags(str(header.get("text", ""))).strip()
        cells.append(mark_safe(CELL.sub(
            lambda found: f'<{found[1]} role="{"rowheader" if found[1] == "th" else "cell"}"'
                          f' data-label="{escape(label)}"', str(item), count=1)))
    return cells
