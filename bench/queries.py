"""SQL queries per request, counted in-process (a separate pass from the load)."""

import secrets
import statistics
import time

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from .env import PASSWORD, create_sessions
from .scenarios import (
    ADMIN_USERS, BASELINE, LOGIN, PAYSLIPS, PORTAL, PUNCH, pick_users, today_punches, totp_now,
)
from .seed import Layout


def _client(session_key=None, *, bare=False) -> Client:
    client = Client()
    if bare:  # the baseline's handler: a fresh project's middleware
        saved, settings.MIDDLEWARE = settings.MIDDLEWARE, settings.BARE_MIDDLEWARE
        try:
            client.handler.load_middleware()
        finally:
            settings.MIDDLEWARE = saved
    if session_key:
        client.cookies["sessionid"] = session_key
    return client


def _count(call) -> tuple[int, int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = call()
    return response.status_code, len(captured), [q["sql"][:160] for q in captured.captured_queries]


def query_counts(layout: Layout) -> dict:
    (b_user,) = pick_users(layout, 1, prefix="B", offset=5)
    (a_user,) = pick_users(layout, 1, prefix="A", offset=6)
    (a_login,) = pick_users(layout, 1, prefix="A", offset=7)
    today_punches([b_user[0]], delete=True)
    limited, full, admin = create_sessions([b_user, a_user, (1, layout.login_id(1))])
    out = {}
    out["baseline POST"] = _count(lambda: _client(limited, bare=True).post(BASELINE))
    token = secrets.token_hex(16)
    out["punch POST (B-ID, limited)"] = _count(
        lambda: _client(limited).post(PUNCH, {"kind": "in", "token": token}))
    out["portal GET (A-ID, verified)"] = _count(lambda: _client(full).get(PORTAL))
    out["payslip list GET (B-ID)"] = _count(lambda: _client(limited).get(PAYSLIPS))
    out["admin user list GET"] = _count(lambda: _client(admin).get(ADMIN_USERS))
    login = _client()
    out["login password step POST"] = _count(lambda: login.post(LOGIN, {
        "login_view-current_step": "auth", "auth-username": a_login[1], "auth-password": PASSWORD}))
    out["login code step POST"] = _count(lambda: login.post(LOGIN, {
        "login_view-current_step": "token", "token-otp_token": totp_now(a_login[0])}))
    (b_login,) = pick_users(layout, 1, prefix="B", offset=10)
    login = _client()
    login.post(LOGIN, {"login_view-current_step": "auth", "auth-username": b_login[1], "auth-password": PASSWORD})
    out["login choice step POST (limited, no code)"] = _count(lambda: login.post(LOGIN, {
        "login_view-current_step": "choice", "choice-mode": "limited"}))
    return out


def cpu_per_request(layout: Layout, repeat=60) -> dict:
    """Median CPU ms of this (Django) process per request, and wall ms, in-process.
    CPU time does not count waiting for the database or for a core taken by
    another process, so it is the steadiest comparison on a shared machine."""
    (b_user,) = pick_users(layout, 1, prefix="B", offset=8)
    (a_user,) = pick_users(layout, 1, prefix="A", offset=9)
    today_punches([b_user[0]], delete=True)
    limited, full, admin = create_sessions([b_user, a_user, (1, layout.login_id(1))])
    kinds = iter(["in"] + ["break_start", "break_end"] * repeat)
    form = "application/x-www-form-urlencoded"  # as a browser (and wrk) sends the form

    def punch(client):
        # The browser follows the redirect, whose page shows and so removes the
        # punch's message; the test client does not, so the cookie is dropped here.
        client.cookies.pop("messages", None)
        return client.post(PUNCH, f"kind={next(kinds)}&token={secrets.token_hex(16)}", content_type=form)

    calls = {
        "baseline POST": (_client(limited, bare=True), lambda c: c.post(BASELINE, "", content_type=form)),
        "punch POST": (_client(limited), punch),
        "portal GET": (_client(full), lambda c: c.get(PORTAL)),
        "payslip list GET": (_client(limited), lambda c: c.get(PAYSLIPS)),
        "admin user list GET": (_client(admin), lambda c: c.get(ADMIN_USERS)),
    }
    out = {}
    for name, (client, call) in calls.items():
        call(client)  # warm: first-request imports, the session's first write
        cpu, wall = [], []
        for _ in range(repeat if "admin" not in name else repeat // 3):
            start, start_cpu = time.perf_counter(), time.process_time()
            status = call(client).status_code
            cpu.append((time.process_time() - start_cpu) * 1000)
            wall.append((time.perf_counter() - start) * 1000)
            assert status in (200, 302), (name, status)
        out[name] = {"cpu_ms": statistics.median(cpu), "wall_ms": statistics.median(wall)}
    return out


def code_step_cost(layout: Layout, count=15) -> dict:
    """What the code step adds to a login, in-process: the code step (A-IDs)
    against the 限定 choice step (B-IDs), which ends the login the same way
    without a code. CPU time is steady on a shared machine; wall time adds
    the database."""
    out = {}
    for name, prefix, fields in (
            ("code", "A", lambda n: {"login_view-current_step": "token", "token-otp_token": totp_now(n)}),
            ("choice", "B", lambda n: {"login_view-current_step": "choice", "choice-mode": "limited"})):
        cpu, wall = [], []
        for n, login_id in pick_users(layout, count, prefix=prefix, offset=12):
            client = _client()
            client.post(LOGIN, {"login_view-current_step": "auth", "auth-username": login_id,
                                "auth-password": PASSWORD})
            start, start_cpu = time.perf_counter(), time.process_time()
            status = client.post(LOGIN, fields(n)).status_code
            cpu.append((time.process_time() - start_cpu) * 1000)
            wall.append((time.perf_counter() - start) * 1000)
            assert status == 302, (name, status)
        out[name] = {"cpu_ms": statistics.median(cpu), "wall_ms": statistics.median(wall)}
    return out
