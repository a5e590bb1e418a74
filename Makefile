# propdesk: the two commands are `make run` and `make test`; everything else is a helper.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PG_DIR := $(CURDIR)/var/pgtest

.PHONY: run test install system-deps messages static demo serve test-sqlite test-postgres test-clock lint bench fuzz clean backup restore faults probe

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

# The suite runs whole twice, each time at one of the awkward instants of the calendar (tests/clock.py):
# on SQLite at the 1st of next month 00:05 Asia/Shanghai (the previous day in UTC), on PostgreSQL at the
# last day of next month 23:55; then `test-clock` runs the date-sensitive rules (tests.clock.DATE_SENSITIVE)
# at every other instant. `make test-clock AT=2028-02-29T00:05:00+08:00` runs the whole suite at one
# instant of your own; plain `pytest` runs it on the real clock.
PYTEST := $(VENV)/bin/pytest -n 2 -q -p no:cacheprovider
INSTANT = $$(PYTHONPATH=. $(PY) -m tests.clock --at $(1))

test-sqlite: install messages static
	@set -e; at=$(call INSTANT,first-of-month-0005); echo "== test suite on SQLite at $$at"; \
	  env -u DATABASE_URL PROPDESK_CLOCK=$$at $(PYTEST) </dev/null

test-postgres: install messages static
	@set -e; at=$(call INSTANT,month-end-2355); echo "== test suite on PostgreSQL at $$at"; \
	  url=$$(scripts/test-postgres.sh start $(PG_DIR)); \
	  trap 'scripts/test-postgres.sh stop $(PG_DIR)' EXIT; \
	  DATABASE_URL=$$url PROPDESK_CLOCK=$$at $(PYTEST) </dev/null

test-clock: install messages static
	@set -e; if [ -n "$(AT)" ]; then \
	    echo "== test suite on SQLite at $(AT)"; \
	    env -u DATABASE_URL PROPDESK_CLOCK=$(AT) $(PYTEST) -m "not fault" --ignore=tests/fuzz </dev/null; exit 0; fi; \
	  suites=$$(PYTHONPATH=. $(PY) -m tests.clock --suites); \
	  PYTHONPATH=. $(PY) -m tests.clock --others | while read -r name at; do \
	    echo "== date-sensitive tests on SQLite at $$at ($$name)"; \
	    env -u DATABASE_URL PROPDESK_CLOCK=$$at $(PYTEST) -m "not fault and not browser" $$suites </dev/null; \
	  done

test: system-deps install messages static lint test-sqlite test-postgres test-clock

backup: install
	@$(MANAGE) backup $(if $(TO),--output $(TO))

restore: install
	@$(MANAGE) restore $(FROM)

# Faults under load (docs/reliability.md): 60 s on a PostgreSQL of its own, then 60 s on SQLite.
faults: install system-deps
	@$(PY) bench/faults.py --db postgres --seconds 60
	@$(PY) bench/faults.py --db sqlite --seconds 60

# The security probe (docs/security.md): attacks a served production-like instance over HTTP, ~1 minute.
probe: install messages static
	@$(PY) bench/probe.py

bench: install
	@$(PY) bench/run_all.py

# The fuzzed API (tests/fuzz) with a larger budget than `make test`, on SQLite; prints its counts.
FUZZ_EXAMPLES ?= 300
fuzz: install
	@echo "== fuzzed API on SQLite, $(FUZZ_EXAMPLES) examples per operation"
	@mkdir -p var; rc=0; \
	  env -u DATABASE_URL PROPDESK_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) PROPDESK_FUZZ_REPORT=var/fuzz-report.json \
	    $(VENV)/bin/pytest -q -p no:cacheprovider tests/fuzz || rc=$$?; \
	  $(PY) -m tests.fuzz.budget var/fuzz-report.json; exit $$rc

clean:
	rm -rf $(VENV) var
