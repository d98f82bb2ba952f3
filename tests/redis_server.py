"""A redis-server of a test's own, on a free port, that the test can stop,
pause (SIGSTOP: the port stays open, nothing answers), resume and restore
from a snapshot of its keys. Used by the fault tests and scripts/fault_punch.py.

``redis-server`` comes from Debian's ``redis-server`` package (``make test``
and ``.ci/run`` install it when missing); without it the fault tests are
skipped, and fail under ``CI=true``.
"""

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time

BINARY = "redis-server"


def missing() -> str | None:
    """Why no redis-server can be started here, or None."""
    return None if shutil.which(BINARY) else f"{BINARY} is not installed (apt-get install redis-server)"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._dir = tempfile.mkdtemp(prefix="nk-redis-")
        self._process: subprocess.Popen | None = None
        self._paused = False

    def start(self) -> "RedisServer":
        self._process = subprocess.Popen(
            [BINARY, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no",
             "--dir", self._dir, "--protected-mode", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not self.answers():
            if self._process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server on port {self.port} did not start")
            time.sleep(0.02)
        return self

    def client(self):
        import redis

        return redis.Redis.from_url(self.url, socket_connect_timeout=0.5, socket_timeout=0.5)

    def answers(self) -> bool:
        try:
            return bool(self.client().ping())
        except Exception:  # noqa: BLE001 - not (yet) answering
            return False

    def pause(self) -> None:
        """The process stops; connections are accepted by the kernel, nothing answers."""
        os.kill(self._process.pid, signal.SIGSTOP)
        self._paused = True

    def resume(self) -> None:
        os.kill(self._process.pid, signal.SIGCONT)
        self._paused = False

    def stop(self) -> None:
        """Killed: the port is closed (connections refused)."""
        if self._process is None:
            return
        if self._paused:
            self.resume()
        self._process.kill()
        self._process.wait(timeout=10)
        self._process = None

    def restart(self) -> "RedisServer":
        self.stop()
        return self.start()

    def snapshot(self) -> dict[bytes, tuple[bytes, int]]:
        """Every key, as DUMP gives it, with its remaining life in ms (0: none)."""
        client = self.client()
        kept = {}
        for key in client.scan_iter(count=1000):
            dumped, ttl = client.dump(key), client.pttl(key)
            if dumped is not None:
                kept[key] = (dumped, max(ttl, 0))
        return kept

    def restore(self, snapshot: dict[bytes, tuple[bytes, int]]) -> None:
        """Put the snapshot's keys back as they were (a Redis restarted from an old dump)."""
        client = self.client()
        for key, (dumped, ttl) in snapshot.items():
            client.restore(key, ttl, dumped, replace=True)

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self._dir, ignore_errors=True)
