"""The database: SQLite for development, PostgreSQL with DATABASE_URL."""

from django.core.exceptions import ImproperlyConfigured

from .environment import BASE_DIR, env

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
