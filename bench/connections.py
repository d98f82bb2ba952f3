"""Database connections: persistent connections (CONN_MAX_AGE) against
Django's psycopg pool (OPTIONS["pool"]), each with client-side and with
server-side binding (prepared statements), measured on the same database
with baseline and punch runs interleaved round by round.

Besides req/s, the CPU the PostgreSQL backends and the gunicorn workers
spent per request (from /proc), which is what the binding changes: a
prepared statement is parsed and planned once per connection."""

import os
import subprocess
import sys
from pathlib import Path

from .loadgen import wrk
from .scenarios import BASELINE, PUNCH, today_punches

CONFIGS = {  # name: environment of the app server (netdekomon/settings.py)
    "persistent, client-side binding": {"DATABASE_SERVER_SIDE_BINDING": "false"},
    "persistent, server-side binding (default)": {"DATABASE_SERVER_SIDE_BINDING": "true"},
    "pool, client-side binding": {"DATABASE_POOL": "true", "DATABASE_SERVER_SIDE_BINDING": "false"},
    "pool, server-side binding": {"DATABASE_POOL": "true", "DATABASE_SERVER_SIDE_BINDING": "true"},
}
_HZ = os.sysconf("SC_CLK_TCK")


def ensure_pool():
    try:
        import psycopg_pool  # noqa: F401
    except ImportError:
        subprocess.run([str(Path(sys.executable).parent / "pip"), "install", "-q", "-r",
                        str(Path(__file__).with_name("requirements.txt"))], check=True)


def _cpu_seconds(pattern: str) -> float:
    pids = subprocess.run(["pgrep", "-f", pattern], capture_output=True, text=True).stdout.split()
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / _HZ


def _measured(name, server, path, sessions, mode, *, seconds, connections, run_id):
    app, pg = _cpu_seconds("bench.wsgi"), _cpu_seconds("postgres: ")
    result = wrk(name, server.url + path, lines_file=sessions.file, mode=mode, connections=connections,
                 seconds=seconds, run_id=run_id)
    app, pg = _cpu_seconds("bench.wsgi") - app, _cpu_seconds("postgres: ") - pg
    done = max(1, result.requests)
    result.note = f"app CPU {app * 1000 / done:.2f} ms, PostgreSQL CPU {pg * 1000 / done:.2f} ms per request"
    return result


def compare(make_server, sessions, *, rounds, seconds, connections, run_id, log) -> dict:
    """{config: {"baseline": [Result…], "punch": [Result…]}}: every config once per round."""
    ensure_pool()
    runs = {name: {"baseline": [], "punch": []} for name in CONFIGS}
    for r in range(rounds):
        for index, (name, env) in enumerate(CONFIGS.items()):
            log(f"  round {r + 1}: {name}")
            server = make_server(env)
            try:
                runs[name]["baseline"].append(_measured("baseline", server, BASELINE, sessions, "post",
                                                        seconds=seconds, connections=connections, run_id=1))
                today_punches(sessions.ids, delete=True)
                runs[name]["punch"].append(_measured("punch", server, PUNCH, sessions, "punch", seconds=seconds,
                                                     connections=connections,
                                                     run_id=run_id * 100 + 40 + r * 10 + index))
            finally:
                server.stop()
    return runs
