#!/bin/sh
# Production serving: gunicorn + whitenoise, DEBUG off, PostgreSQL.
# Usage (see docs/deployment.md): SECRET_KEY=... ALLOWED_HOSTS=... make prod
set -eu
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
export DEBUG=false
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/netdekomon}"
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"
if [ -z "${SECRET_KEY:-}" ]; then
    echo "SECRET_KEY is not set. Generate one with:" >&2
    echo "  $PY -c 'import secrets; print(secrets.token_urlsafe(50))'" >&2
    echo "and give every app server the same value." >&2
    exit 2
fi
case "$DATABASE_URL" in
    postgres://*|postgresql://*) ;;
    *) echo "DATABASE_URL must point at PostgreSQL in production." >&2; exit 2 ;;
esac
# Release steps. With several app servers run them once per release (MIGRATE=0 on the others).
if [ "${MIGRATE:-1}" = "1" ]; then
    $PY manage.py migrate --noinput
fi
$PY manage.py collectstatic --noinput -v 0
$PY manage.py check --deploy   # deployment warnings are printed for the operator; errors stop here
exec "$(dirname "$PY")/gunicorn" -c gunicorn.conf.py netdekomon.wsgi:application
