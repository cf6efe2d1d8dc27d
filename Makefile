# `make run` and `make test` work on a fresh machine with Python 3.11 (see README.md).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test unit lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

## The main job on the embedded default (SQLite under your data dir, or FOLLOWUP_HOME).
run: $(STAMP)
	$(BIN)/followup

## The whole suite, real servers included, then again under a far-off time zone; then lint.
test: $(STAMP)
	bash scripts/test-deps.sh
	$(BIN)/python -m pytest -q
	TZ=Pacific/Chatham $(BIN)/python -m pytest -q -m "not integration" -p no:cacheprovider
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
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
