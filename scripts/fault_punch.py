"""Fault test: PostgreSQL restarted, the shared cache (Redis) paused, killed
and restored from an old snapshot, under a sustained punch load.

Runs everything on loopback and cleans up after itself:

1. a private PostgreSQL cluster (initdb in a temporary directory, port
   55439; the shared server on 5432 is never touched) and a private
   redis-server on a free port (tests/redis_server.py; the shared Redis
   on 6379 is never touched),
2. the app under gunicorn with production settings (DEBUG off, REDIS_URL
   set: 100 ms timeout and the circuit breaker, as deployed),
3. USERS B-ID employees, logged in in the limited mode, each punching
   出勤 → (休憩開始 → 休憩終了)… as fast as the server answers; a punch whose
   outcome is unknown (error page, broken connection) is re-sent with the
   same form token, as the browser's resubmission would,
4. PostgreSQL stopped OUTAGE seconds after the start, then started again,
5. Redis paused (SIGSTOP: the port open, nothing answers) for
   REDIS_OUTAGE seconds, REDIS_PAUSE_AT seconds after the start,
6. a graceful reload of gunicorn (HUP, as a release does) RELOAD_AT seconds
   after the start, once PostgreSQL is back,
7. Redis killed REDIS_KILL_AT seconds after the start, started again
   REDIS_OUTAGE seconds later and given back the keys of a snapshot taken
   at the start (a Redis restarted from an old dump),
8. LEAVERS more employees who log out LOGOUT_AT seconds after the start
   (after the snapshot); their old session cookies are tried again after
   Redis came back from the snapshot, and at the end.

Checks and prints: every punch the server confirmed is in the database
exactly once (one row per form token); no punch is stored that was not
sent; during the PostgreSQL outage the app answered with an error page and
no traceback; the time from PostgreSQL being back to the first confirmed
punch; Redis paused or down costs no error at all; the reload answered
every request (no error, no refused connection from its start to the end,
Redis killed meanwhile); no ended session answers; the log has no cache
traceback, only a warning per worker when Redis goes and one when it is
back. Prints punches per second in each phase. Usage (root, PostgreSQL
binaries and redis-server installed)::

    .venv/bin/python scripts/fault_punch.py [--users 20] [--seconds 50] [--outage 5]

Exits non-zero when a check fails. Figures are recorded in docs/security.md.
"""

import argparse
import glob
import http.client
import http.cookiejar
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.redis_server import RedisServer  # noqa: E402 - the helper the fault tests use

