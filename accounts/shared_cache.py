"""The optional shared cache: Redis at ``REDIS_URL``, shared by every worker
of every app server (docs/deployment.md). An accelerator, never a dependency.

Without ``REDIS_URL`` no shared state is cached across requests
(``shared_cache()`` is None) and everything reads PostgreSQL or SQLite as
before: a per-process cache of shared state would let one worker serve what
another has already changed. (A worker may keep what is a pure function of
its inputs, such as the portal's tiles per licence set.)

With it, only what can be recomputed from the database is kept here, under a
key that the database names: a tenant's licence set is kept under the
tenant's ``cache_version``, which every licence change raises in the same
transaction. An old value — a snapshot restored, a write that arrived late —
sits under a key nobody asks for any more. Sessions are not kept here: the
database decides whether a session is alive, and asking it costs the same
statement as reading the session. Nothing that enforces a limit (lockouts,
back-off, a code accepted once per step, one punch per form) is ever kept
here: those are rows and constraints in the database.

A Redis that does not answer costs one short timeout (``SHARED_CACHE_TIMEOUT``)
and opens a circuit breaker for this process: calls answer "not cached" at
once, without touching the network, until a probe after
``SHARED_CACHE_RETRY_SECONDS`` succeeds. One warning when the cache goes
away, one when it is back.
"""

import logging
import threading
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends import redis as django_redis

logger = logging.getLogger(__name__)


def shared_cache():
    """The shared cache, or None when the service runs without one."""
    return caches["default"] if getattr(settings, "SHARED_CACHE", False) else None


def cached(key: str, compute, timeout: int):
    """``compute()``, kept under ``key`` in the shared cache when there is one.

    ``key`` must name the database state the value is computed from (a
    version read before ``compute()``), so that a value kept under it is
    never older than what the key stands for."""
    cache = shared_cache()
    if cache is None:
        return compute()
    value = cache.get(key)  # None when the cache is away (the breaker answers)
    if value is not None:
        return value
    value = compute()
    if value is not None:
        cache.set(key, value, timeout)
    return value


class Breaker:
    """Keeps a process off a Redis that failed, until a probe succeeds.

    Closed: every call goes to Redis. A call that fails (refused, timed out)
    opens it: calls are refused here for ``retry_seconds``; then one call is
    let through as the probe (the others stay off), and its success closes
    the breaker again. Shared by the threads of a process."""

    def __init__(self, location: str, retry_seconds: float):
        self.location = location
        self.retry_seconds = retry_seconds
        self._lock = threading.Lock()
        self._down = False
        self._next_probe = 0.0

    @property
    def is_open(self) -> bool:
        return self._down

    def allow(self) -> bool:
        if not self._down:
            return True
        with self._lock:
            now = time.monotonic()
            if now < self._next_probe:
                return False
            self._next_probe = now + self.retry_seconds  # this call probes, the others wait
            return True

    def failed(self, error: Exception) -> None:
        with self._lock:
            self._next_probe = time.monotonic() + self.retry_seconds
            if self._down:
                return
            self._down = True
        logger.warning("shared cache %s unavailable (%s: %s); reading the database, next try in %ss",
                       _redacted(self.location), type(error).__name__, error, self.retry_seconds)

    def succeeded(self) -> None:
        if not self._down:
            return
        with self._lock:
            if not self._down:
                return
            self._down = False
        logger.warning("shared cache %s is back", _redacted(self.location))


_breakers: dict[tuple[str, float], Breaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(location: str, retry_seconds: float) -> Breaker:
    """One breaker per Redis and process (Django keeps one cache object per thread)."""
    with _breakers_lock:
        return _breakers.setdefault((location, retry_seconds), Breaker(location, retry_seconds))


def _redacted(location: str) -> str:
    """The URL without a password (``redis://:secret@host`` is never logged)."""
    if "@" in location:
        scheme, _, rest = location.partition("://")
        return f"{scheme}://…@{rest.rpartition('@')[2]}"
    return location


class _RedisClientKept(django_redis.RedisCacheClient):
    """Django's client builds a new ``redis.Redis`` around the connection pool
    for every cache call, its table of response callbacks included: about a
    tenth of a millisecond of CPU per licence lookup, on every request. One
    ``redis.Redis`` per pool is enough (it is safe to share; the pool hands
    out the connections)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)  # kept by Django's client for its life
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


def _unavailable_errors():
    import redis

    # Redis away, too slow, or refusing (out of memory, read-only replica, loading
    # its dump): all the same to a reader. Anything else (a value that does not
    # pickle: a bug) is raised.
    return (redis.exceptions.RedisError, OSError)


class RedisCache(django_redis.RedisCache):
    """``CACHES`` backend of the shared cache: Django's, keeping its client,
    with short timeouts, no retries and a circuit breaker.

    Where django-redis's ``IGNORE_EXCEPTIONS`` stops (every call still waits
    for its own timeout, and logs its own traceback), the breaker keeps the
    process off a failed Redis: a hung Redis costs one timeout per probe,
    not one per call. Options (``CACHES[...]["OPTIONS"]``): ``timeout``
    (seconds, socket connect and read; default 0.1) and ``retry_seconds``
    (how long the breaker stays open before a probe; default 5)."""

    def __init__(self, server, params):
        import redis

        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        timeout = float(options.pop("timeout", 0.1))
        retry_seconds = float(options.pop("retry_seconds", 5))
        options.setdefault("socket_connect_timeout", timeout)
        options.setdefault("socket_timeout", timeout)
        # redis-py retries a failed call (with back-off) by default: seconds per call.
        options.setdefault("retry", redis.retry.Retry(redis.backoff.NoBackoff(), 0))
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._class = _RedisClientKept
        self.breaker = breaker_for(",".join(self._servers), retry_seconds)
        self._unavailable = _unavailable_errors()

    def _guarded(self, call, default, *args, **kwargs):
        if not self.breaker.allow():
            return default
        try:
            result = call(*args, **kwargs)
        except self._unavailable as error:
            self.breaker.failed(error)
            return default
        self.breaker.succeeded()
        return result

    def add(self, key, value, timeout=django_redis.DEFAULT_TIMEOUT, version=None):
        return self._guarded(super().add, False, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._guarded(super().get, default, key, default, version)

    def set(self, key, value, timeout=django_redis.DEFAULT_TIMEOUT, version=None):
        self._guarded(super().set, None, key, value, timeout, version)

    def touch(self, key, timeout=django_redis.DEFAULT_TIMEOUT, version=None):
        return self._guarded(super().touch, False, key, timeout, version)

    def delete(self, key, version=None):
        return self._guarded(super().delete, False, key, version)

    def get_many(self, keys, version=None):
        return self._guarded(super().get_many, {}, keys, version)

    def has_key(self, key, version=None):
        return self._guarded(super().has_key, False, key, version)

    def incr(self, key, delta=1, version=None):
        return self._guarded(super().incr, None, key, delta, version)

    def set_many(self, data, timeout=django_redis.DEFAULT_TIMEOUT, version=None):
        return self._guarded(super().set_many, list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        self._guarded(super().delete_many, None, keys, version)

    def clear(self):
        return self._guarded(super().clear, False)
