"""Benchmark of ネット de 顧問 on gunicorn + PostgreSQL (docs/performance.md).

    make bench                                   # quick: 1,000 and 20,000 users
    make bench BENCH_ARGS="--users 1000,1000000 --seconds 20"

Not a test: nothing here runs under pytest or CI. Each scale gets its own
database (nk_bench_u<users>), seeded once and reused (--reseed to redo it).
Everything is measured against one gunicorn per database started with the
repository's gunicorn.conf.py and DEBUG off.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.env import ROOT, configure_environment  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", default="1000,20000",
                        help="comma-separated scales; the first is the small reference, the last is measured in full")
    parser.add_argument("--seconds", type=int, default=10, help="length of each wrk run")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved baseline/product rounds")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--sessions", type=int, default=2000, help="logged-in users the load is spread over")
    parser.add_argument("--spike", type=int, default=20000,
                        help="punches in the absolute 9:00 spike (run when within the largest overload factor × C)")
    parser.add_argument("--spike-seconds", type=int, default=60)
    parser.add_argument("--overload", default="1.5,3", help="arrival rates of the spike, as factors of the capacity C")
    parser.add_argument("--capacity-seconds", type=int, default=10, help="length of each capacity (wrk) run")
    parser.add_argument("--logins", type=int, default=30, help="one-at-a-time logins per kind")
    parser.add_argument("--payslip-months", type=int, default=3)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--seed-only", action="store_true", help="create and seed the databases, measure nothing")
    parser.add_argument("--profile", action="store_true", help="py-spy the gunicorn workers during a punch run")
    parser.add_argument("--reload-seconds", type=int, default=40,
                        help="length of the release run (HUP of one server, rolling restart of the other)")
    parser.add_argument("--skip", default="",
                        help="comma-separated: throughput,connections,cache,spike,login,admin,scale,queries,reload")
    return parser.parse_args()


def machine() -> dict:
    mem = next(line for line in open("/proc/meminfo") if line.startswith("MemTotal")).split()[1]
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                           capture_output=True, text=True).stdout.strip()
    return {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "nproc": os.cpu_count(),
            "memory_gib": round(int(mem) / 1024 / 1024, 1), "loadavg_start": os.getloadavg(),
            "python": platform.python_version(), "commit": commit + ("+uncommitted" if dirty else "")}


def prepare(users: int, args, log) -> dict:
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection

    from bench import seed
    from bench.env import PASSWORD, create_database, db_name, use_database

    name = db_name(users)
    created = create_database(name, drop=args.reseed)
    use_database(name)
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_seed (users int, seconds float, timings text)")
        cursor.execute("SELECT seconds, timings FROM bench_seed WHERE users = %s", [users])
        row = cursor.fetchone()
    if row and not created:
        log(f"{name}: reusing the seeded database (seeded in {row[0]:.0f} s)")
        return {"database": name, "seed_seconds": row[0], "seed_parts": json.loads(row[1]), "reused": True,
                "counts": seed.counts()}
    log(f"{name}: seeding {users:,} users …")
    start = time.perf_counter()
    parts = seed.seed(seed.Layout(users, args.payslip_months), password_hash=make_password(PASSWORD), log=log)
    seconds = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_seed VALUES (%s, %s, %s)", [users, seconds, json.dumps(parts)])
    log(f"{name}: seeded in {seconds:.1f} s {parts}")
    return {"database": name, "seed_seconds": seconds, "seed_parts": parts, "reused": False,
            "counts": seed.counts()}


def main():
    args = parse_args()
    configure_environment()
    import django

    django.setup()
    from django.core.management import call_command

    from bench import scenarios
    from bench.env import Server, db_name, use_database
    from bench.loadgen import ensure_wrk
    from bench.seed import Layout

    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M")
    log_file = open(RESULTS / f"{stamp}.log", "w")

    def log(message):
        print(message, flush=True)
        log_file.write(message + "\n")
        log_file.flush()

    skip = set(filter(None, args.skip.split(",")))
    scales = [int(u) for u in args.users.split(",")]
    report = {"machine": machine(), "args": vars(args), "scales": {}}
    log(f"machine: {report['machine']}")
    ensure_wrk()
    call_command("collectstatic", interactive=False, verbosity=0)
    for users in scales:
        report["scales"][users] = prepare(users, args, log)

    if args.seed_only:
        return
    big = scales[-1]
    layout = Layout(big, args.payslip_months)
    port = int(os.environ.get("BENCH_PORT", 8710))  # apart from other checkouts' runs
    servers = {users: Server(db_name(users), port + i) for i, users in enumerate(scales)}
    run_id = int(time.time()) % 100000
    def attempt(key, function, *fargs, **fkwargs):
        """Run one measurement; a failure is logged and the run goes on."""
        try:
            report[key] = function(*fargs, **fkwargs)
        except Exception as error:  # noqa: BLE001 - reported, never hidden
            import traceback

            log(f"{key} FAILED: {error!r}\n{traceback.format_exc()}")
            report.setdefault("failures", []).append(f"{key}: {error!r}")

    try:
        use_database(db_name(big))
        sessions = scenarios.Sessions(layout, args.sessions)
        log(f"shared cache: {os.environ.get('REDIS_URL') or 'none'}")
        report["shared_cache"] = os.environ.get("REDIS_URL") or ""
        if "throughput" not in skip:
            log(f"throughput at {big:,} users, {args.connections} connections, {args.rounds}×{args.seconds} s …")
            attempt("throughput", scenarios.throughput, servers[big], sessions, rounds=args.rounds,
                seconds=args.seconds, connections=args.connections, run_id=run_id)
        if "connections" not in skip:
            from bench import connections

            log(f"connections: {len(connections.CONFIGS)} configurations × {args.rounds} rounds …")
            attempt("connections", connections.compare,
                    lambda env: Server(db_name(big), port + 90, env), sessions, rounds=args.rounds,
                    seconds=args.seconds, connections=args.connections, run_id=run_id, log=log)
        if "cache" not in skip:
            from bench import cache_faults

            log(f"shared cache faults: {len(cache_faults.CONFIGS)} configurations × {args.rounds} rounds …")
            attempt("cache_faults", cache_faults.compare,
                    lambda env, n: Server(db_name(big), port + 70 + n, env), sessions, rounds=args.rounds,
                    seconds=args.seconds, connections=args.connections, run_id=run_id, log=log)
        if args.profile:
            from bench.profile import profile_punch

            attempt("profile", profile_punch, servers[big], sessions, seconds=args.seconds,
                    connections=args.connections, run_id=run_id + 50)
        if "login" not in skip:
            log("login …")
            attempt("hash_seconds", scenarios.hash_seconds)
            workers = 2 * len(os.sched_getaffinity(0)) + 1  # as gunicorn.conf.py
            hash_rates = [scenarios.hash_throughput(10, workers)]
            attempt("login_throughput", scenarios.login_throughput, servers[big], layout,
                    seconds=max(20, args.seconds), connections=args.connections)
            hash_rates.append(scenarios.hash_throughput(10, workers))
            report["hash_alone_per_second"] = hash_rates
            attempt("login_flows", scenarios.login_flows, servers[big], layout, count=args.logins)
        if "admin" not in skip:
            log("admin user list …")
            attempt("admin_list", scenarios.admin_list, servers[big], layout, count=20)
        if "reload" not in skip:
            from bench.reload import reload_run

            log(f"releases under load: {args.reload_seconds} s, two servers …")
            second = Server(db_name(big), port + 80)
            pair = [servers[big], second]
            try:
                attempt("reload", reload_run, pair, lambda port: Server(db_name(big), port), sessions,
                        seconds=args.reload_seconds, threads=args.connections, log=log)
            finally:
                pair[1].stop()
        if "scale" not in skip and len(scales) > 1:
            log("latency by database size, one connection …")
            def by_scale():
                results = {users: [] for users in scales}
                per_scale = {}
                for users in scales:
                    use_database(db_name(users))
                    per_scale[users] = scenarios.Sessions(Layout(users, args.payslip_months),
                                                          min(500, args.sessions))
                for r in range(args.rounds):
                    for users in scales:
                        use_database(db_name(users))
                        results[users].append(scenarios.latency_one_connection(
                            servers[users], per_scale[users], seconds=max(5, args.seconds // 2),
                            run_id=run_id + 10 + r))
                return results

            attempt("by_scale", by_scale)
            use_database(db_name(big))
        if "spike" not in skip:
            from bench import overload

            factors = [float(f) for f in args.overload.split(",") if f]
            log(f"9:00 past capacity: C, then {factors} × C for {args.spike_seconds} s each …")
            # Behind a load balancer that stamps each request's arrival: what sheds load.
            front = Server(db_name(big), port + 60, {"TRUSTED_PROXY_COUNT": "1", **overload.server_env()})
            try:
                attempt("overload", overload.run, front, layout, sessions, factors=factors,
                        seconds=args.spike_seconds, absolute=(args.spike, args.spike_seconds),
                        capacity_seconds=args.capacity_seconds, log=log)
            finally:
                front.stop()
        if "queries" not in skip:
            from bench.queries import code_step_cost, cpu_per_request, query_counts

            attempt("queries", query_counts, layout)
            attempt("cpu", cpu_per_request, layout)
            attempt("code_step_cost", code_step_cost, layout)
    finally:
        for server in servers.values():
            server.stop()
    report["machine"]["loadavg_end"] = os.getloadavg()

    from bench.report import render

    text = render(report)
    (RESULTS / f"{stamp}.md").write_text(text)
    (RESULTS / f"{stamp}.json").write_text(json.dumps(report, default=_plain, indent=1, ensure_ascii=False))
    log(text)
    log(f"written: bench/results/{stamp}.md and .json")


def _plain(value):
    if hasattr(value, "row"):
        return value.row()
    return str(value)


if __name__ == "__main__":
    main()
