"""The 9:00 rush past what the server carries (docs/performance.md, "Overload").

First the punch capacity C of this machine right now (wrk, closed loop).
Then, for each factor (1.5, 3), 60 s of 出勤 punches of different employees
arriving at factor × C, open loop, each at a time fixed in advance. The
generator plays both sides a real punch meets:

- the load balancer: it stamps ``X-Request-Start`` with the moment a request
  reaches it (the server runs with ``TRUSTED_PROXY_COUNT=1``), sets
  ``X-Forwarded-For``, and holds at most ``UPSTREAM_CONNECTIONS`` requests
  open to the app server at once (HAProxy's ``maxconn``, nginx's
  ``max_conns``): the others wait in its queue, in order of arrival, not in
  the kernel's listen backlog, where a full queue drops connections and a
  client's retries of the handshake take seconds;
- the browser: a 503 「混み合っています」 page carries the same form and its
  receipt, which is resent after the page's ``Retry-After``, as resend.js
  does; a request that gets no answer (refused, reset, 30 s without a reply)
  is sent again after 3 s with the same form, as a person pressing 再送 would.

Measured per employee: the time from the planned arrival to the first answer
(stored or 503), the time the punch was confirmed — or refused: a redirect
whose message is an error (the receipt older than OVERLOAD_RECEIPT_SECONDS,
「受付から時間がたちすぎた」), which the employee is told and which stores
nothing — and in the database: stored exactly once, at the time of the first
arrival (± 1 s).
"""

import asyncio
import base64
import json
import os
import re
import resource
import secrets
import subprocess
import sys
import time
import zlib
from html import unescape
from pathlib import Path
from urllib.parse import urlencode

from .env import create_sessions
from .loadgen import CSRF, Result, cpu_seconds, wrk
from .scenarios import PUNCH, pick_users, today_punches

