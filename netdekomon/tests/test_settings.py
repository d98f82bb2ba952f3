"""Settings from the environment: safe development defaults, loud failures
for a wrong production value. Each case starts Django in a subprocess with
exactly the environment given."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 20 + "-Random-Production-Key-0123456789-abcdefghijkl"

PRINT = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], 'debug': s.DEBUG, "
    "'name': str(s.DATABASES['default']['NAME']), 'hsts': getattr(s, 'SECURE_HSTS_SECONDS', 0), "
    "'secure_cookie': getattr(s, 'SESSION_COOKIE_SECURE', False), 'language': s.LANGUAGE_CODE, "
    "'tz': s.TIME_ZONE, 'hasher': s.PASSWORD_HASHERS[0], 'options': s.DATABASES['default'].get('OPTIONS', {}), "
    "'conn_max_age': s.DATABASES['default'].get('CONN_MAX_AGE')}))"
)


def start(**env):
    """Start Django with only ``env`` (plus PATH): (exit status, stdout, stderr)."""
    environment = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "netdekomon.settings", **env}
    done = subprocess.run([sys.executable, "-c", PRINT], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=60)
    return done.returncode, done.stdout, done.stderr


def started(**env):
    status, out, err = start(**env)
    assert status == 0, err
    return json.loads(out.strip().splitlines()[-1])


def test_no_environment_runs_on_sqlite_for_development():
    values = started()
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"].endswith("db.sqlite3")
    assert values["debug"] is True
    assert (values["language"], values["tz"]) == ("ja", "Asia/Tokyo")
    assert values["hasher"].endswith("Argon2PasswordHasher")


def test_database_url_switches_to_postgresql():
    values = started(DATABASE_URL="postgres://someone@db.example:5432/netdekomon")
    assert values["engine"] == "netdekomon.db.postgresql"  # Django's, batches fit server-side binding
    assert values["name"] == "netdekomon"


def test_postgresql_binds_parameters_on_the_server_and_prepares_repeated_statements():
    """What the connection measurement kept (docs/performance.md): PostgreSQL
    parses and plans a statement once per connection instead of per request."""
    values = started(DATABASE_URL="postgres://someone@db.example:5432/netdekomon")
    assert values["options"] == {"server_side_binding": True, "prepare_threshold": 5, "options": LIMITS}
    assert values["conn_max_age"] == 60
    plain = started(DATABASE_URL="postgres://someone@db.example:5432/netdekomon",
                    DATABASE_SERVER_SIDE_BINDING="false")
    assert plain["options"] == {"options": LIMITS} and plain["engine"] == "django.db.backends.postgresql"


LIMITS = "-c statement_timeout=10000 -c lock_timeout=5000"


def test_database_time_limits_are_connection_options_or_left_to_the_role():
    """docs/deployment.md, "Database time limits": behind PgBouncer in transaction
    mode the role carries them and the connection sends none."""
    url = "postgres://someone@db.example:5432/netdekomon"
    chosen = started(DATABASE_URL=url, DATABASE_STATEMENT_TIMEOUT_MS="8000", DATABASE_LOCK_TIMEOUT_MS="2000")
    assert chosen["options"]["options"] == "-c statement_timeout=8000 -c lock_timeout=2000"
    none = started(DATABASE_URL=url, DATABASE_STATEMENT_TIMEOUT_MS="0", DATABASE_LOCK_TIMEOUT_MS="0")
    assert "options" not in none["options"]


def test_a_statement_sent_again_and_again_is_prepared(on_postgres, employee_b):
    from django.db import connection

    from accounts.models import User

    if not connection.settings_dict["OPTIONS"].get("server_side_binding"):
        pytest.skip("the run turned server-side binding off (DATABASE_SERVER_SIDE_BINDING=false)")
    query = User.objects.filter(pk=employee_b.pk, login_id__startswith="B", name__isnull=False)
    marker = ['%"accounts_user"."name" IS NOT NULL%']

    def prepared():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", marker)
            return cursor.fetchone()[0]

    before = prepared()
    for _ in range(6):
        assert query.exists()
    assert prepared() == before + 1


def test_more_objects_than_a_statement_takes_parameters_are_deleted_in_batches(on_postgres):
    """Server-side binding carries at most 65,535 parameters: the collector's batches fit."""
    from django.db import connection

    if not connection.settings_dict["OPTIONS"].get("server_side_binding"):
        pytest.skip("the run turned server-side binding off (DATABASE_SERVER_SIDE_BINDING=false)")
    objs = list(range(70000))
    assert connection.ops.bulk_batch_size(["payslip"], objs) == 65535
    assert connection.ops.bulk_batch_size(["a", "b"], objs[:10]) == 10


