"""Outgoing mail: the console in development, SMTP in production."""

from django.core.exceptions import ImproperlyConfigured

from .base import DEBUG
from .environment import env

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend" if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be true.")
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# The file backend (django.core.mail.backends.filebased.EmailBackend) writes
# each mail into this folder, e.g. for a tester reading the notices.
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default="")
if EMAIL_BACKEND == "django.core.mail.backends.filebased.EmailBackend" and not EMAIL_FILE_PATH:
    raise ImproperlyConfigured("EMAIL_FILE_PATH must be set for the file e-mail backend.")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ネットde顧問 <no-reply@localhost>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
