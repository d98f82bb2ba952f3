"""Instructions per request, counted by valgrind's callgrind in one process.

CPU time on a shared machine swings with whatever else runs; the number of
instructions a request executes does not. This counts, in-process and with
the bench's settings (DEBUG off, PostgreSQL, no Redis), the instructions of
the Python side of a request (Django, our code, psycopg's client side; not
PostgreSQL's) for the punch, the portal, the payslip list and the two bare
baselines, through the same two handlers as bench/wsgi.py.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/netdekomon_he \\
        .venv/bin/python -m bench.instructions [--requests 20]

seeds a small database (200 users, once), then runs itself under
``valgrind --tool=callgrind --instr-atstart=no``: Django starts and each
path is warmed up uninstrumented, then the counters are zeroed before and
dumped after ``--requests`` requests of each path (callgrind's client
requests, through a tiny C helper compiled at run time).
``BARE_STOCK_SESSIONS=1`` makes the bare handlers a fresh project's: Django's own
database session store instead of the product's (``SESSION_ENGINE``, which bench/wsgi.py
shares) and Django's ``ModelBackend`` user load instead of the product's
(a session of its own, bench/baseline/backends.py).

The requests are WSGI environs built before counting and handed to Django's
test ``ClientHandler`` (the CSRF check is skipped for the product and the
bare baseline alike); every answer is read and closed as gunicorn would.
"""

import argparse
import ctypes
import glob
import os
import re
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.env import SECRET_KEY

ROOT = Path(__file__).resolve().parent.parent
HELPER_C = r"""
#include <valgrind/callgrind.h>
void cg_start(void) { CALLGRIND_START_INSTRUMENTATION; }
void cg_zero(void) { CALLGRIND_ZERO_STATS; }
void cg_dump(const char *name) { CALLGRIND_DUMP_STATS_AT(name); }
"""
USERS = 200
PATHS = ("punch POST", "bare insert POST", "portal GET", "payslip list GET", "bare page GET")


def _helper(tmp: Path):
    source, lib = tmp / "cg.c", tmp / "cg.so"
    source.write_text(HELPER_C)
    subprocess.run(["gcc", "-O1", "-shared", "-fPIC", "-o", str(lib), str(source)], check=True)
    return ctypes.CDLL(str(lib))


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", SECRET_KEY)
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    os.environ["REDIS_URL"] = ""
    os.environ.setdefault("PYTHONHASHSEED", "0")
    import django

    django.setup(set_prefix=False)


def prepare():
    """Seed (once) and write fresh sessions; returns (user ids, session keys)."""
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    from bench import seed
    from bench.env import PASSWORD, create_sessions
    from bench.scenarios import _page_rows, pick_users, today_punches

    call_command("migrate", verbosity=0)
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    layout = seed.Layout(USERS)
    if not seed.counts().get("accounts_user"):
        seed.seed(layout, password_hash=make_password(PASSWORD), log=lambda *a, **k: None)
    (a_user,) = pick_users(layout, 1, prefix="A", offset=3)
    (b_user,) = pick_users(layout, 1, prefix="B", offset=4)
    today_punches([b_user[0]], delete=True)
    _page_rows([a_user[0], b_user[0]])
    full, limited = create_sessions([a_user, b_user])
    return full, limited


def _environs(path, session, count, *, post=False):
    from django.test.client import RequestFactory

    factory = RequestFactory()
    kinds = iter(["in"] + ["break_start", "break_end"] * count)
    out = []
    for _ in range(count):
        if post:
            body = f"kind={next(kinds)}&token={secrets.token_hex(16)}" if path.startswith("/attendance") else ""
            request = factory.post(path, body, content_type="application/x-www-form-urlencoded")
        else:
            request = factory.get(path)
        request.environ["HTTP_COOKIE"] = f"sessionid={session}"
        out.append(request.environ)
    return out


