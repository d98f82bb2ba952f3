"""The environment reader: django-environ, strict about every value."""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


class StrictEnv(environ.Env):
    """django-environ, but a value that does not parse stops the start with its
    variable's name, and a boolean must be one of the usual spellings (a typo
    such as DEBUG=ture is an error, not silently false)."""

    BOOLEAN_SPELLINGS = {"true", "false", "1", "0", "yes", "no", "on", "off", "y", "n", "ok", ""}

    def get_value(self, var, cast=None, default=environ.Env.NOTSET, parse_default=False):
        raw = self.ENVIRON.get(var)
        if cast is bool and raw is not None and raw.strip().lower() not in self.BOOLEAN_SPELLINGS:
            raise ImproperlyConfigured(f"{var} must be true or false, not {raw!r}.")
        try:
            return super().get_value(var, cast=cast, default=default, parse_default=parse_default)
        except ValueError as error:
            raise ImproperlyConfigured(f"{var} has a wrong value: {error}") from error

    def db_url(self, var="DATABASE_URL", default=environ.Env.NOTSET, engine=None):
        try:
            return super().db_url(var, default=default, engine=engine)
        except ValueError as error:
            raise ImproperlyConfigured(f"{var} has a wrong value: {error}") from error

    db = db_url


env = StrictEnv()
