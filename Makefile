# Maillage — the two commands: `make run` and `make test`. Everything else is for developers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test test-e2e lint format messages vendor lock install clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the lock file changes.
$(STAMP): requirements/dev.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# The local configuration: embedded mode and a secret key made on this machine (never committed).
.env:
	$(BIN)/python scripts/make_env.py > .env

install: $(STAMP) .env

run: install
	$(BIN)/maillage migrate --no-input
	$(BIN)/maillage load_reference
	$(BIN)/maillage seed_demo
	MAILLAGE_STAFF_MFA=relaxed $(BIN)/maillage runserver 127.0.0.1:$(PORT)

test: install
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/maillage makemigrations --check --dry-run
	$(BIN)/maillage check_translations

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Refresh the French catalogue from the code, then compile it.
messages: install
	cd src/maillage && ../../$(BIN)/maillage makemessages -l fr --no-obsolete --no-location --ignore 'static/*'
	cd src/maillage && ../../$(BIN)/maillage compilemessages

# Front-end libraries, from the npm registry at the versions pinned in vendor.json.
vendor: install
	$(BIN)/python scripts/vendor.py

lock: $(BIN)/python
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml -q --no-header --generate-hashes --python-version 3.11 -o requirements/main.txt
	$(BIN)/uv pip compile pyproject.toml -q --no-header --generate-hashes --python-version 3.11 --extra dev -o requirements/dev.txt

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