PY = sys.executable  # the virtualenv's python (make's .venv, or a shared one)
PG_PORT = 55439
APP = "http://127.0.0.1:8766"
PASSWORD = "Fault-test-horse-42"
CONFIRMED = re.compile(r"に打刻しました|既に記録されています")
TOKEN = re.compile(r'name="token" value="([^"]+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NEXT_KIND = {None: "in", "in": "break_start", "break_start": "break_end", "break_end": "break_start"}


def run_as_postgres(*args, **kwargs):
    return subprocess.run(["runuser", "-u", "postgres", "--", *args], check=True,
                          capture_output=True, text=True, **kwargs)


class Cluster:
    def __init__(self):
        self.bin = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]
        self.dir = tempfile.mkdtemp(prefix="nk-fault-pg-")
        shutil.chown(self.dir, "postgres", "postgres")
        self.data = os.path.join(self.dir, "data")
        run_as_postgres(f"{self.bin}/initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "-E", "UTF8")

    def pg_ctl(self, action, *extra):
        options = f"-p {PG_PORT} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=on"
        run_as_postgres(f"{self.bin}/pg_ctl", "-D", self.data, "-w", "-o", options,
                        "-l", os.path.join(self.dir, "log"), action, *extra)

    def remove(self):
        try:
            self.pg_ctl("stop", "-m", "immediate")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


class Employee(threading.Thread):
    def __init__(self, login_id, deadline):
        super().__init__(daemon=True)
        self.login_id, self.deadline = login_id, deadline
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.confirmed = []  # (token, kind, time)
        self.sent = set()  # (login_id, token, kind) of every punch POSTed
        self.errors = []  # (time, status, body) while the outcome was unknown
        self.last_kind = None
        self.refused = []

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(APP + path, body, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")
        except OSError as error:
            return 0, str(error)

    def log_in(self):
        _, page = self.request("/accounts/login/")
        csrf = CSRF.search(page).group(1)
        self.request("/accounts/login/", {"csrfmiddlewaretoken": csrf, "login_view-current_step": "auth",
                                          "auth-username": self.login_id, "auth-password": PASSWORD})
        status, page = self.request("/accounts/login/", {
            "csrfmiddlewaretoken": csrf, "login_view-current_step": "choice", "choice-mode": "limited"})
        assert status == 200 and "就業打刻・明細閲覧のみ" in page, (status, page[:300])

    def run(self):
        token = None
        kind = NEXT_KIND[None]
        while time.monotonic() < self.deadline:
            if token is None:
                status, page = self.request("/attendance/")
                if status != 200 or not TOKEN.search(page):
                    self.errors.append((time.monotonic(), status, page))
                    time.sleep(0.5)
                    continue
                token, csrf = TOKEN.search(page).group(1), CSRF.search(page).group(1)
            # POST, then the redirect to the punch page with the message (followed by urllib).
            self.sent.add((self.login_id, token, kind))
            status, page = self.request("/attendance/", {"csrfmiddlewaretoken": csrf, "token": token, "kind": kind})
            if status == 200 and CONFIRMED.search(page):
                self.confirmed.append((token, kind, time.monotonic()))
                self.last_kind, kind, token = kind, NEXT_KIND[kind], None
            elif status == 200:  # refused: the sequence the server knows differs from ours
                self.refused.append(page)
                return
            else:  # outcome unknown: send the same form (same token) again
                self.errors.append((time.monotonic(), status, page))
                time.sleep(0.5)


class Leaver(Employee):
    """Logs in, uses the punch page, logs out; its old cookie must never answer again."""

    def log_out(self):
        status, page = self.request("/attendance/")
        assert status == 200, (status, page[:300])
        self.old_cookie = next(c.value for c in self.jar if c.name == "sessionid")
        status, _ = self.request("/accounts/logout/", {"csrfmiddlewaretoken": CSRF.search(page).group(1)})
        assert status == 200, status

    def old_cookie_answers(self) -> bool:
        """True when the ended session's cookie gets anything but the login page."""
        host, port = APP.split("//")[1].split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        connection.request("GET", "/attendance/", headers={"Cookie": f"sessionid={self.old_cookie}"})
        response = connection.getresponse()
        response.read()
        connection.close()
        return not (response.status == 302 and response.getheader("Location", "").startswith("/accounts/login/"))


def django(env, *args, stdin=None):
    return subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, input=stdin, check=True,
                          capture_output=True, text=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=50)
    parser.add_argument("--outage", type=float, default=5, help="seconds PostgreSQL stays down")
    parser.add_argument("--down-at", type=float, default=10, help="seconds after the start")
    parser.add_argument("--reload-at", type=float, default=28,
                        help="seconds after the start for gunicorn's HUP (0: none)")
    parser.add_argument("--leavers", type=int, default=3, help="employees who log out during the run")
    parser.add_argument("--logout-at", type=float, default=5)
    parser.add_argument("--redis-pause-at", type=float, default=18)
    parser.add_argument("--redis-kill-at", type=float, default=34)
    parser.add_argument("--redis-outage", type=float, default=5, help="seconds Redis stays paused, then down")
    args = parser.parse_args()

    cluster = Cluster()
    redis = RedisServer().start()
    log = tempfile.NamedTemporaryFile(prefix="nk-fault-log-", suffix=".txt", delete=False)
    gunicorn = None
    try:
        cluster.pg_ctl("start")
        run_as_postgres(f"{cluster.bin}/createdb", "-h", "127.0.0.1", "-p", str(PG_PORT), "netdekomon_fault")
        env = {**os.environ, "DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(60),
               "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "false", "SESSION_COOKIE_SECURE": "false",
               "CSRF_COOKIE_SECURE": "false", "SECURE_HSTS_SECONDS": "0", "LOG_LEVEL": "WARNING",
               "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PG_PORT}/netdekomon_fault",
               "BIND": APP.split("//")[1], "WEB_CONCURRENCY": "4", "GUNICORN_ACCESSLOG": "",
               "REDIS_URL": redis.url, "CACHE_KEY_PREFIX": "fault"}
        django(env, "migrate", "--noinput", "-v", "0")
        django(env, "collectstatic", "--noinput", "-v", "0")
        django(env, "create_tenant", "fault", "障害試験株式会社")
        ids = [f"B7{n:06d}" for n in range(args.users)]
        leaver_ids = [f"B8{n:06d}" for n in range(args.leavers)]
        for login_id in ids + leaver_ids:
            django(env, "create_user", login_id, "--tenant", "fault", "--password-stdin", stdin=PASSWORD)
        gunicorn = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py",
                                     "netdekomon.wsgi:application"], cwd=ROOT, env=env,
                                    stdout=subprocess.DEVNULL, stderr=log)
        for _ in range(100):
            try:
                urllib.request.urlopen(APP + "/accounts/login/", timeout=2)
                break
            except OSError:
                time.sleep(0.2)

        employees = [Employee(login_id, 0) for login_id in ids]
        leavers = [Leaver(login_id, 0) for login_id in leaver_ids]
        for employee in employees + leavers:
            employee.log_in()
        start = time.monotonic()
        for employee in employees:
            employee.deadline = start + args.seconds
            employee.start()

        def at(seconds):
            time.sleep(max(0.0, start + seconds - time.monotonic()))
            return time.monotonic()

        phases = {}
        at(min(args.logout_at, args.down_at) - 1)
        snapshot = redis.snapshot()  # Redis while every session was alive
        at(args.logout_at)
        for leaver in leavers:
            leaver.log_out()
        down = at(args.down_at)
        cluster.pg_ctl("stop", "-m", "fast")
        at(args.down_at + args.outage)
        cluster.pg_ctl("start")
        up = time.monotonic()
        phases["PostgreSQL down"] = (down, up)
        paused = at(args.redis_pause_at)
        redis.pause()
        at(args.redis_pause_at + args.redis_outage)
        redis.resume()
        phases["Redis paused"] = (paused, time.monotonic())
        reload_at = None
        if args.reload_at:
            reload_at = at(args.reload_at)
            gunicorn.send_signal(signal.SIGHUP)
        killed = at(args.redis_kill_at)
        redis.stop()
        at(args.redis_kill_at + args.redis_outage)
        redis.start()
        redis.restore(snapshot)
        phases["Redis down"] = (killed, time.monotonic())
        phases["healthy (before the faults)"] = (start + 1, down)
        phases["healthy (Redis from the old snapshot, to the end)"] = (time.monotonic(), start + args.seconds)
        time.sleep(1)
        revived = [leaver.login_id for leaver in leavers if leaver.old_cookie_answers()]
        for employee in employees:
            employee.join()
        revived += [leaver.login_id for leaver in leavers if leaver.old_cookie_answers()]
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
        gunicorn = None
        report = check(env, employees, down, up, reload_at, phases=phases, revived=revived,
                       log=Path(log.name).read_text(errors="replace"))
    finally:
        if gunicorn is not None:
            gunicorn.kill()
        cluster.remove()
        redis.close()
        os.unlink(log.name)
    print(report["text"])
    return 0 if report["ok"] else 1


