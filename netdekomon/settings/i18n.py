"""Languages and time zone: Japanese by default (README, "Translations")."""

from django.utils.translation import gettext_lazy as _

from .environment import BASE_DIR

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("日本語")), ("en", _("English"))]
# locale_django: Django's own admin msgids in natural Japanese (see its django.po).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_django"]
FORMAT_MODULE_PATH = ["netdekomon.formats"]  # 「2026年12月4日 9:30」 (netdekomon/formats/ja/formats.py)
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True
