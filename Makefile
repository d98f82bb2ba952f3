# ネット de 顧問 — the two commands that matter: `make serve` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/netdekomon
# Database 15 of the local Redis for the tests; every test run keeps to keys of its own.
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: serve test test-sqlite test-postgres install clean prod bench screenshots redis-server

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

install: $(BIN)/.installed

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

# Install and run every test: on SQLite without the shared cache, then on
# PostgreSQL with it (REDIS_URL; without Redis running, PostgreSQL alone and a
# notice). PostgreSQL and Redis are required when CI=true. The tests of the
# cache itself use Redis in both passes when it answers.
# The real-browser tests (marker e2e) run once, in the SQLite pass.
# The fault tests of the shared cache start redis-servers of their own, in
# both passes: the binary is installed when missing (skipped without it,
# failed under CI).
test: install redis-server
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite: install
	REDIS_URL= DATABASE_URL=sqlite:///$(CURDIR)/.test.sqlite3 $(BIN)/pytest -q -p no:cacheprovider $(PYTEST_ARGS)

test-postgres: install
	@if $(BIN)/python scripts/pg_ready.py "$(PG_URL)"; then \
		if $(BIN)/python scripts/redis_ready.py "$(TEST_REDIS_URL)"; then \
			echo "PostgreSQL pass with the shared cache: REDIS_URL=$(TEST_REDIS_URL)"; \
			REDIS_URL=$(TEST_REDIS_URL) DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -p no:cacheprovider -m "not e2e" $(PYTEST_ARGS); \
		elif [ "$$CI" = "true" ]; then \
			echo "Redis at $(TEST_REDIS_URL) is not reachable (required under CI)"; exit 1; \
		else \
			echo "SKIPPED: Redis at $(TEST_REDIS_URL) is not reachable; the PostgreSQL pass runs without the shared cache."; \
			REDIS_URL= DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -p no:cacheprovider -m "not e2e" $(PYTEST_ARGS); \
		fi; \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL at $(PG_URL) is not reachable (required under CI)"; exit 1; \
	else \
		echo "SKIPPED: PostgreSQL at $(PG_URL) is not reachable; only SQLite was tested."; \
	fi

redis-server:
	@command -v redis-server >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			apt-get install -y -q redis-server >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q redis-server; }; \
		else \
			echo "redis-server is missing and cannot be installed here (apt-get install redis-server): the fault tests of the shared cache will be skipped"; \
		fi; }

# Re-take the README's screenshots (docs/screenshots/) with the real-browser tests.
screenshots: install
	UPDATE_SCREENSHOTS=1 DATABASE_URL=sqlite:///$(CURDIR)/.test.sqlite3 $(BIN)/pytest -q -p no:cacheprovider -m e2e

clean:
	rm -rf $(VENV) db.sqlite3 .test.sqlite3 staticfiles
