"""What is measured: each function drives the running server and returns Results."""

import statistics
import tempfile
import time
from pathlib import Path

from .env import PASSWORD, create_sessions
from .loadgen import Browser, Result, wrk
from .seed import Layout, device_key

PUNCH, PORTAL, PAYSLIPS, LOGIN, ADMIN_USERS, BASELINE, PAGE = (
    "/attendance/", "/", "/payslips/", "/accounts/login/", "/admin/accounts/user/", "/bench/baseline/",
    "/bench/page/")


def pick_users(layout: Layout, count: int, *, prefix: str | None = None, offset: int = 0):
    """Ordinary employees outside the big tenant, spread over the whole id range."""
    first = layout.big_tenant_users + layout.tenants  # past every administrator
    candidates = range(first, layout.users + 1)
    chosen = []
    step = max(1, len(candidates) // max(1, count * (2 if prefix else 1)))
    for n in candidates[offset % step::step]:
        for m in (n, n + 1):  # IDs alternate A/B: a neighbour has the other letter
            login_id = layout.login_id(m) if m <= layout.users else ""
            if login_id and (prefix is None or login_id.startswith(prefix)):
                chosen.append((m, login_id))
                break
        if len(chosen) == count:
            break
    return chosen


def lines_file(lines) -> Path:
    handle = tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False)
    handle.write("\n".join(lines) + "\n")
    handle.close()
    return Path(handle.name)


def today_punches(user_ids, *, delete=False) -> int:
    """Punches of these users on today's work day (deleted first when asked)."""
    from django.utils import timezone

    from attendance.models import Punch, work_date_of

    rows = Punch.objects.filter(user_id__in=list(user_ids), work_date=work_date_of(timezone.now()))
    if delete:
        rows.delete()
        return 0
    return rows.count()


class Sessions:
    """Logged-in sessions for the users the throughput runs use."""

    def __init__(self, layout: Layout, count: int):
        self.users = pick_users(layout, count)
        self.keys = create_sessions(self.users)
        self.file = lines_file(self.keys)
        # The bare baselines' own sessions, their user loaded as a fresh project loads it.
        from django.conf import settings

        self.bare_file = lines_file(create_sessions(self.users, backend=settings.STOCK_BACKEND))
        self.ids = [n for n, _ in self.users]
        _page_rows(self.ids)


