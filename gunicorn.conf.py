"""gunicorn configuration for ネット de 顧問 (`make prod`, docs/deployment.md).

Every value can be overridden from the environment, so the same file serves
one laptop and a fleet of app servers behind a load balancer.
"""

import os


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


# Where to listen. Behind a load balancer / reverse proxy: BIND=0.0.0.0:8000.
bind = os.environ.get("BIND", "127.0.0.1:8000")

# Sync workers: each request is CPU (templates, password hashing) plus short
# PostgreSQL round trips, so 2 × cores + 1 keeps the cores busy while some
# workers wait on the database. WEB_CONCURRENCY overrides it.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * _cores() + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 5))

# Recycle workers now and then so a slow leak can never take a server down.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 10000))
max_requests_jitter = max_requests // 10

# Only the load balancer's address may set X-Forwarded-Proto (see TRUSTED_PROXY_COUNT).
# No control socket: nothing is kept on local disk, and several servers may share a host.
control_socket_disable = True

forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Logs to standard output/error: the platform collects them, nothing on local disk.
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
