"""Static files, served by whitenoise (docs/deployment.md)."""

from .base import DEBUG
from .environment import BASE_DIR, env

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Served by whitenoise; with DEBUG off under compressed, content-hashed names
# (`collectstatic` at build time; see docs/deployment.md).
# In development (and its tests, which run with DEBUG forced off) whitenoise
# serves straight from the apps' static folders; production serves the
# collected files.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage" if DEBUG
                    else "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
