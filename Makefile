# Two commands for a newcomer: `make up` (the platform with demo data) and `make test`.
# Both create the virtualenv and install everything on first use; no Docker, no servers needed.

PYTHON ?= $(shell command -v python3.11 || command -v python3.12 || command -v python3.13 || command -v python3)
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install up test test-slow test-all lint bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11+ is needed"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==25.3
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Run the whole platform locally (embedded PostgreSQL and Redis unless ONDEROP_DATABASE_URL / ONDEROP_REDIS_URL are set).
up: $(STAMP)
	$(BIN)/onderop up

## The default test suite: unit and integration tests against real PostgreSQL and Redis (embedded unless
## ONDEROP_TEST_DATABASE_URL / ONDEROP_TEST_REDIS_URL are set). Slow suites run with `make test-slow`.
test: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/pytest -m "not slow" -q

test-slow: $(STAMP)
	$(BIN)/pytest -m "slow" -q

test-all: test test-slow

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

## Benchmarks (not part of the tests); results go to docs/benchmarks.md by hand, with the command.
bench: $(STAMP)
	$(BIN)/python -m bench.run_all

clean:
	rm -rf $(VENV) .onderop