def run(count: int, lib_path: str | None):
    _setup()
    from django.conf import settings
    from django.test.client import ClientHandler

    from bench.scenarios import BASELINE, PAGE, PAYSLIPS, PORTAL, PUNCH

    full, limited = prepare()
    product = ClientHandler(enforce_csrf_checks=False)
    product.load_middleware()
    saved = settings.MIDDLEWARE, settings.SESSION_ENGINE
    settings.MIDDLEWARE = settings.BARE_MIDDLEWARE
    bare_session = limited
    if os.environ.get("BARE_STOCK_SESSIONS"):  # the bare handlers as a fresh project's: Django's own
        settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"  # database store, and its
        bare_session = _stock_session(limited)  # ModelBackend's user load
    bare = ClientHandler(enforce_csrf_checks=False)
    bare.load_middleware()  # SessionMiddleware takes its store class now
    settings.MIDDLEWARE, settings.SESSION_ENGINE = saved
    plan = {  # the bench's sessions: the punch and the list as a B-ID (限定), the portal verified
        "punch POST": (product, PUNCH, limited, True, 302),
        "bare insert POST": (bare, BASELINE, bare_session, True, 302),
        "portal GET": (product, PORTAL, full, False, 200),
        "payslip list GET": (product, PAYSLIPS, limited, False, 200),
        "bare page GET": (bare, PAGE, bare_session, False, 200),
    }
    lib = ctypes.CDLL(lib_path) if lib_path else None
    started = False
    for name, (handler, path, session, post, status) in plan.items():
        warm = _environs(path, session, 3, post=post)
        measured = _environs(path, session, count, post=post)
        for environ in warm + (measured if lib is None else []):
            _call(handler, environ, status, name)
        if lib is None:
            continue
        if not started:
            lib.cg_start()
            started = True
        for environ in _environs(path, session, 2, post=post):  # warm again, instrumented
            _call(handler, environ, status, name)
        lib.cg_zero()
        for environ in measured:
            _call(handler, environ, status, name)
        lib.cg_dump(name.encode())


def _stock_session(session_key: str) -> str:
    """A copy of the session, its user loaded by Django's ModelBackend (bench/baseline/backends.py)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    copy = SessionStore()
    copy.update(SessionStore(session_key=session_key).load())
    copy[BACKEND_SESSION_KEY] = settings.STOCK_BACKEND
    copy.create()
    return copy.session_key


def _call(handler, environ, status, name):
    response = handler(environ)
    b"".join(response)
    response.close()
    assert response.status_code == status, (name, response.status_code, response.get("Location"))


def measure(count: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        lib = tmp / "cg.so"
        _helper(tmp)
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        subprocess.run(["valgrind", "--tool=callgrind", "--instr-atstart=no", "--dump-instr=no",
                        f"--callgrind-out-file={tmp}/cg.out", "-q",
                        sys.executable, "-m", "bench.instructions", "--inner", str(lib),
                        "--requests", str(count)], cwd=ROOT, env=env, check=True)
        out = {}
        for dump in sorted(glob.glob(f"{tmp}/cg.out*")):
            text = Path(dump).read_text(errors="replace")
            trigger = re.search(r"^desc: Trigger: Client Request: (.+)$", text, re.M)
            total = re.search(r"^(?:summary|totals): (\d+)", text, re.M)
            if trigger and total:
                out[trigger.group(1).strip()] = int(total.group(1)) / count
        return out


def report(out: dict) -> str:
    lines = ["| request | instructions/request | bare counterpart | ratio |", "|---|---|---|---|"]
    pairs = {"punch POST": "bare insert POST", "portal GET": "bare page GET", "payslip list GET": "bare page GET"}
    for name in PATHS:
        if name not in out:
            continue
        bare = pairs.get(name)
        ratio = f"{out[name] / out[bare]:.2f}" if bare in out else ""
        lines.append(f"| {name} | {out[name] / 1e6:.2f} M | {bare or ''} | {ratio} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--inner", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        run(args.requests, args.inner)
        return
    _setup()
    prepare()  # seed outside valgrind
    print(report(measure(args.requests)))


if __name__ == "__main__":
    main()
