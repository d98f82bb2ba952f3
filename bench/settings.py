"""Settings for the benchmark server: the product's settings, DEBUG off, plus
the bench-only baseline app (never in the product's URLconf).

Plain HTTP on 127.0.0.1, so the HTTPS-only settings are relaxed here; every
other production setting (DEBUG off, whitenoise's manifest storage, persistent
database connections) is what `make prod` runs.
"""

from netdekomon.settings import *  # noqa: F401,F403
from netdekomon.settings import AUTHENTICATION_BACKENDS, INSTALLED_APPS, LOGGING

INSTALLED_APPS = [*INSTALLED_APPS, "bench.baseline"]
# A fresh project's user load, for the bare baselines' own sessions (BARE_STOCK_SESSIONS=1); it logs nobody in.
STOCK_BACKEND = "bench.baseline.backends.StockModelBackend"
AUTHENTICATION_BACKENDS = [*AUTHENTICATION_BACKENDS, STOCK_BACKEND]
ROOT_URLCONF = "bench.urls"

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0

# A fresh `django-admin startproject`'s middleware: what "bare Django" costs.
BARE_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# Security events are still written to the database; the per-request log line is not
# (the benchmark would measure the terminal).
LOGGING = {**LOGGING, "root": {**LOGGING["root"], "level": "WARNING"}}
