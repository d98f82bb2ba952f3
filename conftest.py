"""Named personas (healthchecks' hc/test.py idea) and session-state helpers.

Personas of tenant "acme": ``admin_a`` (A-ID company administrator with a
device), ``employee_a`` (A-ID with a device), ``fresh_a`` (A-ID, no device),
``employee_b`` (B-ID with a device), ``fresh_b`` (B-ID, no device),
``temp_b`` (B-ID on a temporary password, with a device); ``other_user``
belongs to tenant "other" (with ``other_admin``; ``other_personas`` is
every persona of "other"); ``operator`` is a superuser with no tenant.
Every persona's password is ``PASSWORD``.
"""

import itertools
import os

import pytest
from django.conf import settings
from django.db import connection

from tests import database, helpers
from tests.e2e import axe

PASSWORD = helpers.PASSWORD


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database; transactional tests end by putting back the
    rows migrate left instead of a flush (tests/database.py: 1 s less each), and
    a commit does not wait for the disk (a test database outlives no crash)."""
    with django_db_blocker.unblock():
        database.remember_migrated_rows()
        database.commit_without_waiting_for_the_disk()
    database.install()


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    # Argon2 stays first in production settings; tests that measure it opt back in.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher",
                                 "django.contrib.auth.hashers.Argon2PasswordHasher",
                                 "accounts.hashers.TemporaryPasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    # A request in English (the footer switch) leaves English active in this
    # thread, as Django does between requests; each test starts in Japanese.
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def acme(db):
    return helpers.make_tenant("acme", "アクメ株式会社")


@pytest.fixture
def other_tenant(db):
    return helpers.make_tenant("other", "他社株式会社")


@pytest.fixture
def admin_a(acme):
    return helpers.make_user("A1000001", acme, name="管理 太郎", admin=True, device=True)


@pytest.fixture
def employee_a(acme):
    return helpers.make_user("A1000002", acme, name="佐藤 一郎", device=True)


@pytest.fixture
def fresh_a(acme):
    return helpers.make_user("A1000003", acme, name="新人 三郎")


@pytest.fixture
def employee_b(acme):
    return helpers.make_user("B1000001", acme, name="鈴木 花子", device=True)


@pytest.fixture
def fresh_b(acme):
    return helpers.make_user("B1000002", acme, name="田中 四郎")


@pytest.fixture
def temp_b(acme):
    return helpers.make_user("B1000003", acme, name="高橋 次郎", device=True, temporary=True)


@pytest.fixture
def other_user(other_tenant):
    return helpers.make_user("B2000001", other_tenant, name="他社 五郎", device=True)


@pytest.fixture
def other_admin(other_tenant):
    return helpers.make_user("A2000001", other_tenant, name="他社 管理", admin=True, device=True)


@pytest.fixture
def other_personas(other_tenant, other_admin, other_user):
    """Every persona of tenant "other", as a seed_demo hook gets them: an A-ID
    administrator, an A-ID, a B-ID and a B-ID on a temporary password."""
    return [
        other_admin,
        helpers.make_user("A2000002", other_tenant, name="他社 一郎", device=True),
        other_user,
        helpers.make_user("B2000003", other_tenant, name="他社 次郎", device=True, temporary=True),
    ]


@pytest.fixture
def operator(db):
    return helpers.make_operator("A9000001")


@pytest.fixture
def console(client, admin_a):
    """The manager console: a company administrator verified with the code."""
    return helpers.session_full(client, admin_a)


@pytest.fixture
def on_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (run by `make test` with PostgreSQL up)")
    return True


# The shared cache (REDIS_URL). Every test gets keys of its own (a prefix per
# process and test), so parallel runs and the rows of one test's rolled-back
# database never meet another's cached copies; nothing is flushed, this
# run's keys are deleted at the end.
REDIS_TEST_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
_RUN_PREFIX = f"test{os.getpid()}"
_test_numbers = itertools.count()


def _redis_cache_settings():
    return {"default": {
        "BACKEND": "accounts.shared_cache.RedisCache", "LOCATION": REDIS_TEST_URL,
        "KEY_PREFIX": f"{_RUN_PREFIX}-{next(_test_numbers)}",
        "OPTIONS": {"timeout": 0.5},
    }}


def redis_unreachable() -> str | None:
    """Why the test Redis cannot be used, or None."""
    try:
        import redis

        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=0.5).ping()
    except Exception as error:  # noqa: BLE001
        return f"{type(error).__name__}: {error}"
    return None


@pytest.fixture(autouse=True)
def _own_cache_keys(request):
    if not settings.SHARED_CACHE:
        yield
        return
    fixture = request.getfixturevalue("settings")
    fixture.CACHES = _redis_cache_settings()
    yield


@pytest.fixture
def shared_cache_on(settings):
    """The shared cache on the real Redis, whether or not the run has REDIS_URL
    (skipped with a notice when Redis is not reachable; required under CI)."""
    problem = redis_unreachable()
    if problem:
        message = f"needs Redis at {REDIS_TEST_URL} ({problem})"
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; required under CI")
        pytest.skip(message)
    settings.CACHES = _redis_cache_settings()
    settings.SHARED_CACHE = True
    return settings


@pytest.fixture
def own_redis():
    """A redis-server of the test's own on a free port, to stop, pause and
    restore (tests/redis_server.py); skipped when the binary is missing,
    failed under CI."""
    from tests import redis_server

    problem = redis_server.missing()
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(problem + "; required under CI")
        pytest.skip(problem)
    server = redis_server.RedisServer().start()
    yield server
    server.close()


@pytest.fixture
def faulty_cache(settings, own_redis):
    """The shared cache on the test's own Redis, as production configures it
    (100 ms timeout), with a breaker that probes again after 0.3 s."""
    settings.CACHES = {"default": {
        "BACKEND": "accounts.shared_cache.RedisCache", "LOCATION": own_redis.url,
        "KEY_PREFIX": "nk", "OPTIONS": {"timeout": 0.1, "retry_seconds": 0.3},
    }}
    settings.SHARED_CACHE = True
    return own_redis


@pytest.fixture
def database_only(settings):
    """No shared cache, whatever the run's REDIS_URL: statement counts of the database-only service."""
    settings.SHARED_CACHE = False
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    return settings