def _page_rows(user_ids):
    """Twelve rows for each user's bare page (the baseline of the portal and the payslip list)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM bench_baseline_hit WHERE user_id = ANY(%s)", [list(user_ids)])
        cursor.execute("INSERT INTO bench_baseline_hit (user_id, at) SELECT u, now() - g * interval '1 day' "
                       "FROM unnest(%s::bigint[]) u, generate_series(1, 12) g", [list(user_ids)])


def throughput(server, sessions: Sessions, *, rounds, seconds, connections, run_id) -> dict:
    """Baseline, punch, punch page, bare page, portal and payslips, interleaved
    round by round (the machine is shared: each ratio compares runs seconds apart)."""
    runs = {name: [] for name in ("baseline", "punch", "punch page", "bare page", "portal", "payslips")}
    lost = []
    for r in range(rounds):
        runs["baseline"].append(wrk("baseline", server.url + BASELINE, lines_file=sessions.bare_file, mode="post",
                                    connections=connections, seconds=seconds))
        today_punches(sessions.ids, delete=True)
        punch = wrk("punch", server.url + PUNCH, lines_file=sessions.file, mode="punch",
                    connections=connections, seconds=seconds, run_id=run_id * 100 + r)
        stored = today_punches(sessions.ids)
        lost.append(punch.requests - punch.errors - stored)
        punch.note = f"rows stored {stored} for {punch.requests - punch.errors} answered"
        runs["punch"].append(punch)
        runs["punch page"].append(wrk("punch page", server.url + PUNCH, lines_file=sessions.file, mode="get",
                                      connections=connections, seconds=seconds))
        runs["bare page"].append(wrk("bare page", server.url + PAGE, lines_file=sessions.bare_file, mode="get",
                                     connections=connections, seconds=seconds))
        runs["portal"].append(wrk("portal", server.url + PORTAL, lines_file=sessions.file, mode="get",
                                  connections=connections, seconds=seconds))
        runs["payslips"].append(wrk("payslips", server.url + PAYSLIPS, lines_file=sessions.file, mode="get",
                                    connections=connections, seconds=seconds))
    return {"runs": runs, "punches_not_stored": lost}


def login_throughput(server, layout: Layout, *, seconds, connections) -> Result:
    users = pick_users(layout, 5000, prefix="A", offset=1)
    file = lines_file(login_id for _, login_id in users)
    return wrk("login password step", server.url + LOGIN, lines_file=file, mode="login",
               connections=connections, seconds=seconds)


def hash_seconds(samples=15) -> dict:
    """Wall and CPU time of one password check (argon2 may run its lanes on several threads)."""
    from django.contrib.auth.hashers import check_password, make_password

    encoded = make_password(PASSWORD)
    wall, cpu = [], []
    for _ in range(samples):
        start, start_cpu = time.perf_counter(), time.process_time()
        assert check_password(PASSWORD, encoded)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return {"wall": statistics.median(wall), "cpu": statistics.median(cpu)}


def totp_now(n: int) -> str:
    from django_otp.oath import totp

    return f"{totp(bytes.fromhex(device_key(n)), step=30, t0=0, digits=6):06d}"


def login_flows(server, layout: Layout, *, count) -> dict:
    """Real logins one at a time: password → code (A-IDs), password → 限定 choice (B-IDs).
    The choice step ends the login without a code, so code − choice is what the code adds."""
    password, code, choice = Result("password step (1 at a time)"), Result("code step"), Result("choice step")
    for n, login_id in pick_users(layout, count, prefix="A", offset=2):
        browser = Browser("127.0.0.1", server.port)
        status, ms, text = browser.request("POST", LOGIN, {
            "login_view-current_step": "auth", "auth-username": login_id, "auth-password": PASSWORD})
        password.latencies_ms.append(ms)
        if status != 200 or "token-otp_token" not in text:
            password.errors += 1
            continue
        status, ms, _ = browser.request("POST", LOGIN, {
            "login_view-current_step": "token", "token-otp_token": totp_now(n)})
        code.latencies_ms.append(ms)
        code.errors += status != 302
    for n, login_id in pick_users(layout, count, prefix="B", offset=3):
        browser = Browser("127.0.0.1", server.port)
        status, ms, text = browser.request("POST", LOGIN, {
            "login_view-current_step": "auth", "auth-username": login_id, "auth-password": PASSWORD})
        password.latencies_ms.append(ms)
        if status != 200 or "choice-mode" not in text:
            password.errors += 1
            continue
        status, ms, _ = browser.request("POST", LOGIN, {
            "login_view-current_step": "choice", "choice-mode": "limited"})
        choice.latencies_ms.append(ms)
        choice.errors += status != 302
    for result in (password, code, choice):
        result.requests = len(result.latencies_ms)
        result.finish()
    return {"password": password, "code": code, "choice": choice}


def admin_list(server, layout: Layout, *, count) -> Result:
    """The big tenant's administrator opens the user list, one request at a time."""
    key = create_sessions([(1, layout.login_id(1))])[0]
    result = Result(f"admin user list ({layout.big_tenant_users:,} employees)")
    browser = Browser("127.0.0.1", server.port)
    browser.cookies["sessionid"] = key
    for _ in range(count):
        status, ms, _ = browser.request("GET", ADMIN_USERS)
        result.latencies_ms.append(ms)
        result.errors += status != 200
    result.requests = count
    return result.finish()


def latency_one_connection(server, sessions: Sessions, *, seconds, run_id) -> dict:
    """p50/p99 with one connection (no queueing): compared across database sizes."""
    today_punches(sessions.ids, delete=True)
    out = {}
    for name, path, mode in (("punch", PUNCH, "punch"), ("portal", PORTAL, "get"), ("payslips", PAYSLIPS, "get")):
        out[name] = wrk(name, server.url + path, lines_file=sessions.file, mode=mode, connections=1,
                        seconds=seconds, run_id=run_id)
    return out


def _work_date():
    from django.utils import timezone

    from attendance.models import work_date_of

    return work_date_of(timezone.now())


def hash_throughput(seconds: float, processes: int) -> float:
    """Password checks per second that `processes` processes manage with nothing else
    to do: what the hash alone allows on this machine right now."""
    import multiprocessing

    from django.db import connections

    connections.close_all()  # no database connection shared with the forked processes
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        counts = pool.map(_hash_loop, [seconds] * processes)
    return sum(counts) / seconds


def _hash_loop(seconds: float) -> int:
    from django.contrib.auth.hashers import check_password, make_password

    encoded, count = make_password(PASSWORD), 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        check_password(PASSWORD, encoded)
        count += 1
    return count
