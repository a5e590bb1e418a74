# propdesk: the two commands are `make run` and `make test`; everything else is a helper.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PG_DIR := $(CURDIR)/var/pgtest

.PHONY: run test install system-deps messages static demo serve test-sqlite test-postgres lint bench clean

$(VENV)/.installed: pyproject.toml
	@set -e; py=$$(scripts/find-python.sh); \
	  [ -x $(PY) ] || $$py -m venv $(VENV); \
	  $(PY) -m pip install -q --upgrade pip 2>&1 | { grep -v "is ignored" || true; }; \
	  $(PY) -m pip install -q -e ".[test]" 2>&1 | { grep -v -E "is ignored|BuildBackendWarning" || true; }
	@touch $@

install: $(VENV)/.installed

messages: install
	@scripts/system-deps.sh run
	@cd src/propdesk && ../../$(PY) ../../manage.py compilemessages -v 0

static: install
	@scripts/vendor-echarts.sh
	@$(MANAGE) collectstatic --noinput -v 0

demo: install messages static
	@$(MANAGE) migrate --noinput -v 0
	@$(MANAGE) createcachetable
	@$(MANAGE) load_demo

run: demo
	@scripts/serve.sh $(HOST) $(PORT)

system-deps:
	@scripts/system-deps.sh test

lint: install
	@$(VENV)/bin/ruff check .
	@$(VENV)/bin/lint-imports

test-sqlite: install messages static
	@echo "== test suite on SQLite"
	@env -u DATABASE_URL $(VENV)/bin/pytest -n 2 -q -p no:cacheprovider

test-postgres: install messages static
	@echo "== test suite on PostgreSQL"
	@set -e; url=$$(scripts/test-postgres.sh start $(PG_DIR)); \
	  trap 'scripts/test-postgres.sh stop $(PG_DIR)' EXIT; \
	  DATABASE_URL=$$url $(VENV)/bin/pytest -n 2 -q -p no:cacheprovider

test: system-deps install messages static lint test-sqlite test-postgres

bench: install
	@$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) var
