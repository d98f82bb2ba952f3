"""The benchmark's environment: databases, sessions, the gunicorn server."""

import os
import secrets
import subprocess
import sys
import time
from datetime import timedelta
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PASSWORD = "Bench-password-9-horse"
SECRET_KEY = os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50)


def configure_environment():
    """Before django.setup(): the production settings with DEBUG off."""
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "false",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DATABASE_URL": f"{PG}/postgres",
        "BENCH_PASSWORD": PASSWORD,
        # The harness seeds millions of rows in one statement; the servers it
        # starts keep the product's time limits (Server drops this).
        "DATABASE_STATEMENT_TIMEOUT_MS": "0",
        "DATABASE_LOCK_TIMEOUT_MS": "0",
    })
    sys.path.insert(0, str(ROOT))


def db_name(users: int) -> str:
    # BENCH_DB_PREFIX keeps runs from different checkouts apart (e.g. nk_bench_rush_u).
    return f"{os.environ.get('BENCH_DB_PREFIX', 'nk_bench_u')}{users}"


def use_database(name: str):
    """Point Django's default connection at another database."""
    from django.db import connections

    connections["default"].close()
    connections["default"].settings_dict["NAME"] = name


def create_database(name: str, *, drop: bool) -> bool:
    """Create the database; False when it already existed (and was kept)."""
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and not drop:
            return False
        if exists:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return True


def create_sessions(users: list[tuple[int, str]], *, backend: str = "accounts.backends.LoginIdBackend") -> list[str]:
    """A logged-in session per (user id, login ID), written straight to django_session.

    B-IDs get the limited mode (打刻・明細のみ), A-IDs a session verified
    with the code (``otp_device_id``), as after a real login; each also gets
    its ログイン中の端末 row and the snapshot of it the session keeps, so the
    first request does not write the row a login would have written.
    ``backend`` loads the session's user (the bare baselines': a fresh project's
    ``ModelBackend``, bench/baseline/backends.py).
    """
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection
    from django.utils import timezone

    from accounts.sessions.state import MODE_FULL, MODE_LIMITED, MODE_SESSION_KEY
    from accounts.sessions.state import LAST_SEEN_SESSION_KEY
    from accounts.models import User
    from accounts.sessions.user_sessions import ROW_SESSION_KEY

    ids = [pk for pk, _ in users]
    with connection.cursor() as cursor:
        cursor.execute("SELECT user_id, id FROM otp_totp_totpdevice WHERE user_id = ANY(%s)", [ids])
        devices = dict(cursor.fetchall())
    auth_hash = {}
    login_marks = {}  # what a real login writes into the session besides the above
    try:
        from accounts.sessions.state import STARTED_SESSION_KEY

        login_marks[STARTED_SESSION_KEY] = int(time.time())
    except ImportError:
        pass
    store = SessionStore()
    now = int(time.time())
    expire = timezone.now() + timedelta(hours=12)
    keys, rows, user_rows = [], [], []
    for pk, login_id in users:
        if login_id not in auth_hash:
            auth_hash[login_id] = User.objects.only("password", "session_stamp").get(pk=pk) \
                .get_session_auth_hash()
        data = {"_auth_user_id": str(pk), "_auth_user_backend": backend,
                "_auth_user_hash": auth_hash[login_id], LAST_SEEN_SESSION_KEY: now}
        data.update(login_marks)
        if login_id.startswith("B"):
            data[MODE_SESSION_KEY] = MODE_LIMITED
        else:
            data[MODE_SESSION_KEY] = MODE_FULL
            data["otp_device_id"] = f"otp_totp.totpdevice/{devices[pk]}"
        key = secrets.token_hex(16)
        data[ROW_SESSION_KEY] = [key, data[MODE_SESSION_KEY], now]
        keys.append(key)
        rows.append((key, store.encode(data), expire))
        user_rows.append((key, pk, timezone.now(), timezone.now(), "127.0.0.1", "bench", data[MODE_SESSION_KEY]))
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        with cursor.copy("COPY django_session (session_key, session_data, expire_date) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        with cursor.copy("COPY accounts_usersession (session_key, user_id, created_at, last_seen, ip_address,"
                         " user_agent, mode) FROM STDIN") as copy:
            for row in user_rows:
                copy.write_row(row)
    return keys


class Server:
    """gunicorn with the repository's gunicorn.conf.py, serving bench.wsgi."""

    def __init__(self, database: str, port: int, env: dict | None = None):
        self.port = port
        harness_only = {"DATABASE_STATEMENT_TIMEOUT_MS", "DATABASE_LOCK_TIMEOUT_MS"}
        env = {**{k: v for k, v in os.environ.items() if k not in harness_only}, "DATABASE_URL": f"{PG}/{database}", "BIND": f"127.0.0.1:{port}",
               "GUNICORN_ACCESSLOG": "", "GUNICORN_LOGLEVEL": "warning",
               # A worker replaced after its max_requests boots Django again (about a
               # second of CPU), charged to whichever run happens to be going on.
               "GUNICORN_MAX_REQUESTS": os.environ.get("BENCH_MAX_REQUESTS", "0"), **(env or {})}
        self.log = open(ROOT / "bench" / "results" / f"gunicorn-{port}.log", "w")
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py", "bench.wsgi:application"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        else:
            self.stop()
            raise RuntimeError(f"gunicorn on port {port} did not start; see {self.log.name}")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def worker_pids(self) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True).stdout
        return [int(pid) for pid in out.split()]

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()
