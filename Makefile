# ネット de 顧問 — the two commands that matter: `make serve` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/netdekomon
# Database 15 of the local Redis for the tests; every test run keeps to keys of its own.
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# Bytecode is cached (__pycache__, ignored by git) even where the environment says not to:
# without it each test process, and each Python a test starts, compiles Django and the
# project again (a process's start took 6.5 s instead of 2.9 s; README).
unexport PYTHONDONTWRITEBYTECODE
# Three processes on the 2-core machines the suite is measured on: the browser tests
# and the concurrency tests wait (on Chromium, on each other), and a third process keeps
# both cores busy meanwhile (a run took 410 s with three, 461 s with two; README).
TEST_WORKERS ?= 3
# loadgroup: tests marked xdist_group (one server per module) stay in one process.
PYTEST = $(BIN)/pytest -q -p no:cacheprovider -n $(TEST_WORKERS) --dist loadgroup

.PHONY: serve test test-all test-main test-sqlite install clean prod bench screenshots redis-server xmlsec1 chromium

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	# --no-compile: bytecode is written on first import, for the modules used (a third of the install's time)
	$(BIN)/pip install -q --no-compile -r requirements-dev.txt
	touch $@

install: $(BIN)/.installed xmlsec1

# Install, migrate, seed the demo tenant and serve it on http://127.0.0.1:8000 (SQLite).
serve: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# Production serving: gunicorn + whitenoise, DEBUG off, PostgreSQL (docs/deployment.md).
# Needs SECRET_KEY (and ALLOWED_HOSTS, DATABASE_URL) in the environment.
prod: install
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} sh scripts/prod.sh

# Benchmark on gunicorn + PostgreSQL (docs/performance.md); not part of `make test`.
# BENCH_ARGS="--users 1000,100000" for a larger run.
bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Install and run every test, once, in parallel (pytest-xdist, TEST_WORKERS
# processes): on PostgreSQL with the shared cache on Redis (REDIS_URL) when both
# answer, else on PostgreSQL alone, else on SQLite, each fallback with a notice.
# The real-browser tests (marker e2e) are part of it. Under CI=true PostgreSQL
# and Redis are required, and a second pass runs every test but the browser ones
# on SQLite without the shared cache; `make test-all` does both anywhere.
# The fault tests of the shared cache start redis-servers of their own: the
# binary is installed when missing (skipped without it, failed under CI). So is
# xmlsec1, which pysaml2 needs to check the signatures of single sign-on (sso/).
# The system checks (warning level) and the migrations check are tests of the suite
# (catalog/tests/test_registry.py, tests/test_project_checks.py), run in parallel with the rest.
test: install redis-server xmlsec1 chromium
	$(MAKE) --no-print-directory test-main
	@if [ "$$CI" = "true" ]; then $(MAKE) --no-print-directory test-sqlite SQLITE_ARGS='-m "not e2e"'; fi

test-all: install redis-server xmlsec1 chromium
	$(MAKE) --no-print-directory test-main
	$(MAKE) --no-print-directory test-sqlite SQLITE_ARGS='-m "not e2e"'

test-main: install
	@if $(BIN)/python scripts/pg_ready.py "$(PG_URL)"; then \
		if $(BIN)/python scripts/redis_ready.py "$(TEST_REDIS_URL)"; then \
			echo "PostgreSQL with the shared cache: REDIS_URL=$(TEST_REDIS_URL)"; \
			REDIS_URL=$(TEST_REDIS_URL) DATABASE_URL=$(PG_URL) $(PYTEST) $(PYTEST_ARGS); \
		elif [ "$$CI" = "true" ]; then \
			echo "Redis at $(TEST_REDIS_URL) is not reachable (required under CI)"; exit 1; \
		else \
			echo "NOTICE: Redis at $(TEST_REDIS_URL) is not reachable; the tests run on PostgreSQL without the shared cache."; \
			REDIS_URL= DATABASE_URL=$(PG_URL) $(PYTEST) $(PYTEST_ARGS); \
		fi; \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL at $(PG_URL) is not reachable (required under CI)"; exit 1; \
	else \
		echo "NOTICE: PostgreSQL at $(PG_URL) is not reachable; the tests run on SQLite (the PostgreSQL-only ones are skipped)."; \
		$(MAKE) --no-print-directory test-sqlite; \
	fi

test-sqlite: install
	REDIS_URL= DATABASE_URL=sqlite:///$(CURDIR)/.test.sqlite3 $(PYTEST) $(SQLITE_ARGS) $(PYTEST_ARGS)

redis-server:
	@command -v redis-server >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			apt-get install -y -q redis-server >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q redis-server; }; \
		else \
			echo "redis-server is missing and cannot be installed here (apt-get install redis-server): the fault tests of the shared cache will be skipped"; \
		fi; }

# Single sign-on (sso/): pysaml2 checks and makes XML signatures with Debian's xmlsec1.
xmlsec1:
	@command -v xmlsec1 >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			apt-get install -y -q xmlsec1 >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q xmlsec1; }; \
		else \
			echo "xmlsec1 is missing and cannot be installed here (apt-get install xmlsec1): the single sign-on tests will be skipped and single sign-on cannot work"; \
		fi; }

# The real-browser tests (marker e2e): Debian's Chromium and a Japanese font, installed
# here before the test processes start (tests/e2e/conftest.py installs them too when run alone).
chromium:
	@{ command -v chromium >/dev/null 2>&1 && command -v fc-list >/dev/null 2>&1 && [ -n "$$(fc-list :lang=ja)" ]; } || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			export DEBIAN_FRONTEND=noninteractive; \
			apt-get install -y -q --no-install-recommends chromium fonts-ipafont-gothic >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends chromium fonts-ipafont-gothic; }; \
		else \
			echo "chromium is missing and cannot be installed here (apt-get install chromium fonts-ipafont-gothic): the browser tests will be skipped"; \
		fi; }

# Re-take the README's screenshots (docs/screenshots/) with the real-browser tests.
screenshots: install chromium
	UPDATE_SCREENSHOTS=1 DATABASE_URL=sqlite:///$(CURDIR)/.test.sqlite3 $(BIN)/pytest -q -p no:cacheprovider -m e2e

clean:
	rm -rf $(VENV) db.sqlite3 .test.sqlite3 staticfiles