@pytest.mark.parametrize("env,message", [
    ({"DEBUG": "false"}, "SECRET_KEY"),
    ({"DEBUG": "false", "SECRET_KEY": "too-short"}, "SECRET_KEY must be a random value of at least 50"),
    ({"DEBUG": "false", "SECRET_KEY": "dev-only-" + "x" * 60}, "SECRET_KEY must be a random value"),
    ({"DEBUG": "false", "SECRET_KEY": GOOD_KEY}, "ALLOWED_HOSTS"),
    ({"DEBUG": "ture"}, "DEBUG must be true or false, not 'ture'"),
    ({"AXES_FAILURE_LIMIT": "five"}, "AXES_FAILURE_LIMIT has a wrong value"),
    ({"SESSION_IDLE_SECONDS": "30min"}, "SESSION_IDLE_SECONDS has a wrong value"),
    ({"DATABASE_URL": "postgres://u@db:port/x"}, "DATABASE_URL has a wrong value"),
    ({"SHARED_CACHE_TIMEOUT": "30"}, "SHARED_CACHE_TIMEOUT must be more than 0 and at most 5 seconds"),
    ({"SHARED_CACHE_RETRY_SECONDS": "0"}, "SHARED_CACHE_RETRY_SECONDS must be more than 0"),
    ({"DATABASE_URL": "postgres://u@db/x", "DATABASE_STATEMENT_TIMEOUT_MS": "30000"},
     "DATABASE_STATEMENT_TIMEOUT_MS must be between 0 and half of GUNICORN_TIMEOUT"),
    ({"DATABASE_URL": "postgres://u@db/x", "DATABASE_LOCK_TIMEOUT_MS": "12000"},
     "DATABASE_LOCK_TIMEOUT_MS must be between 0 and DATABASE_STATEMENT_TIMEOUT_MS"),
], ids=["no key", "short key", "development key", "no hosts", "typo in a boolean", "not a number",
        "not seconds", "bad database port", "cache timeout too long", "breaker never open",
        "statement limit past gunicorn's", "lock limit past the statement's"])
def test_wrong_production_value_fails_at_start_with_a_clear_message(env, message):
    status, _out, err = start(**env)
    assert status != 0
    assert "ImproperlyConfigured" in err and message in err


def test_the_shared_cache_is_short_on_patience_by_default():
    """With REDIS_URL: a 100 ms timeout and a breaker open 5 s; sessions stay in the database."""
    code = ("import django, json; django.setup(); from django.conf import settings as s; "
            "print(json.dumps([s.CACHES['default']['OPTIONS'], s.SESSION_ENGINE]))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "netdekomon.settings",
                               "REDIS_URL": "redis://127.0.0.1:6379/0"})
    options, engine = json.loads(done.stdout.strip().splitlines()[-1])
    assert options == {"timeout": 0.1, "retry_seconds": 5.0}
    assert engine == "accounts.sessions.store"  # Django's database store (its read as prepared SQL)


def test_production_values_come_from_the_environment():
    values = started(DEBUG="false", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="kaisha.example")
    assert values["debug"] is False
    assert values["secure_cookie"] is True
    assert values["hsts"] >= 31536000
