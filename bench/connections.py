"""Database connections: persistent connections (CONN_MAX_AGE) against
Django's psycopg pool (OPTIONS["pool"]), each with client-side and with
server-side binding (prepared statements), measured on the same database
with baseline and punch runs interleaved round by round.

Besides req/s, the CPU the PostgreSQL backends and the gunicorn workers
spent per request (from /proc), which is what the binding changes: a
prepared statement is parsed and planned once per connection."""

import subprocess
import sys
from pathlib import Path

from .loadgen import wrk
from .scenarios import BASELINE, PUNCH, today_punches

CONFIGS = {  # name: environment of the app server (netdekomon/settings/, docs/configuration.md)
    "persistent, client-side binding": {"DATABASE_SERVER_SIDE_BINDING": "false"},
    "persistent, server-side binding (default)": {"DATABASE_SERVER_SIDE_BINDING": "true"},
    "pool, client-side binding": {"DATABASE_POOL": "true", "DATABASE_SERVER_SIDE_BINDING": "false"},
    "pool, server-side binding": {"DATABASE_POOL": "true", "DATABASE_SERVER_SIDE_BINDING": "true"},
}


def ensure_pool():
    try:
        import psycopg_pool  # noqa: F401
    except ImportError:
        subprocess.run([str(Path(sys.executable).parent / "pip"), "install", "-q", "-r",
                        str(Path(__file__).with_name("requirements.txt"))], check=True)


def compare(make_server, sessions, *, rounds, seconds, connections, run_id, log) -> dict:
    """{config: {"baseline": [Result…], "punch": [Result…]}}: every config once per round."""
    ensure_pool()
    runs = {name: {"baseline": [], "punch": []} for name in CONFIGS}
    for r in range(rounds):
        for index, (name, env) in enumerate(CONFIGS.items()):
            log(f"  round {r + 1}: {name}")
            server = make_server(env)
            try:
                runs[name]["baseline"].append(wrk("baseline", server.url + BASELINE, lines_file=sessions.bare_file,
                                                  mode="post", connections=connections, seconds=seconds))
                today_punches(sessions.ids, delete=True)
                runs[name]["punch"].append(wrk("punch", server.url + PUNCH, lines_file=sessions.file,
                                               mode="punch", connections=connections, seconds=seconds,
                                               run_id=run_id * 100 + 40 + r * 10 + index))
            finally:
                server.stop()
    return runs
