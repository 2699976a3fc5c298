# Two commands for a new machine with only Python 3.11:
#   make demo   - install, create the SQLite database, load demo data, serve on :8000
#   make test   - install and run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install lint check bench e2e clean lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv

$(STAMP): $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	$(BIN)/calldesk compilemessages > /dev/null
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/calldesk demo

test: install
	$(BIN)/python -m pytest -n auto --dist loadgroup

lint: install
	$(BIN)/ruff check src tests bench e2e
	$(BIN)/mypy
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=calldesk.config.settings.test $(BIN)/python -m django makemigrations --check --dry-run

bench: install
	$(BIN)/pip show simpy > /dev/null 2>&1 || $(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.lock
	for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

e2e: install
	$(BIN)/python e2e/smoke.py --screenshots

lock:
	$(BIN)/uv pip compile --quiet --python-version 3.11 --extra dev --extra bench pyproject.toml -o requirements.lock

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
