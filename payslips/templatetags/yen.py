"""Yen the Japanese way: ``{{ amount|yen }}`` → ¥123,456, ``{{ amount|en }}`` → 123,456円."""

from django import template
from django.utils.translation import gettext

register = template.Library()


def _grouped(value) -> str:
    amount = int(value)
    return f"-{abs(amount):,}" if amount < 0 else f"{amount:,}"


@register.filter
def yen(value):
    """¥123,456 (negative: -¥1,000)."""
    if value in (None, ""):
        return ""
    amount = int(value)
    return f"-¥{abs(amount):,}" if amount < 0 else f"¥{amount:,}"


@register.filter
def en(value):
    """123,456円."""
    if value in (None, ""):
        return ""
    return gettext("%(amount)s円") % {"amount": _grouped(value)}
