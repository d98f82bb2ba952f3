"""SQL queries per request, counted in-process (a separate pass from the load)."""

import secrets

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
    return out