@pytest.fixture(scope="session", autouse=True)
def _delete_this_runs_cache_keys():
    yield
    if redis_unreachable():
        return
    import redis

    client = redis.Redis.from_url(REDIS_TEST_URL)
    for key in client.scan_iter(match=f"{_RUN_PREFIX}-*", count=1000):
        client.delete(key)


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(config, items):
    """Spread the browser tests through the run, a module at a time (their module shares
    one Chromium): a browser test mostly waits — on the page, on a timeout it tests —
    and at the end of the run the processes would wait together while a core idles.
    Each module's browser tests run in one process (an ``xdist_group``): split over
    the processes, a module started Playwright and Chromium in each (43 starts for 21
    modules, about 0.75 s of CPU each).

    pytest-django puts transactional tests after the others; the browser tests are
    transactional, so this undoes that for them. It is safe because a transactional
    test leaves the tables as the migrations do (flushed, content types and
    permissions rebuilt by post_migrate) and no migration seeds rows a test reads.
    A data migration that does must mark its readers ``serialized_rollback``."""
    browser, others = [], []
    for item in items:
        (browser if item.get_closest_marker("e2e") else others).append(item)
    modules: dict[str, list] = {}
    for item in browser:
        module = item.nodeid.split("::")[0]
        modules.setdefault(module, []).append(item)
        if item.get_closest_marker("xdist_group") is None:
            item.add_marker(pytest.mark.xdist_group(module))
    if not browser or not others:
        return
    step = len(others) / (len(modules) + 1)
    spread, start = [], 0
    for index, module in enumerate(modules.values(), 1):
        end = round(index * step)
        spread += others[start:end] + module
        start = end
    items[:] = spread + others[start:]


def pytest_configure(config):
    if not hasattr(config, "workerinput"):  # the run's first process, before it starts the others
        axe.share_checks()


def pytest_unconfigure(config):
    if not hasattr(config, "workerinput"):
        axe.end_sharing()


def pytest_report_header(config):
    shared = f"shared cache: Redis at {settings.REDIS_URL}" if settings.SHARED_CACHE else "shared cache: none"
    return f"database: {settings.DATABASES['default']['ENGINE']}; {shared}"
