"""The optional shared cache: Redis at ``REDIS_URL``, shared by every worker
of every app server (docs/deployment.md).

Without ``REDIS_URL`` no shared state is cached across requests
(``shared_cache()`` is None) and everything reads PostgreSQL or SQLite as
before: a per-process cache of shared state would let one worker serve what
another has already changed. (A worker may keep what is a pure function of
its inputs, such as the portal's tiles per licence set.) With it,
only what can be recomputed from the database is kept here — the licence set
of a tenant, copies of sessions — and a cache that does
not answer is read past, never trusted. Nothing that enforces a limit
(lockouts, back-off, a code accepted once per step, one punch per form) is
ever kept here: those are rows and constraints in the database.
"""

import logging

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends import redis as django_redis
from django.db import transaction

logger = logging.getLogger(__name__)

# Left in place of a forgotten value for a few seconds: readers recompute
# from the database meanwhile, and a reader that read the database before the
# change cannot put its old value back (values are stored with ``add``, which
# never replaces a key, and so never this mark).
FORGOTTEN = "∅forgotten"
FORGET_SECONDS = 5


def shared_cache():
    """The shared cache, or None when the service runs without one."""
    return caches["default"] if getattr(settings, "SHARED_CACHE", False) else None


def cached(key: str, compute, timeout: int):
    """``compute()``, kept under ``key`` in the shared cache when there is one."""
    cache = shared_cache()
    if cache is None:
        return compute()
    try:
        value = cache.get(key)
    except Exception:  # noqa: BLE001 - the cache is an optimisation: read past it
        logger.warning("shared cache unavailable, reading %s from the database", key, exc_info=True)
        return compute()
    if value is not None and value != FORGOTTEN:
        return value
    value = compute()
    if value is not None:
        try:
            cache.add(key, value, timeout)
        except Exception:  # noqa: BLE001
            logger.warning("shared cache unavailable, %s not stored", key, exc_info=True)
    return value


def forget(key: str) -> None:
    """Drop ``key`` now and again once the current transaction commits."""
    cache = shared_cache()
    if cache is None:
        return

    def mark():
        try:
            cache.set(key, FORGOTTEN, FORGET_SECONDS)
        except Exception:  # noqa: BLE001 - bounded by the value's timeout (LICENCE_CACHE_SECONDS)
            logger.error("shared cache unavailable, %s not forgotten", key, exc_info=True)

    mark()
    transaction.on_commit(mark)


class _RedisClientKept(django_redis.RedisCacheClient):
    """Django's client builds a new ``redis.Redis`` around the connection pool
    for every cache call, its table of response callbacks included: about a
    tenth of a millisecond of CPU per session read or licence lookup, on
    every request. One ``redis.Redis`` per pool is enough (it is safe to
    share; the pool hands out the connections)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)  # kept by Django's client for its life
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    """``CACHES`` backend of the shared cache: Django's, keeping its client."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _RedisClientKept
