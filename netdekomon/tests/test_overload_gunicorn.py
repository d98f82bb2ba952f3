"""「混み合っています」 as production serves it: gunicorn with gunicorn.conf.py,
DEBUG off, hashed static files, behind one trusted proxy.

The database is unreachable on purpose: a request that waited too long must
be answered without any work, so the 503 (and the punch's resend page with
its receipt) cannot depend on it, while a request within the limit does
need it and gets the error page instead.
"""

import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from html import unescape
from pathlib import Path

import pytest
from django.test import RequestFactory, override_settings

from kit import receipts
from netdekomon.tests.test_deployment import ROOT, _production_env

UNREACHABLE_DATABASE = "postgres://nobody@127.0.0.1:1/none"
SECRET_KEY = secrets.token_urlsafe(50)
LIMIT_MS = 1000

# One server for the module: its tests stay in one test process (`make test`: --dist loadgroup).
pytestmark = pytest.mark.xdist_group("gunicorn")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = free_port()
    scratch = tmp_path_factory.mktemp("gunicorn")
    env = _production_env(DATABASE_URL=UNREACHABLE_DATABASE,
                          BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY="1", TRUSTED_PROXY_COUNT="1",
                          REQUEST_QUEUE_LIMIT_MS=str(LIMIT_MS), OVERLOAD_RETRY_AFTER_SECONDS="3",
                          GUNICORN_ACCESSLOG="", STATIC_ROOT=str(scratch / "staticfiles"))
    env["SECRET_KEY"] = SECRET_KEY
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
                   cwd=ROOT, env=env, check=True, timeout=120)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    log = scratch / "server.log"
    with log.open("w") as output:
        process = subprocess.Popen([str(gunicorn), "-c", "gunicorn.conf.py", "netdekomon.wsgi:application"],
                                   cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    assert process.poll() is None and time.monotonic() < deadline, log.read_text()
                    time.sleep(0.2)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def ask(server, path, *, waited: float, data: dict | None = None, headers: dict | None = None):
    """A request as the load balancer passes it on: its start time, the client's address, HTTPS."""
    headers = {"Host": "netdekomon.example.jp", "X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https",
               "X-Request-Start": f"t={time.time() - waited:.3f}", "Accept-Language": "ja", **(headers or {})}
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(server + path, data=body, headers=headers)
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=20) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_a_request_that_waited_too_long_is_answered_at_once_without_the_database(server):
    status, headers, page = ask(server, "/attendance/", waited=5)
    assert status == 503 and headers["Retry-After"] == "3"
    assert "no-store" in headers["Cache-Control"]
    assert "混み合っています" in page and 'lang="ja"' in page and "ポータルへ戻る" in page


def test_the_same_request_within_the_limit_needs_the_database(server):
    """The control: a logged-in browser's request (its session is looked up) is not shed and fails
    on the unreachable database, so the 503 above came before any of that work."""
    cookie = {"Cookie": "sessionid=" + "x" * 32}
    status, _headers, page = ask(server, "/attendance/", waited=5, headers=cookie)
    assert status == 503 and "混み合っています" in page
    status, _headers, page = ask(server, "/attendance/", waited=0, headers=cookie)
    assert status == 500 and "混み合っています" not in page


def test_a_shed_punch_gets_its_resend_page_and_a_signed_receipt(server):
    cookie = {"Cookie": "sessionid=" + "s" * 32}
    sent = time.time()  # the header says the punch arrived 5 s before this (the answer may take long on a busy machine)
    status, headers, page = ask(server, "/attendance/", waited=5, data={"kind": "in", "token": "T" * 32},
                                headers=cookie)
    assert status == 503 and headers["Retry-After"] == "3"
    assert "混み合っています。自動で再送します…" in page
    script = re.search(r'<script src="(/static/js/resend\.[0-9a-f]+\.js)"', page)
    assert script, "the resend script under its hashed name (collectstatic's manifest)"
    fields = {unescape(name): unescape(value)
              for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)}
    assert fields["token"] == "T" * 32 and fields["kind"] == "in"
    with override_settings(SECRET_KEY=SECRET_KEY):  # the server's key: the receipt is genuine
        resend = RequestFactory().post("/attendance/", fields, HTTP_COOKIE=cookie["Cookie"])
        first_arrival = receipts.read(fields[receipts.FIELD], receipts.form_digest(resend))[0].timestamp()
    assert abs(first_arrival - (sent - 5)) < 0.5, "the receipt keeps the time of the first arrival"
    status, _headers, _body = ask(server, script.group(1), waited=0)
    assert status == 200, "the page's script is served"
