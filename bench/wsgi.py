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
_product_middleware = settings.MIDDLEWARE
settings.MIDDLEWARE = settings.BARE_MIDDLEWARE
bare = WSGIHandler()  # loads its middleware list now, at construction
settings.MIDDLEWARE = _product_middleware


def application(environ, start_response):
    handler = bare if environ.get("PATH_INFO", "").startswith("/bench/") else product
    return handler(environ, start_response)
