# `make run` and `make test` work on a fresh machine with Python 3.11 (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

CALDAV := .venv-caldav
CALDAV_STAMP := $(CALDAV)/.installed

.PHONY: run test unit lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

# The caldav extra lives in its own venv: its dependencies add a start-up hook (.pth) to
# every Python process, which must not slow the main venv's CLI (nor its benchmarks).
$(CALDAV_STAMP): pyproject.toml
	test -x $(CALDAV)/bin/python || $(PYTHON) -m venv $(CALDAV)
	$(CALDAV)/bin/python -m pip install -q --upgrade pip
	$(CALDAV)/bin/python -m pip install -q -e '.[dev,caldav]' 'radicale>=3.1'
	touch $(CALDAV_STAMP)

## The dashboard on the embedded default (SQLite under your data dir, or FOLLOWUP_HOME):
## prints a one-time link and opens your browser; Ctrl-C stops it.
run: $(STAMP)
	$(BIN)/followup serve

## The whole suite, real servers included: the tests without a server on both cores
## (pytest-xdist), those with one on both cores too (each worker starts its own servers on
## free ports) except those that load the machine on purpose (the reliability tests' fleets
## of workers, the dashboard's latency under load), which run alone; server mode again
## through PgBouncer in transaction mode (docs/deployment.md, PgBouncer), with the workers'
## SIGKILL test at 1,000 notes (8 workers, 12 killed at work, exactly-once at the sink; the
## stores' random-walk property tests, about SQL not connections, once is enough); the tests without a server again under
## a far-off time zone (not the fuzz corpus of malformed files, the JSON round trip or the
## scaling ratios: no clock in them); then lint.
## About 27 minutes on this 2-core machine with a fresh venv (27m17s-29m14s, sessions 14-16).
test: $(STAMP) $(CALDAV_STAMP)
	bash scripts/test-deps.sh
	$(BIN)/python -m pytest -q -n 2 -m "not integration" --ignore=tests/integration/test_caldav.py
	$(BIN)/python -m pytest -q -n 2 -m integration --ignore=tests/integration/test_caldav.py \
	    --ignore=tests/reliability --ignore=tests/server/test_load.py
	$(BIN)/python -m pytest -q -m integration tests/reliability tests/server/test_load.py
	FOLLOWUP_RELIABILITY_NOTES=1000 \
	$(BIN)/python -m pytest -q -p no:cacheprovider --through-pgbouncer -m integration \
	    tests/server tests/contract tests/adapters/test_postgres.py \
	    tests/adapters/test_note_kinds_migration.py tests/cli/test_db.py \
	    tests/reliability/test_workers.py::test_killing_workers_never_sends_a_note_twice \
	    --ignore=tests/server/test_load.py --ignore=tests/contract/test_mailbox_contract.py \
	    --ignore=tests/contract/test_board_property.py --ignore=tests/contract/test_stats_property.py
	$(CALDAV)/bin/python -m pytest -q -p no:cacheprovider tests/integration/test_caldav.py
	TZ=Pacific/Chatham $(BIN)/python -m pytest -q -n 2 -m "not integration" -p no:cacheprovider \
	    --ignore=tests/fuzz --ignore=tests/cli/test_round_trip.py \
	    --ignore=tests/calendar/test_ics_scaling.py --ignore=tests/unit/test_lint_scaling.py
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/python -m pytest -q tests/unit tests/cli

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) $(CALDAV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
