"""Named personas (healthchecks' hc/test.py idea) and session-state helpers.

Personas of tenant "acme": ``admin_a`` (A-ID company administrator with a
device), ``employee_a`` (A-ID with a device), ``fresh_a`` (A-ID, no device),
``employee_b`` (B-ID with a device), ``fresh_b`` (B-ID, no device),
``temp_b`` (B-ID on a temporary password, with a device); ``other_user``
belongs to tenant "other"; ``operator`` is a superuser with no tenant.
Every persona's password is ``PASSWORD``.
"""

import pytest
from django.conf import settings
from django.db import connection

from tests import helpers

PASSWORD = helpers.PASSWORD


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    # Argon2 stays first in production settings; tests that measure it opt back in.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher",
                                 "django.contrib.auth.hashers.Argon2PasswordHasher",
                                 "accounts.hashers.TemporaryPasswordHasher"]


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


def pytest_report_header(config):
    return f"database: {settings.DATABASES['default']['ENGINE']}"
