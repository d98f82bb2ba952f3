"""Verification under concurrent requests (PostgreSQL, real row locks).

Each thread is its own browser (django.test.Client) on its own database
connection; they are released together by a barrier."""

import math
import threading
import time

import pyotp
import pytest
from django.db import connection
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import SecurityEvent
from tests.helpers import code_for, post_code, post_login, session_password_only

THREADS = 12

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(clients, action):
    """Run ``action(client)`` in one thread per client, all released at once."""
    barrier = threading.Barrier(len(clients))
    results = [None] * len(clients)
    errors = []

    def worker(i, client):
        try:
            barrier.wait(timeout=30)
            results[i] = action(client)
        except Exception as error:  # reported below, so a failure is never silent
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


def password_step_done(login_id, n):
    clients = [Client() for _ in range(n)]
    for client in clients:
        post_login(client, login_id)
    return clients


def wait_for_fresh_step(margin=5):
    """Avoid starting right before a 30-second boundary."""
    left = 30 - time.time() % 30
    if left < margin:
        time.sleep(left + 0.1)


def test_same_code_in_concurrent_requests_succeeds_once(on_postgres, employee_a):
    device = TOTPDevice.objects.get(user=employee_a)
    clients = password_step_done("A1000002", THREADS)
    wait_for_fresh_step()
    code = code_for(device)
    statuses = run_together(clients, lambda c: post_code(c, code).status_code)
    assert statuses.count(302) == 1, statuses
    assert statuses.count(200) == THREADS - 1
    assert sum(c.get("/").status_code == 200 for c in clients) == 1
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.CODE_SUCCESS).count() == 1


def test_same_code_at_step_up_succeeds_once(on_postgres, employee_b):
    """On a loaded machine a request may wait longer than DATABASE_LOCK_TIMEOUT_MS for the
    device's row: it is answered 「混み合っています」 (503) and verifies nothing, as in production."""
    device = TOTPDevice.objects.get(user=employee_b)
    clients = [session_password_only(Client(raise_request_exception=False), employee_b) for _ in range(THREADS)]
    wait_for_fresh_step()
    code = code_for(device)
    statuses = run_together(
        clients, lambda c: c.post("/accounts/verify/", {"otp_token": code, "next": "/"}).status_code)
    assert statuses.count(302) == 1 and set(statuses) <= {302, 200, 503}, statuses


def test_concurrent_wrong_guesses_are_all_counted_and_throttled(on_postgres, employee_a):
    device = TOTPDevice.objects.get(user=employee_a)
    clients = password_step_done("A1000002", THREADS)
    wait_for_fresh_step()
    right = {code_for(device, time.time() + d * 30) for d in (-1, 0, 1)}
    wrong = next(f"{n:06d}" for n in range(1000, 2000) if f"{n:06d}" not in right)
    started = time.monotonic()
    pages = run_together(clients, lambda c: post_code(c, wrong).content.decode())
    elapsed = time.monotonic() - started

    evaluated = sum("認証コードが正しくありません" in page for page in pages)
    throttled = sum("一時的に入力を受け付けていません" in page for page in pages)
    assert evaluated + throttled == THREADS
    device.refresh_from_db()
    # Every evaluated guess is counted (no lost update) …
    assert device.throttling_failure_count == evaluated
    # … and no more were evaluated than the back-off (1, 2, 4 … s) lets through.
    allowed = 1 + math.floor(math.log2(1 + elapsed))
    assert 1 <= evaluated <= allowed, (evaluated, elapsed)
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.CODE_FAILURE).count() == evaluated


def test_concurrent_setups_create_one_device(on_postgres, fresh_a):
    clients = [session_password_only(Client(), fresh_a) for _ in range(THREADS)]
    secrets = [c.get("/accounts/setup/").context["secret_key"] for c in clients]
    assert len(set(secrets)) == THREADS
    wait_for_fresh_step()
    codes = {id(c): pyotp.TOTP(s).now() for c, s in zip(clients, secrets)}

    def finish(client):
        return client.post("/accounts/setup/", {"setup_view-current_step": "generator",
                                                "generator-token": codes[id(client)]}).status_code

    assert run_together(clients, finish) == [302] * THREADS
    device = TOTPDevice.objects.get(user=fresh_a)
    # Exactly one browser is verified: the one whose secret was saved.
    verified = [c for c in clients if c.get("/").status_code == 200]
    assert len(verified) == 1
    winner = secrets[clients.index(verified[0])]
    assert pyotp.TOTP(winner).now() == code_for(device)
    assert SecurityEvent.objects.filter(kind=SecurityEvent.Kind.SETUP).count() == 1
