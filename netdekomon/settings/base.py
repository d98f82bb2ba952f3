"""Debug mode, the secret key, the host names and the proxies in front."""

from django.core.exceptions import ImproperlyConfigured

from .environment import env

DEBUG = env.bool("DEBUG", default=True)
# The demo (DEBUG on) shows the site's own error pages; Django's technical
# 404/500 pages only when a developer asks for them.
DEBUG_TECHNICAL_PAGES = env.bool("DEBUG_TECHNICAL_PAGES", default=False)
CSRF_FAILURE_VIEW = "netdekomon.errors.csrf_failure"

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
else:
    SECRET_KEY = env.str("SECRET_KEY")
    if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("dev-only"):
        raise ImproperlyConfigured("SECRET_KEY must be a random value of at least 50 characters.")

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Client IP: REMOTE_ADDR unless a trusted proxy count is configured, so that
# X-Forwarded-For cannot be spoofed by a client talking to us directly.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
