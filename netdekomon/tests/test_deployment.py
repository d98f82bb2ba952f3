"""Production serving: gunicorn configuration, whitenoise, the `make prod` script."""

import os
import runpy
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _production_env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEBUG")}
    env.update(DEBUG="false", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="netdekomon.example.jp",
               PASSKEY_RP_ID="netdekomon.example.jp",
               DJANGO_SETTINGS_MODULE="netdekomon.settings", **extra)
    return env


def test_stylesheet_is_served_by_the_app_itself(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")


def test_gunicorn_workers_follow_the_cores_and_bind_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.setenv("BIND", "0.0.0.0:9000")
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert config["workers"] == 2 * len(os.sched_getaffinity(0)) + 1
    assert config["bind"] == "0.0.0.0:9000"
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["workers"] == 3


def test_debug_off_uses_hashed_compressed_static_files_and_passes_the_deploy_check():
    env = _production_env(DATABASE_URL="postgres://nobody@127.0.0.1:1/none")
    code = ("import django; django.setup(); from django.conf import settings; "
            "print(settings.STORAGES['staticfiles']['BACKEND'])")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert out.stdout.strip() == "whitenoise.storage.CompressedManifestStaticFilesStorage", out.stderr
    check = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                           cwd=ROOT, env=env, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_prod_refuses_to_start_without_a_secret_key_or_on_sqlite():
    env = _production_env(PY=sys.executable)
    del env["SECRET_KEY"]
    out = subprocess.run(["sh", "scripts/prod.sh"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "SECRET_KEY is not set" in out.stderr
    env = _production_env(PY=sys.executable, DATABASE_URL="sqlite:///tmp/x.sqlite3")
    out = subprocess.run(["sh", "scripts/prod.sh"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "PostgreSQL" in out.stderr