ANSWER_GOAL_S = 2.0
STORED_WITHIN_S = 60.0  # after the spike ends
GIVE_UP_S = 240.0  # after the spike ends: the generator stops resending
ATTEMPT_TIMEOUT_S = 30.0
NO_ANSWER_RETRY_S = 3.0
CHUNK = 20_000  # ids per statement (PostgreSQL takes at most 65,535 parameters)
UPSTREAM_CONNECTIONS = 32  # the load balancer's limit of open requests to the one app server
HIDDEN = re.compile(rb'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def capacity(server, sessions, *, seconds, rounds=3) -> tuple[float, list[Result]]:
    """Punches per second the server carries, closed loop: the median of ``rounds`` wrk runs
    (an odd number: of two runs the "median" was the larger, and the first run, on cold
    workers, came out a sixth lower than the second)."""
    runs = []
    for r in range(rounds):
        today_punches(sessions.ids, delete=True)
        runs.append(wrk("punch capacity", server.url + PUNCH, lines_file=sessions.file, mode="punch",
                        connections=8, seconds=seconds, run_id=900 + r))
    today_punches(sessions.ids, delete=True)
    return sorted(r.rps for r in runs)[len(runs) // 2], runs


def phase(server, users, keys, *, rate: float, seconds: float, name: str) -> dict:
    """``rate`` punches per second for ``seconds`` by the first rate × seconds of ``users``."""
    count = min(len(users), round(rate * seconds))
    users, keys = users[:count], keys[:count]
    ids = [n for n, _ in users]
    for start in range(0, count, CHUNK):
        today_punches(ids[start:start + CHUNK], delete=True)
    outcome = [None] * count
    app0, pg0, self0 = cpu_seconds("bench.wsgi"), cpu_seconds("postgres"), _own_cpu()
    started_wall = time.time()
    spike_seconds = _event_loop().run_until_complete(_drive(server.port, keys, outcome, rate=count / seconds))
    app, pg, own = (cpu_seconds("bench.wsgi") - app0, cpu_seconds("postgres") - pg0, _own_cpu() - self0)
    time.sleep(2)  # the last confirmed punches are committed before their answer; nothing is pending
    stored = _stored(ids)
    return _summary(name, rate, count, seconds, outcome, stored, ids, spike_seconds,
                    cpu={"app_s": round(app, 1), "postgres_s": round(pg, 1), "generator_s": round(own, 1),
                         "wall_s": round(time.time() - started_wall, 1)})


def _event_loop():
    """uvloop: the generator shares the cores with the server, so it should cost it little
    (about half of asyncio's own loop per connection)."""
    try:
        import uvloop
    except ImportError:
        subprocess.run([str(Path(sys.executable).parent / "pip"), "install", "-q", "-r",
                        str(Path(__file__).with_name("requirements.txt"))], check=True)
        import uvloop
    return uvloop.new_event_loop()


outcome_failures = {}  # id(outcome) → {exception name: count}, for the summary


async def _drive(port, keys, outcome, *, rate) -> float:
    loop = asyncio.get_running_loop()
    start = loop.time()
    failures = outcome_failures[id(outcome)] = {}
    upstream = asyncio.Semaphore(UPSTREAM_CONNECTIONS)
    end = start + len(keys) / rate
    give_up = end + GIVE_UP_S

    async def employee(index, key, planned):
        state = {"first_stamp": None, "first_answer": None, "confirmed": None, "refused": None, "attempts": 0,
                 "shed": 0, "no_answer": 0, "other": None}
        fields = [("csrfmiddlewaretoken", CSRF), ("kind", "in"), ("token", secrets.token_hex(16))]
        while True:
            stamp = time.time()
            state["first_stamp"] = state["first_stamp"] or stamp
            state["attempts"] += 1
            try:
                async with asyncio.timeout(ATTEMPT_TIMEOUT_S), upstream:
                    status, headers, body = await _exchange(port, _payload(port, key, fields, stamp))
            except (OSError, TimeoutError, ValueError, IndexError, asyncio.IncompleteReadError) as error:
                status = None
                failures[type(error).__name__] = failures.get(type(error).__name__, 0) + 1
            now = loop.time()
            if status is not None and state["first_answer"] is None:
                state["first_answer"] = now - planned
            if status == 302 and _refused(headers):  # e.g. 「受付から時間がたちすぎた」: told, not stored
                state["refused"] = now - end
                break
            if status == 302:
                state["confirmed"] = now - end
                break
            if status == 503 and b'id="resend"' in body:
                state["shed"] += 1
                fields = [(unescape(k.decode()), unescape(v.decode())) for k, v in HIDDEN.findall(body)]
                wait = float(headers.get("retry-after", "3"))
            elif status is None:
                state["no_answer"] += 1
                wait = NO_ANSWER_RETRY_S
            else:
                state["other"] = status
                break
            if now + wait > give_up:
                break
            await asyncio.sleep(wait)
        outcome[index] = state

    tasks = []
    for index, key in enumerate(keys):
        planned = start + index / rate
        delay = planned - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(employee(index, key, planned)))
    await asyncio.gather(*tasks)
    return end - start


def _payload(port, key, fields, stamp) -> bytes:
    body = urlencode(fields).encode()
    head = (f"POST {PUNCH} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n"
            f"Cookie: sessionid={key}; csrftoken={CSRF}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"X-Request-Start: t={stamp:.3f}\r\nX-Forwarded-For: 203.0.113.7\r\n"
            f"Content-Length: {len(body)}\r\n\r\n")
    return head.encode() + body


async def _exchange(port, payload) -> tuple[int, dict, bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(payload)
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        body = await reader.read()  # Connection: close
    finally:
        writer.close()
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for name, _, value in (line.partition(":") for line in lines[1:] if line):
        name = name.strip().lower()
        headers[name] = headers[name] + "\n" + value.strip() if name == "set-cookie" and name in headers else value.strip()
    return int(lines[0].split()[1]), headers, body


def _refused(headers) -> bool:
    """Whether the redirect after a punch carries an error message (Django's cookie
    message storage: signed, not encrypted), i.e. the punch was refused, not stored."""
    for cookie in headers.get("set-cookie", "").split("\n"):
        if not cookie.startswith("messages="):
            continue
        payload = cookie.split(";", 1)[0][len("messages="):].strip('"').split(":", 1)[0]
        if not payload:  # the cookie deleted: no message
            continue
        try:
            data = base64.urlsafe_b64decode(payload.lstrip(".") + "=" * (-len(payload.lstrip(".")) % 4))
            messages = json.loads((zlib.decompress(data) if payload.startswith(".") else data).decode())
        except (ValueError, zlib.error):
            continue  # not Django's cookie storage: counted as confirmed, and the database check tells
        return any(isinstance(m, list) and len(m) > 2 and m[2] >= 40 for m in messages)
    return False


def _stored(ids) -> dict:
    """user id → (rows of today's 出勤, first punched_at as seconds since the epoch)."""
    from django.db.models import Count, Min

    from attendance.models import Punch

    from .scenarios import _work_date

    found = {}
    for start in range(0, len(ids), CHUNK):
        rows = (Punch.objects.filter(user_id__in=ids[start:start + CHUNK], work_date=_work_date(),
                                     kind=Punch.Kind.IN).values("user_id").annotate(n=Count("id"), at=Min("punched_at")))
        found.update({row["user_id"]: (row["n"], row["at"].timestamp()) for row in rows})
    return found


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _summary(name, rate, count, seconds, outcome, stored, ids, spike_seconds, *, cpu) -> dict:
    answers = sorted(s["first_answer"] if s["first_answer"] is not None else float("inf") for s in outcome)
    confirmed = [s["confirmed"] for s in outcome if s["confirmed"] is not None]
    offsets = [abs(stored[n][1] - s["first_stamp"]) for n, s in zip(ids, outcome) if n in stored]
    return {
        "name": name, "rate": round(rate, 1), "punches": count, "seconds": round(spike_seconds, 1),
        "answer_p50_s": _pct(answers, 0.50), "answer_p99_s": _pct(answers, 0.99),
        "answered_within_goal": sum(1 for a in answers if a <= ANSWER_GOAL_S),
        "shed_once_or_more": sum(1 for s in outcome if s["shed"]),
        "attempts": sum(s["attempts"] for s in outcome),
        "no_answer_attempts": sum(s["no_answer"] for s in outcome),
        "no_answer_kinds": outcome_failures.pop(id(outcome), {}),
        "other_status": sum(1 for s in outcome if s["other"] is not None),
        "confirmed": len(confirmed),
        "refused": sum(1 for s in outcome if s["refused"] is not None),
        "confirmed_within_60s_after": sum(1 for c in confirmed if c <= STORED_WITHIN_S),
        "last_confirmed_after_end_s": round(max(confirmed), 1) if confirmed else None,
        "stored_users": len(stored),
        "stored_more_than_once": sum(1 for n, _ in stored.values() if n > 1),
        "confirmed_not_stored": sum(1 for n, s in zip(ids, outcome) if s["confirmed"] is not None and n not in stored),
        "stored_not_confirmed": sum(1 for n, s in zip(ids, outcome) if s["confirmed"] is None and n in stored),
        "time_offset_p99_s": _pct(sorted(offsets), 0.99),
        "time_offset_max_s": round(max(offsets), 3) if offsets else None,
        "stored_off_by_more_than_1s": sum(1 for o in offsets if o > 1.0),
        "cpu": cpu,
    }


def _pct(ordered, q):
    if not ordered:
        return None
    value = ordered[min(len(ordered) - 1, int(len(ordered) * q))]
    return None if value == float("inf") else round(value, 3)


def run(server, layout, sessions, *, factors, seconds, absolute, capacity_seconds, log) -> dict:
    """Capacity, then each factor × C, then the absolute rush (``absolute`` = (punches, seconds)) where
    it is within the largest factor × C."""
    c, runs = capacity(server, sessions, seconds=capacity_seconds)
    log(f"  capacity C = {c:.0f} punches/s ({', '.join(f'{r.rps:.0f}' for r in runs)})")
    plans = [(f"{f:g} × C", f * c, seconds) for f in factors]
    punches, over = absolute
    if punches / over <= max(factors) * c:
        plans.append((f"{punches:,} in {over} s", punches / over, over))
    needed = max(round(rate * s) for _, rate, s in plans)
    users = pick_users(layout, needed, offset=7)
    keys = create_sessions(users)
    out = {"capacity": c, "capacity_runs": runs, "phases": []}
    for name, rate, s in plans:
        time.sleep(10)  # the previous phase's stragglers have ended
        log(f"  overload {name}: {rate:.0f}/s for {s} s …")
        result = phase(server, users, keys, rate=rate, seconds=s, name=name)
        log(f"    {result}")
        out["phases"].append(result)
    if (punches / over) > max(factors) * c:
        out["absolute_skipped"] = f"{punches / over:.0f}/s is more than {max(factors):g} × C = {max(factors) * c:.0f}/s"
    return out


def server_env() -> dict:
    """The front server's overload settings: the product's defaults unless BENCH_QUEUE_LIMIT_MS /
    BENCH_RETRY_MAX_SECONDS are set (to compare settings)."""
    env = {}
    for bench_name, name in (("BENCH_QUEUE_LIMIT_MS", "REQUEST_QUEUE_LIMIT_MS"),
                             ("BENCH_RETRY_MAX_SECONDS", "OVERLOAD_RETRY_MAX_SECONDS")):
        if os.environ.get(bench_name):
            env[name] = os.environ[bench_name]
    return env
