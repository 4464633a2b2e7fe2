# onestop: `make run` sets everything up and serves the demo; `make test` runs the whole suite.
.DEFAULT_GOAL := help
SHELL := /bin/bash

VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# The first interpreter that really runs and is Python >= 3.12: an explicit PYTHON= first, then
# python3.13, python3.12, python3 on PATH, then pyenv's installed versions (PATH shims may fail).
define find_python
for c in $(PYTHON) python3.13 python3.12 python3 $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
  if "$$c" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then echo "$$c"; exit 0; fi; \
done; exit 1
endef

.PHONY: help venv run serve test test-fast lint layers typecheck format messages clean

help:
	@echo "make run    – venv, install, migrate, demo data, serve on http://$(HOST):$(PORT) with the background worker"
	@echo "make test   – lint, migrations check, layers, types, the whole test suite (TEST_DATABASE_URL for PostgreSQL)"

$(VENV)/.installed: requirements.txt
	@interp=$$($(find_python)) || { echo "onestop needs Python 3.12 or newer (Django 6). None was found: install one, or run 'make PYTHON=/path/to/python3.12 run'." >&2; exit 1; }; \
	echo "Using $$interp ($$($$interp --version))"; \
	[ -x $(PY) ] || $$interp -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

venv: $(VENV)/.installed

run: venv
	DEBUG=true $(PY) manage.py migrate --no-input
	DEBUG=true $(PY) manage.py seed_demo
	@echo "onestop: http://$(HOST):$(PORT)/ with its background worker  (Ctrl+C stops both)"
	PY=$(PY) HOST=$(HOST) PORT=$(PORT) scripts/run.sh

test: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/lint-imports
	$(MAKE) --no-print-directory typecheck
	TEST_DATABASE_URL=$(TEST_DATABASE_URL) $(VENV)/bin/pytest $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The layers contract (pyproject.toml [tool.importlinter]): each app imports only those below it.
layers: venv
	$(VENV)/bin/lint-imports

# Type hints on every app's services and selectors (pyproject.toml [tool.mypy]).
TYPED = $$(find onestop wards intake postal hall notify reports demo -path '*/migrations' -prune -o \
	\( -name services.py -o -name selectors.py -o -path '*/services/*.py' -o -path '*/selectors/*.py' \) \
	-print | sort)
typecheck: venv
	$(VENV)/bin/mypy $(TYPED)

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: venv
	DEBUG=true $(PY) manage.py makemessages -l en --ignore=.venv --ignore=staticfiles
	DEBUG=true $(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 db.sqlite3-wal db.sqlite3-shm media .pytest_cache

# --- Performance: benchmark, load and soak (PostgreSQL, loopback only; not part of `make test`) -
# See docs/performance.md. locust comes from requirements-perf.txt, installed here on demand.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/onestop_bench
BENCH_COUNT ?= 1000000
BENCH_REPEAT ?= 30

.PHONY: bench load soak perf-tools

$(VENV)/.perf-installed: requirements-perf.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-perf.txt
	@touch $@

perf-tools: $(VENV)/.perf-installed

bench: venv
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) BENCH_COUNT=$(BENCH_COUNT) BENCH_REPEAT=$(BENCH_REPEAT) \
	  PY=$(PY) scripts/bench.sh

load: perf-tools
	PY=$(PY) scripts/load.sh

soak: perf-tools
	PY=$(PY) scripts/soak.sh

# --- Backup and restore check (docs/backup.md; not part of `make test`) -----------------------
# The demo data through pg_dump/pg_restore (BACKUP_PG_URL, databases BACKUP_PG_PREFIX_source and
# _restored, dropped and created anew) and through dumpdata/loaddata on SQLite files; every
# table's row count and every dossier code compared. BACKUP_MODE=postgres or sqlite for one half.
BACKUP_MODE ?= all

.PHONY: backup-check

backup-check: venv
	PY=$(PY) scripts/backup_roundtrip.sh $(BACKUP_MODE)
