"""Session lifetimes and cookies (docs/security.md)."""

from .environment import env

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
# Django's database store, its read of the session as prepared SQL (accounts/sessions/store.py).
SESSION_ENGINE = "accounts.sessions.store"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
