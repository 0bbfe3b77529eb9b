# Every task in one place. `make demo` and `make test` work on a fresh machine
# that has only Python 3.11: they create .venv and install from pyproject.toml,
# pinned by requirements.lock.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: demo test lint typecheck migrations-check test-sqlite test-postgres bench openapi lock clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP) ## create the database, load the demo organisation, serve on 127.0.0.1:$(PORT)
	$(BIN)/upward demo --port $(PORT)

test: lint typecheck migrations-check test-sqlite test-postgres ## the whole suite

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

migrations-check: $(STAMP)
	env -u DATABASE_URL UPWARD_DATA_DIR=$$(mktemp -d) $(BIN)/upward makemigrations --check --dry-run

test-sqlite: $(STAMP)
	@echo "== test suite on SQLite =="
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS)

test-postgres: $(STAMP)
	@if [ -n "$$DATABASE_URL" ]; then \
		echo "== test suite on PostgreSQL ($$DATABASE_URL) =="; \
		$(BIN)/pytest $(PYTEST_ARGS); \
	else \
		echo "DATABASE_URL is not set: skipping the PostgreSQL run"; \
	fi

bench: $(STAMP) ## benchmarks print figures; they are not tests
	$(BIN)/python bench/import_people.py
	$(BIN)/python bench/matching.py

openapi: $(STAMP) ## refresh the committed OpenAPI document
	env -u DATABASE_URL $(BIN)/python -m upward.openapi > openapi.json

lock: $(STAMP) ## re-pin requirements.lock after changing pyproject.toml
	$(BIN)/python -m pip freeze --exclude-editable > requirements.lock

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
