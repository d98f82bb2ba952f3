"""Logging to standard error; the platform collects it."""

from .environment import env

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Single sign-on: pysaml2 logs each assertion's subject and attributes at INFO (personal
        # data, and the event says what matters); xmlschema its schema loading.
        "saml2": {"level": "WARNING"},
        "xmlschema": {"level": "WARNING"},
    },
}