def check(env, employees, down, up, reload_at=None, *, phases, revived, log):
    confirmed = [(e.login_id, token, kind) for e in employees for token, kind, _ in e.confirmed]
    script = (
        "import json,sys\nfrom attendance.models import Punch\n"
        "rows=list(Punch.objects.filter(user__login_id__startswith='B7').values_list('user__login_id','token','kind'))\n"
        "print(json.dumps(rows))"
    )
    rows = json.loads(django(env, "shell", "-c", script).stdout.strip().splitlines()[-1])
    stored = {tuple(r) for r in rows}
    missing = [c for c in confirmed if tuple(c) not in stored]
    duplicates = len(rows) - len(stored)
    unconfirmed_extra = len(stored - set(confirmed))
    sent = set().union(*(e.sent for e in employees))
    never_sent = len(stored - sent)
    cache_errors = [(name, t, s) for e in employees for t, s, _ in e.errors
                    for name, (since, until) in phases.items() if name.startswith("Redis") and since <= t <= until]
    went = log.count("shared cache") - log.count("is back")
    back = log.count("is back")
    cache_tracebacks = log.count("redis.exceptions.")
    rates = []
    for name, (since, until) in phases.items():
        count = sum(1 for e in employees for _, _, t in e.confirmed if since <= t <= until)
        rates.append(f"{name}: {count / max(until - since, 0.001):,.0f}/s")
    outage_errors = [(t, s, b) for e in employees for t, s, b in e.errors if down <= t <= up + 30]
    tracebacks = [b for _, _, b in outage_errors if "Traceback" in b or "psycopg" in b]
    error_page = sum("ただいま処理できません" in b for _, _, b in outage_errors)
    after = sorted(t for e in employees for _, _, t in e.confirmed if t >= up)
    recovery = (after[0] - up) if after else None
    statuses = sorted({s for _, s, _ in outage_errors})
    refused = sum(len(e.refused) for e in employees)
    reload_errors = [(t, s) for e in employees for t, s, _ in e.errors if reload_at is not None and t >= reload_at]
    reload_confirmed = sum(1 for e in employees for _, _, t in e.confirmed if reload_at is not None and t >= reload_at)
    ok = not missing and not duplicates and not tracebacks and not refused and recovery is not None and recovery < 10
    ok = ok and not reload_errors and not never_sent and not cache_errors and not revived
    ok = ok and not cache_tracebacks and went <= 4 * 3 and back <= went
    text = "\n".join([
        f"employees: {len(employees)}, confirmed punches: {len(confirmed)}, rows in the database: {len(rows)}",
        f"confirmed but missing: {len(missing)}, duplicate rows: {duplicates}, "
        f"rows without a confirmation (outcome lost in the outage, resent later): {unconfirmed_extra}, "
        f"punches refused: {refused}, rows of a punch never sent: {never_sent}",
        f"PostgreSQL down for {up - down:.1f} s; answers meanwhile: {len(outage_errors)} errors, "
        f"statuses {statuses}, the Japanese error page: {error_page}, tracebacks shown: {len(tracebacks)}",
        f"first confirmed punch {recovery:.2f} s after PostgreSQL was back" if recovery is not None
        else "no punch confirmed after PostgreSQL was back",
        (f"graceful reload (HUP): {reload_confirmed} punches confirmed after it, {len(reload_errors)} errors"
         if reload_at is not None else "no reload"),
        f"Redis paused {phases['Redis paused'][1] - phases['Redis paused'][0]:.1f} s, down "
        f"{phases['Redis down'][1] - phases['Redis down'][0]:.1f} s then restored from the snapshot taken before "
        f"the logouts: errors meanwhile {len(cache_errors)}",
        f"ended sessions (logged out after the snapshot) that answered again: {len(revived)} {revived or ''}",
        f"log: cache warnings 'unavailable' {went}, 'is back' {back} (4 workers, new ones after the reload), "
        f"cache tracebacks {cache_tracebacks}",
        *(f"  error in {name} at {t - phases[name][0]:.1f} s: status {status}" for name, t, status in cache_errors[:5]),
        "punches per second: " + "; ".join(rates),
        "OK" if ok else "FAILED",
    ])
    return {"ok": ok, "text": text}


if __name__ == "__main__":
    sys.exit(main())
