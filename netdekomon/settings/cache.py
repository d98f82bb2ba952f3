"""The optional shared cache (Redis)."""

from django.core.exceptions import ImproperlyConfigured

from .environment import env

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
