"""Settings of the product apps."""

from django.core.exceptions import ImproperlyConfigured

from .environment import env

# An import's preview (従業員の一括登録, 明細登録) may be confirmed for this long.
IMPORT_PREVIEW_MINUTES = env.int("IMPORT_PREVIEW_MINUTES", default=30)
if IMPORT_PREVIEW_MINUTES < 1:
    raise ImproperlyConfigured("IMPORT_PREVIEW_MINUTES must be at least 1.")
