# Marsad: two entry points. `make demo` installs and extracts the bundled example;
# `make test` installs the test dependencies and runs the whole suite.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test install lint typecheck bench

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q -e ".[dev,postgres,parquet]"

demo: install
	$(BIN)/marsad extract examples/hama-2017-03.txt --published 2017-03-24 --pretty

test: install
	$(BIN)/ruff check src tests scripts
	$(BIN)/mypy
	$(BIN)/pytest -q

bench: install
	$(BIN)/python scripts/bench_pipeline.py
