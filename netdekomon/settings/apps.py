"""Installed apps, middleware (their order is checked), URLs and templates."""

from .environment import BASE_DIR

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
    # Passkeys (django-otp-webauthn): after accounts, whose Passkey extends its models
    # (the library's models module loads the user model first).
    "django_otp_webauthn",
    "sso",  # シングルサインオン (SAML 2.0): above accounts, below the catalogue
    "catalog",
    "licensing",
    "portal",
    # Product apps: each declares itself in its AppConfig (see README).
    "attendance",
    "payslips",
    "reception",
]

MIDDLEWARE = [
    "netdekomon.overload.OverloadSheddingMiddleware",  # 「混み合っています」 before any work (first)
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
    "accounts.sessions.gate.LoginGateMiddleware",  # the login's guards, in LOGIN_GATE_GUARDS' order
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

# The login gate's guards, applied in this order (accounts.sessions.gate; the
# check accounts.E005 keeps every installed app's guards listed and in order).
LOGIN_GATE_GUARDS = [
    "accounts.sessions.guards.LIFETIME",  # idle and absolute session lifetimes, before the URL is resolved
    "accounts.sessions.guards.OFFICE_IP",  # 社外からのアクセス制限: before any licence or step-up answer
    "licensing.guards.LICENCE",  # an unused product is a 404, before any step-up
    "accounts.sessions.guards.ACCESS",  # the view's declared access level; undeclared views are closed
    "accounts.console.guards.CONSOLE_PASSKEY",  # 会社管理者 of a company that requires it: a passkey for the console
    "accounts.sessions.guards.USER_SESSIONS",  # ログイン中の端末: the session's row follows it
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
                "accounts.context_processors.company_contacts",
            ],
        },
    },
]

WSGI_APPLICATION = "netdekomon.wsgi.application"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
