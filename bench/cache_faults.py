"""The shared cache's faults under load: punch throughput of the same
database served without ``REDIS_URL`` (PostgreSQL alone) and with it, Redis
healthy, paused (SIGSTOP: connections hang) and down (connections refused),
interleaved round by round (the machine is shared: each ratio compares runs
seconds apart). Redis is a server of the run's own (tests/redis_server.py),
as deployed: 100 ms timeout, the circuit breaker (docs/deployment.md).

Goal (issue 21): with Redis paused, at least 80 % of PostgreSQL alone."""

from tests.redis_server import RedisServer

from .loadgen import wrk
from .scenarios import PUNCH, today_punches

CONFIGS = ("PostgreSQL alone", "Redis healthy", "Redis paused", "Redis down")


def compare(make_server, sessions, *, rounds, seconds, connections, run_id, log) -> dict:
    """{config: [Result…]}: a punch run per config and round; ``make_server(env, n)``
    starts the n-th gunicorn with ``env`` on top of the run's environment."""
    redis = RedisServer().start()
    alone = cached = None
    runs = {name: [] for name in CONFIGS}
    try:
        alone = make_server({"REDIS_URL": ""}, 0)
        cached = make_server({"REDIS_URL": redis.url, "CACHE_KEY_PREFIX": f"bench{run_id}"}, 1)
        for r in range(rounds):
            for index, name in enumerate(CONFIGS):
                log(f"  round {r + 1}: {name}")
                if name == "Redis paused":
                    redis.pause()
                elif name == "Redis down":
                    redis.stop()
                try:
                    today_punches(sessions.ids, delete=True)
                    result = wrk(name, (alone if name == "PostgreSQL alone" else cached).url + PUNCH,
                                 lines_file=sessions.file, mode="punch", connections=connections,
                                 seconds=seconds, run_id=run_id * 100 + 60 + r * 10 + index)
                    stored = today_punches(sessions.ids)
                    result.note = f"rows stored {stored} for {result.requests - result.errors} answered"
                finally:
                    if name == "Redis paused":
                        redis.resume()
                    elif name == "Redis down":
                        redis.start()
                runs[name].append(result)
    finally:
        for server in (alone, cached):
            if server is not None:
                server.stop()
        redis.close()
    return runs
