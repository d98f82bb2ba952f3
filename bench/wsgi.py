"""WSGI entry of the benchmark server.

One gunicorn, two Django handlers: /bench/… runs through a fresh project's
middleware (the framework's ceiling, see settings.BARE_MIDDLEWARE); every
other path is the product with its full middleware stack.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402

django.setup(set_prefix=False)

product = WSGIHandler()
_product = settings.MIDDLEWARE, settings.SESSION_ENGINE
# A fresh project's: its middleware and Django's own session store (its sessions' user is
# loaded by Django's ModelBackend: bench/scenarios.py, Sessions.bare_file).
settings.MIDDLEWARE, settings.SESSION_ENGINE = settings.BARE_MIDDLEWARE, "django.contrib.sessions.backends.db"
bare = WSGIHandler()  # loads its middleware (and SessionMiddleware its store) now, at construction
settings.MIDDLEWARE, settings.SESSION_ENGINE = _product


def application(environ, start_response):
    handler = bare if environ.get("PATH_INFO", "").startswith("/bench/") else product
    return handler(environ, start_response)
