"""Where a punch spends its time: py-spy samples the gunicorn workers while
wrk sends punches, and the stacks are summed up by function and by layer."""

import collections
import re
import subprocess
import sys
import threading
from pathlib import Path

from .loadgen import wrk
from .scenarios import PUNCH, today_punches

BIN = Path(sys.executable).parent
OURS = ("accounts", "attendance", "licensing", "portal", "payslips", "reception", "bench", "netdekomon")
LAYERS = [  # first match from the innermost frame outwards decides the layer of a sample
    ("argon2", "password hashing"), ("psycopg", "PostgreSQL driver (psycopg)"),
    ("django/db/models/sql", "ORM: SQL compilation"), ("django/db", "ORM: models, queryset"),
    ("django/template", "templates"), ("django/contrib/sessions", "sessions"),
    ("django/core/signing", "signing (sessions, messages)"), ("django/contrib/messages", "messages"),
    ("django/middleware", "Django middleware"), ("django/contrib/auth", "auth"),
    ("django_otp", "django-otp"), ("axes", "django-axes"), ("whitenoise", "whitenoise"),
    ("django/urls", "URL resolving"), ("django/utils/translation", "translation"),
    ("/accounts/", "ours: accounts"), ("/attendance/", "ours: attendance"), ("/licensing/", "ours: licensing"),
    ("/portal/", "ours: portal"), ("django/", "Django (other)"), ("gunicorn", "gunicorn (idle, parsing, writing)"),
]


def ensure_py_spy() -> str:
    exe = BIN / "py-spy"
    if not exe.exists():
        subprocess.run([str(BIN / "pip"), "install", "-q", "-r", str(Path(__file__).with_name("requirements.txt"))],
                       check=True)
    return str(exe)


def _frames(stack: str):
    return [frame for frame in stack.split(";") if frame]


def summarize(raw: str, top=18) -> str:
    layers, inclusive, total = collections.Counter(), collections.Counter(), 0
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        count = int(count)
        frames = _frames(stack)
        if any("gunicorn/workers/sync.py" in f and ("wait" in f or "accept" in f) for f in frames[-3:]) \
                and not any("handle_request" in f for f in frames):
            continue  # a worker waiting for a connection: idle, not part of a request
        total += count
        for frame in reversed(frames):
            layer = next((name for needle, name in LAYERS if needle in frame), None)
            if layer:
                layers[layer] += count
                break
        else:
            layers["other"] += count
        for frame in {re.sub(r":\d+\)$", ")", f) for f in frames}:
            if any(f"({app}/" in frame for app in OURS):
                inclusive[frame] += count
    lines = [f"{total} samples in requests. By layer (innermost matching frame):"]
    lines += [f"  {count * 100 / total:5.1f} %  {name}" for name, count in layers.most_common()]
    lines.append("Inclusive, our functions (share of request samples under each):")
    lines += [f"  {count * 100 / total:5.1f} %  {frame[:140]}" for frame, count in inclusive.most_common(top)]
    return "\n".join(lines)


def profile_punch(server, sessions, *, seconds, connections, run_id) -> str:
    spy = ensure_py_spy()
    out = Path(server.log.name).with_suffix(".pyspy.txt")
    today_punches(sessions.ids, delete=True)
    recorder = subprocess.Popen([spy, "record", "--pid", str(server.process.pid), "--subprocesses",
                                 "--duration", str(seconds), "--rate", "200", "--format", "raw",
                                 "--nonblocking", "-o", str(out)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    result = {}
    thread = threading.Thread(target=lambda: result.setdefault("wrk", wrk(
        "punch (profiled)", server.url + PUNCH, lines_file=sessions.file, mode="punch",
        connections=connections, seconds=seconds, run_id=run_id)))
    thread.start()
    recorder.wait()
    thread.join()
    return f"{result['wrk'].rps:.1f} req/s while profiled\n" + summarize(out.read_text())
