"""Yen one way everywhere: ``{{ amount|yen }}`` → 270,000円 (English: ¥270,000)."""

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def yen(value):
    """270,000円 (negative: -1,000円)."""
    if value in (None, ""):
        return ""
    amount = int(value)
    grouped = f"-{abs(amount):,}" if amount < 0 else f"{amount:,}"
    return gettext("%(amount)s円") % {"amount": grouped}
