"""Load generation: wrk (closed loop, throughput) and a one-at-a-time client
(latency of multi-step flows such as the login). The open-loop 9:00 rush is
bench/overload.py."""

import http.client
import os
import re
import shutil
import statistics
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

WRK_SCRIPT = Path(__file__).with_name("wrk") / "session.lua"
CSRF = "BenchCsrfSecret0123456789abcdefg"  # 32 characters: Django accepts the unmasked secret
assert len(CSRF) == 32


@dataclass
class Result:
    name: str
    requests: int = 0
    seconds: float = 0.0
    errors: int = 0
    latencies_ms: list = field(default_factory=list)  # when measured per request
    p50_ms: float | None = None
    p99_ms: float | None = None
    note: str = ""
    app_cpu_ms: float | None = None  # CPU of the gunicorn workers per request (wrk runs)
    pg_cpu_ms: float | None = None  # CPU of the PostgreSQL backends per request (wrk runs)

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def finish(self):
        if self.latencies_ms:
            ordered = sorted(self.latencies_ms)
            self.p50_ms = statistics.median(ordered)
            self.p99_ms = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        return self

    def row(self) -> dict:
        return {"name": self.name, "requests": self.requests, "seconds": round(self.seconds, 2),
                "rps": round(self.rps, 1), "p50_ms": _round(self.p50_ms), "p99_ms": _round(self.p99_ms),
                "errors": self.errors, "note": self.note, "app_cpu_ms": _round(self.app_cpu_ms),
                "pg_cpu_ms": _round(self.pg_cpu_ms)}


def _round(value):
    return None if value is None else round(value, 2)


def ensure_wrk() -> str:
    path = shutil.which("wrk")
    if path is None:
        print("installing wrk (Debian package)…")
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=False, capture_output=True)
        path = shutil.which("wrk")
        if path is None:
            subprocess.run(["apt-get", "update", "-q"], check=False, capture_output=True)
            subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, capture_output=True)
            path = shutil.which("wrk")
    return path


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def wrk(name, url, *, lines_file, mode, connections, seconds, run_id=1, env=None) -> Result:
    """Closed loop: `connections` connections, one per wrk thread."""
    command = [ensure_wrk(), "-t", str(connections), "-c", str(connections), "-d", f"{seconds}s",
               "--timeout", "10s", "--latency", "-s", str(WRK_SCRIPT), url, "--",
               str(lines_file), mode, CSRF, str(connections), str(run_id)]
    app, pg = cpu_seconds("bench.wsgi"), cpu_seconds("postgres")
    out = subprocess.run(command, capture_output=True, text=True, env=env, check=True).stdout
    app, pg = cpu_seconds("bench.wsgi") - app, cpu_seconds("postgres") - pg
    result = Result(name)
    result.requests = int(re.search(r"(\d+) requests in ([\d.]+\w+)", out).group(1))
    result.seconds = _ms(re.search(r"requests in ([\d.]+\w+)", out).group(1)) / 1000
    result.p50_ms = _ms(re.search(r"50%\s+([\d.]+\w+)", out).group(1))
    result.p99_ms = _ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1))
    non_ok = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    result.errors = (int(non_ok.group(1)) if non_ok else 0) + (sum(map(int, socket.groups())) if socket else 0)
    if result.requests:
        result.app_cpu_ms, result.pg_cpu_ms = app * 1000 / result.requests, pg * 1000 / result.requests
    return result


_HZ = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pattern: str) -> float:
    """User + system CPU seconds of the processes whose command line matches
    ``pattern`` (the app servers: "bench.wsgi"; PostgreSQL: "postgres"), and
    of their children that have ended: a PostgreSQL backend whose connection
    was closed, a gunicorn worker replaced after its max_requests or a HUP
    (counted in their parent, the postmaster or the gunicorn master)."""
    pids = subprocess.run(["pgrep", "-f", pattern], capture_output=True, text=True).stdout.split()
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended meanwhile
            continue
        total += sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
    return total / _HZ


class Browser:
    """A one-at-a-time client with a cookie jar (for the login flows)."""

    def __init__(self, host, port):
        self.host, self.port = host, port
        self.cookies = {"csrftoken": CSRF}

    def request(self, method, path, fields=None) -> tuple[int, float, str]:
        from urllib.parse import urlencode

        body = urlencode({"csrfmiddlewaretoken": CSRF, **fields}).encode() if fields is not None else b""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        start = time.perf_counter()
        conn.request(method, path, body=body or None, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        elapsed = (time.perf_counter() - start) * 1000
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        conn.close()
        return response.status, elapsed, text
