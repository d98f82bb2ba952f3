"""Database time limits (PostgreSQL's statement_timeout and lock_timeout): a
request blocked by a lock or a slow statement answers the Japanese 503 page
「混み合っています」 with Retry-After within the limit, and nothing of it is
written. The blocking lock is held by a second connection, as another
request or a long maintenance statement would hold it."""

import re
import time
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db import connection, connections
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecurityEvent
from attendance.models import Punch
from tests.helpers import code_for, post_choice, post_code, post_login, session_limited

pytestmark = pytest.mark.django_db(transaction=True)

LIMIT_MS = 1000  # set for these tests' connection, so each waits one second, not the default five


@contextmanager
def held(sql: str):
    """A second connection holds a lock (taken by ``sql``) until the block ends."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute(sql)
            yield
            cursor.execute("ROLLBACK")
    finally:
        other.close()


@pytest.fixture
def short_limits(on_postgres):
    with connection.cursor() as cursor:
        cursor.execute(f"SET lock_timeout = {LIMIT_MS}")
        cursor.execute(f"SET statement_timeout = {2 * LIMIT_MS}")
    yield
    connection.close()  # the next test connects afresh, with the configured limits


def assert_busy_page(response, elapsed):
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    html = response.content.decode()
    assert "<h1>混み合っています</h1>" in html and "処理を完了できませんでした" in html
    assert re.search(r'<a class="btn block[^"]*" href="/', html), "a way on"
    assert elapsed < 2 * LIMIT_MS / 1000 + 1.5, f"answered after {elapsed:.1f} s"


def test_the_configured_limits_reach_the_connection(on_postgres):
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        statement = cursor.fetchone()[0]
        cursor.execute("SHOW lock_timeout")
        lock = cursor.fetchone()[0]
    assert statement == f"{settings.DATABASE_STATEMENT_TIMEOUT_MS // 1000}s"
    assert lock == f"{settings.DATABASE_LOCK_TIMEOUT_MS // 1000}s"
    assert settings.DATABASE_STATEMENT_TIMEOUT_MS * 2 <= 30_000, "well below gunicorn's 30 s"


def test_a_punch_blocked_by_a_table_lock_answers_503_and_records_nothing(short_limits, employee_b, caplog):
    client = session_limited(Client(raise_request_exception=False), employee_b)
    token = re.search(r'name="token" value="([0-9a-f]{32})"', client.get("/attendance/").content.decode()).group(1)
    with held(f"LOCK TABLE {Punch._meta.db_table} IN ACCESS EXCLUSIVE MODE"):
        started = time.monotonic()
        response = client.post("/attendance/", {"kind": "in", "token": token})
        elapsed = time.monotonic() - started
    assert_busy_page(response, elapsed)
    assert "二重には記録されません" in response.content.decode()
    # One warning line, no traceback.
    assert [r.levelname for r in caplog.records if "time limit" in r.getMessage()] == ["WARNING"]
    assert not [r for r in caplog.records if r.levelname == "ERROR"]
    assert not Punch.objects.exists()
    # The same form sent again once the lock is gone records the punch once.
    client.post("/attendance/", {"kind": "in", "token": token})
    assert Punch.objects.filter(user=employee_b).count() == 1


def test_a_login_blocked_by_a_row_lock_answers_503_and_logs_nobody_in(short_limits, employee_b):
    client = Client(raise_request_exception=False)
    post_login(client, employee_b.login_id)
    with held(f"SELECT 1 FROM accounts_user WHERE id = {employee_b.pk} FOR UPDATE"):
        started = time.monotonic()
        response = post_choice(client, "limited")
        elapsed = time.monotonic() - started
    assert_busy_page(response, elapsed)
    assert "_auth_user_id" not in client.session
    assert not SecurityEvent.objects.filter(user=employee_b, kind=SecurityEvent.Kind.LOGIN_SUCCESS).exists()


def test_a_slow_statement_is_cancelled_within_the_statement_limit(short_limits, employee_a):
    # The code step of an A-ID: the device row is locked for the verification.
    device = TOTPDevice.objects.get(user=employee_a)
    client = Client(raise_request_exception=False)
    post_login(client, employee_a.login_id)
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = 0")  # no lock limit: only the statement limit ends the wait
    with held(f"SELECT 1 FROM otp_totp_totpdevice WHERE id = {device.pk} FOR UPDATE"):
        started = time.monotonic()
        response = post_code(client, code_for(device))
        elapsed = time.monotonic() - started
    assert_busy_page(response, elapsed)
    assert "_auth_user_id" not in client.session
    assert not SecurityEvent.objects.filter(user=employee_a, kind=SecurityEvent.Kind.CODE_SUCCESS).exists()


def test_the_busy_page_in_english_when_switched(short_limits, employee_b):
    client = Client(raise_request_exception=False)
    client.cookies["django_language"] = "en"
    post_login(client, employee_b.login_id)
    with held(f"SELECT 1 FROM accounts_user WHERE id = {employee_b.pk} FOR UPDATE"):
        response = post_choice(client, "limited")
    assert response.status_code == 503
    assert "The service is busy" in response.content.decode()


def test_sqlites_busy_timeout_counts_as_busy_and_other_errors_do_not(tmp_path):
    """The development database: a write lock held elsewhere past the busy timeout."""
    import sqlite3

    from django.db import OperationalError

    from netdekomon.errors import database_busy

    path = tmp_path / "busy.sqlite3"
    holder, waiter = sqlite3.connect(path), sqlite3.connect(path, timeout=0)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    try:
        waiter.execute("INSERT INTO t VALUES (1)")
    except sqlite3.OperationalError as error:
        busy = OperationalError(str(error))
        busy.__cause__ = error
    finally:
        holder.rollback()
    assert database_busy(busy)
    assert not database_busy(OperationalError("connection refused"))
    assert not database_busy(RuntimeError("database is locked"))
