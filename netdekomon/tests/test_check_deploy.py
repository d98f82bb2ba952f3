"""`manage.py check --deploy` with production environment values: no warnings at all."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "kaikei.example.jp",
    "CSRF_TRUSTED_ORIGINS": "https://kaikei.example.jp",
    "DATABASE_URL": "postgres://netdekomon:secret@127.0.0.1:5432/netdekomon",
    "PASSKEY_RP_ID": "kaikei.example.jp",
}


def run_check(extra_env):
    env = {k: v for k, v in os.environ.items()
           if k not in PRODUCTION and not k.startswith("SECURE_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(extra_env)
    return subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_production_settings_pass_the_deploy_check():
    result = run_check(PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_passkeys_for_another_domain_refuse_to_start():
    """Left at its default (localhost) the relying party does not match the service's host."""
    env = {key: value for key, value in PRODUCTION.items() if key != "PASSKEY_RP_ID"}
    result = run_check(env)
    assert result.returncode != 0 and "accounts.E032" in result.stderr, result.stdout + result.stderr
    result = run_check({**PRODUCTION, "PASSKEY_ORIGINS": "http://kaikei.example.jp"})
    assert result.returncode != 0 and "accounts.E030" in result.stderr


def test_a_short_secret_key_refuses_to_start():
    result = run_check({**PRODUCTION, "SECRET_KEY": "too-short"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_missing_allowed_hosts_refuses_to_start():
    env = dict(PRODUCTION)
    env.pop("ALLOWED_HOSTS")
    result = run_check(env)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr
