"""Settings for ネット de 顧問, read from the environment.

With no environment at all the project runs for development on an embedded
SQLite file. Production values come from the environment; a wrong value
fails at start-up (django-environ raises ImproperlyConfigured).
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


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

INSTALLED_APPS = [
    "accounts.apps.ConsoleAdminConfig",  # django.contrib.admin with the manager console as its site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # required by django-two-factor-auth; never used (no backup codes)
    "two_factor",
    "axes",
    # Core, in layer order: each imports only the ones above it (README, "How it is built").
    "accounts",
    "catalog",
    "licensing",
    "portal",
    # Product apps: each declares itself in its AppConfig (see README).
    "attendance",
    "payslips",
    "reception",
]

MIDDLEWARE = [
    "netdekomon.errors.DemoErrorPagesMiddleware",  # DEBUG on: the site's error pages, not Django's technical ones
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # no-store on every response to a session (after static files, outside SessionMiddleware)
    "accounts.sessions.no_store.SessionNoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "netdekomon.middleware.LanguageSwitchMiddleware",  # Japanese unless switched in the footer
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.sessions.office_ip.OfficeIpMiddleware",  # 社外からのアクセス制限: before any licence or step-up answer
    "licensing.middleware.LicenceMiddleware",  # an unused product is a 404, before any step-up
    "accounts.sessions.middleware.AccessPolicyMiddleware",
    "accounts.sessions.lifetime.SessionLifetimeMiddleware",  # idle and absolute session lifetimes
    "accounts.sessions.user_sessions.UserSessionMiddleware",  # ログイン中の端末: the session's row follows it
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "netdekomon.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "accounts.context_processors.temporary_password_banner",
                "accounts.context_processors.session_timeout",
                "accounts.context_processors.drafts",
            ],
        },
    },
]

WSGI_APPLICATION = "netdekomon.wsgi.application"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock at BEGIN, so transactions that verify a
    # code (read, compare, write) are serialised on SQLite as row locks
    # serialise them on PostgreSQL.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    _pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    if (DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
            and env.bool("DATABASE_SERVER_SIDE_BINDING", default=True)):
        # Django's backend, with batches that fit the protocol's 65,535 parameters.
        DATABASES["default"]["ENGINE"] = "netdekomon.db.postgresql"
        _pg_options["server_side_binding"] = True
        # psycopg prepares a statement on its 5th execution; Django turns that off unless asked.
        _pg_options["prepare_threshold"] = env.int("DATABASE_PREPARE_THRESHOLD", default=5)
    # Time limits (docs/deployment.md, "Database time limits"): a statement that runs
    # or waits for a lock longer answers the 503 page (netdekomon/errors.py), its
    # transaction rolled back, well before gunicorn's worker timeout. Sent as
    # connection options; 0 sends nothing (behind PgBouncer in transaction mode
    # they are set on the database role instead).
    DATABASE_STATEMENT_TIMEOUT_MS = env.int("DATABASE_STATEMENT_TIMEOUT_MS", default=10_000)
    DATABASE_LOCK_TIMEOUT_MS = env.int("DATABASE_LOCK_TIMEOUT_MS", default=5_000)
    _gunicorn_ms = env.int("GUNICORN_TIMEOUT", default=30) * 1000
    if not 0 <= DATABASE_STATEMENT_TIMEOUT_MS <= _gunicorn_ms // 2:
        raise ImproperlyConfigured("DATABASE_STATEMENT_TIMEOUT_MS must be between 0 and half of "
                                   f"GUNICORN_TIMEOUT ({_gunicorn_ms // 2} ms).")
    if not 0 <= DATABASE_LOCK_TIMEOUT_MS <= (DATABASE_STATEMENT_TIMEOUT_MS or _gunicorn_ms // 2):
        raise ImproperlyConfigured("DATABASE_LOCK_TIMEOUT_MS must be between 0 and "
                                   "DATABASE_STATEMENT_TIMEOUT_MS.")
    _limits = [f"-c {name}={value}" for name, value in (
        ("statement_timeout", DATABASE_STATEMENT_TIMEOUT_MS), ("lock_timeout", DATABASE_LOCK_TIMEOUT_MS))
        if value]
    if _limits and DATABASES["default"]["ENGINE"].endswith("postgresql"):
        _pg_options["options"] = " ".join([_pg_options.get("options", ""), *_limits]).strip()
    if env.bool("DATABASE_POOL", default=False):
        _pg_options["pool"] = {"min_size": 1, "max_size": 2}
        DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps the connections
DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME", default=None)}

# The optional shared cache (accounts/shared_cache.py, docs/deployment.md):
# with REDIS_URL, the licence sets are kept in Redis under a version the
# database names. An accelerator, never a dependency: sessions stay in the
# database (it decides whether a session is alive), a Redis that does not
# answer costs one short timeout and a circuit breaker keeps the process off
# it until a probe succeeds. Without it no shared state is cached across
# requests (the demo and a fresh machine need no Redis). Never a per-process
# cache for shared state, and nothing that enforces a limit is kept in any cache.
REDIS_URL = env.str("REDIS_URL", default="")
SHARED_CACHE = bool(REDIS_URL)
LICENCE_CACHE_SECONDS = env.int("LICENCE_CACHE_SECONDS", default=300)
SHARED_CACHE_TIMEOUT = env.float("SHARED_CACHE_TIMEOUT", default=0.1)  # seconds: connect, and each reply
SHARED_CACHE_RETRY_SECONDS = env.float("SHARED_CACHE_RETRY_SECONDS", default=5.0)  # breaker open before a probe
if not 0 < SHARED_CACHE_TIMEOUT <= 5:
    raise ImproperlyConfigured("SHARED_CACHE_TIMEOUT must be more than 0 and at most 5 seconds")
if SHARED_CACHE_RETRY_SECONDS <= 0:
    raise ImproperlyConfigured("SHARED_CACHE_RETRY_SECONDS must be more than 0")
if SHARED_CACHE:
    CACHES = {
        "default": {
            "BACKEND": "accounts.shared_cache.RedisCache",  # Django's, with the timeouts and the breaker
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="nk"),
            "TIMEOUT": 300,
            "OPTIONS": {"timeout": SHARED_CACHE_TIMEOUT, "retry_seconds": SHARED_CACHE_RETRY_SECONDS},
        },
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.LoginIdBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    # System-generated temporary passwords only (accounts/hashers.py, docs/security.md).
    "accounts.hashers.TemporaryPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
     "OPTIONS": {"user_attributes": ("login_id", "name", "email")}},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions: full mode idles out after 30 minutes and ends after 12 hours;
# the limited (punch / payslip) mode may stay longer. See docs/security.md.
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 3600)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_LIMITED_IDLE_SECONDS = env.int("SESSION_LIMITED_IDLE_SECONDS", default=8 * 3600)
# Pages warn this long before the idle limit (「まもなく自動的にログアウトします」).
SESSION_WARNING_SECONDS = env.int("SESSION_WARNING_SECONDS", default=120)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# TOTP (RFC 6238: SHA1, 6 digits, 30 s). django-otp's exponential back-off
# (1, 2, 4, 8 … seconds after each failure) limits guessing.
OTP_TOTP_THROTTLE_FACTOR = 1
# The back-off stops doubling at this wait (accounts/mfa/code_backoff.py): 20
# minutes leave an attacker 82 evaluated codes in a day from the first
# failure, 72 a day after that (NIST SP 800-63B: at most 100); the employee
# is never kept out of the code step for longer. `manage.py check` refuses a
# value that allows more than 100 (accounts.E004).
OTP_THROTTLE_MAX_DELAY_SECONDS = env.int("OTP_THROTTLE_MAX_DELAY_SECONDS", default=20 * 60)
OTP_TOTP_ISSUER = env.str("OTP_ISSUER", default="ネットde顧問")
TWO_FACTOR_TOTP_DIGITS = 6
TWO_FACTOR_REMEMBER_COOKIE_AGE = None  # never "remember this browser"
TWO_FACTOR_LOGIN_TIMEOUT = 600

# An import's preview (従業員の一括登録, 明細登録) may be confirmed for this long.
IMPORT_PREVIEW_MINUTES = env.int("IMPORT_PREVIEW_MINUTES", default=30)
if IMPORT_PREVIEW_MINUTES < 1:
    raise ImproperlyConfigured("IMPORT_PREVIEW_MINUTES must be at least 1.")

# Temporary passwords expire after this many days.
TEMPORARY_PASSWORD_DAYS = env.int("TEMPORARY_PASSWORD_DAYS", default=7)

# django-axes: lock an ID from one IP after 5 wrong passwords for 15 minutes.
# A colleague guessing from another machine cannot lock a user out; an
# attacker spreading guesses over many IPs meets the per-ID ceiling
# (LOGIN_ID_FAILURE_CEILING) enforced by accounts.login.forms.LoginForm.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "auth-username"
AXES_PASSWORD_FORM_FIELD = "auth-password"
AXES_SENSITIVE_PARAMETERS = ["password", "auth-password", "token-otp_token", "otp_token",
                             "csrfmiddlewaretoken"]
AXES_USERNAME_CALLABLE = "accounts.policy.axes_username"
AXES_CLIENT_IP_CALLABLE = "kit.net.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.views.login.lockout"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
# Successful logins are recorded once, as security events (accounts.audit.events);
# axes' own access log would cost an insert and a query per login.
AXES_DISABLE_ACCESS_LOG = True
# Tries refused by a lock are not counted and do not extend it: otherwise one
# address could keep adding to an ID's ceiling (accounts/identity/lockout.py).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Failures of one ID from every address (each counting for at most
# AXES_FAILURE_LIMIT) that close the ID to browsers and addresses that never
# completed a login as that user; known ones keep their own per-address limit.
LOGIN_ID_FAILURE_CEILING = env.int("LOGIN_ID_FAILURE_CEILING", default=30)
# A known browser's trust (accounts/identity/known_browsers.py): renewed by each login,
# void after this many days or this many wrong passwords presented with it.
LOGIN_KNOWN_BROWSER_DAYS = env.int("LOGIN_KNOWN_BROWSER_DAYS", default=30)
LOGIN_KNOWN_BROWSER_FAILURES = env.int("LOGIN_KNOWN_BROWSER_FAILURES", default=5)
LOGIN_KNOWN_ADDRESS_DAYS = env.int("LOGIN_KNOWN_ADDRESS_DAYS", default=30)
# ログイン履歴 shows the user's own events of this many days.
LOGIN_HISTORY_DAYS = env.int("LOGIN_HISTORY_DAYS", default=90)
# Other companies' login IDs a company administrator may bump into per day
# before every new ID is refused (accounts/identity/login_ids.py).
LOGIN_ID_REFUSAL_LIMIT = env.int("LOGIN_ID_REFUSAL_LIMIT", default=10)

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("日本語")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
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

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    if TRUSTED_PROXY_COUNT:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
