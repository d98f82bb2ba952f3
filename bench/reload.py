"""Releases under load: a graceful reload (gunicorn HUP) of one app server and
a rolling restart of the other, while employees punch against both.

The load generator spreads the punches over the two servers, one request at
a time per employee (出勤, then 休憩開始/休憩終了 alternately, each with a
fresh form token), and does what a load balancer does: a connection the
server refuses (it is restarting) goes to the other server. A request whose
answer is lost after it was sent is sent again with the same form token, as
the browser's resubmission would. Afterwards every employee's rows are
compared with the punches the servers confirmed: lost (confirmed, not
stored) and doubled (more rows than punches) must both be zero, and every
answer must be the redirect.
"""

import http.client
import os
import secrets
import signal
import threading
import time

from .loadgen import CSRF

NEXT = {None: "in", "in": "break_start", "break_start": "break_end", "break_end": "break_start"}


def _post(port, key, kind, token):
    body = f"csrfmiddlewaretoken={CSRF}&kind={kind}&token={token}"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("POST", "/attendance/", body=body, headers={
            "Cookie": f"sessionid={key}; csrftoken={CSRF}", "Content-Type": "application/x-www-form-urlencoded"})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def reload_run(servers, start_server, sessions, *, seconds: int, threads: int, log) -> dict:
    """`servers`: two running Server objects on one database; `start_server(port)` starts one again."""
    from .scenarios import today_punches

    today_punches(sessions.ids, delete=True)
    users = list(zip(sessions.ids, sessions.keys))
    stats = {"confirmed": 0, "errors": 0, "refused_then_other": 0, "resent": 0, "statuses": {}}
    confirmed = {n: 0 for n, _ in users}
    lock = threading.Lock()
    deadline = time.time() + seconds
    ports = [s.port for s in servers]

    def employee_loop(mine, offset):
        turn = offset
        last = {n: None for n, _ in mine}
        while time.time() < deadline:
            for n, key in mine:
                if time.time() >= deadline:
                    return
                kind, token = NEXT[last[n]], secrets.token_hex(16)
                port = ports[turn % 2]
                turn += 1
                status = None
                for attempt in range(20):
                    try:
                        status = _post(port, key, kind, token)
                        break
                    except ConnectionRefusedError:  # restarting: the load balancer tries the other
                        port = ports[0] if port == ports[1] else ports[1]
                        with lock:
                            stats["refused_then_other"] += 1
                        time.sleep(0.05 * attempt)
                    except (ConnectionResetError, http.client.RemoteDisconnected, TimeoutError, OSError):
                        with lock:  # the answer was lost: resend the same form
                            stats["resent"] += 1
                        time.sleep(0.05 * attempt)
                with lock:
                    stats["statuses"][status] = stats["statuses"].get(status, 0) + 1
                    if status == 302:
                        stats["confirmed"] += 1
                        confirmed[n] += 1
                        last[n] = kind
                    else:
                        stats["errors"] += 1

    chunks = [users[i::threads] for i in range(threads)]
    workers = [threading.Thread(target=employee_loop, args=(chunk, i)) for i, chunk in enumerate(chunks)]
    started = time.time()
    for worker in workers:
        worker.start()
    events = []
    time.sleep(seconds * 0.25)
    os.kill(servers[0].process.pid, signal.SIGHUP)  # graceful reload: new workers, the old finish
    events.append((round(time.time() - started, 1), f"HUP to the server on :{servers[0].port}"))
    time.sleep(seconds * 0.25)
    events.append((round(time.time() - started, 1), f"rolling restart of :{servers[1].port}: TERM"))
    servers[1].stop()  # graceful: finishes its requests, then refuses new connections
    events.append((round(time.time() - started, 1), f":{servers[1].port} stopped; starting it again"))
    servers[1] = start_server(servers[1].port)
    events.append((round(time.time() - started, 1), f":{servers[1].port} answering again"))
    for worker in workers:
        worker.join()
    elapsed = time.time() - started
    time.sleep(1)
    from attendance.models import Punch

    stored = {}
    for user_id in Punch.objects.filter(user_id__in=sessions.ids, work_date=_today()).values_list("user_id", flat=True):
        stored[user_id] = stored.get(user_id, 0) + 1
    lost = sum(max(0, confirmed[n] - stored.get(n, 0)) for n in confirmed)
    doubled = sum(max(0, stored.get(n, 0) - confirmed[n]) for n in confirmed)
    result = {"seconds": round(elapsed, 1), "punches_per_second": round(stats["confirmed"] / elapsed, 1),
              **stats, "stored": sum(stored.values()), "lost": lost, "doubled": doubled, "events": events}
    log(f"reload run: {result}")
    return result


def _today():
    from django.utils import timezone

    from attendance.models import work_date_of

    return work_date_of(timezone.now())
