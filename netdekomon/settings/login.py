"""Users, passwords, two-factor codes, lock-outs and login IDs (docs/security.md)."""

from datetime import timedelta

from .environment import env

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

# TOTP (RFC 6238: SHA1, 6 digits, 30 s). django-otp's exponential back-off
# (1, 2, 4, 8 … seconds after each failure) limits guessing.
OTP_TOTP_THROTTLE_FACTOR = 1
# The back-off stops doubling at this wait (accounts/code_backoff.py): 20
# minutes leave an attacker 82 evaluated codes in a day from the first
# failure, 72 a day after that (NIST SP 800-63B: at most 100); the employee
# is never kept out of the code step for longer. `manage.py check` refuses a
# value that allows more than 100 (accounts.E004).
OTP_THROTTLE_MAX_DELAY_SECONDS = env.int("OTP_THROTTLE_MAX_DELAY_SECONDS", default=20 * 60)
OTP_TOTP_ISSUER = env.str("OTP_ISSUER", default="ネットde顧問")
TWO_FACTOR_TOTP_DIGITS = 6
TWO_FACTOR_REMEMBER_COOKIE_AGE = None  # never "remember this browser"
TWO_FACTOR_LOGIN_TIMEOUT = 600

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
# address could keep adding to an ID's ceiling (accounts/lockout.py).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Failures of one ID from every address (each counting for at most
# AXES_FAILURE_LIMIT) that close the ID to browsers and addresses that never
# completed a login as that user; known ones keep their own per-address limit.
LOGIN_ID_FAILURE_CEILING = env.int("LOGIN_ID_FAILURE_CEILING", default=30)
# A known browser's trust (accounts/known_browsers.py): renewed by each login,
# void after this many days or this many wrong passwords presented with it.
LOGIN_KNOWN_BROWSER_DAYS = env.int("LOGIN_KNOWN_BROWSER_DAYS", default=30)
LOGIN_KNOWN_BROWSER_FAILURES = env.int("LOGIN_KNOWN_BROWSER_FAILURES", default=5)
LOGIN_KNOWN_ADDRESS_DAYS = env.int("LOGIN_KNOWN_ADDRESS_DAYS", default=30)
# ログイン履歴 shows the user's own events of this many days.
LOGIN_HISTORY_DAYS = env.int("LOGIN_HISTORY_DAYS", default=90)
# Other companies' login IDs a company administrator may bump into per day
# before every new ID is refused (accounts/login_ids.py).
LOGIN_ID_REFUSAL_LIMIT = env.int("LOGIN_ID_REFUSAL_LIMIT", default=10)
# Single sign-on (sso/): the clock difference allowed with a company's identity provider
# when its assertion's NotBefore / NotOnOrAfter are checked; the provider's metadata URL
# is fetched once, on save, with this timeout.
SSO_CLOCK_SKEW_SECONDS = env.int("SSO_CLOCK_SKEW_SECONDS", default=60)
SSO_METADATA_TIMEOUT_SECONDS = env.int("SSO_METADATA_TIMEOUT_SECONDS", default=10)
SSO_CONSUMED_KEEP_DAYS = env.int("SSO_CONSUMED_KEEP_DAYS", default=7)  # accepted assertion IDs kept
