# Zaireen: `make run` installs and starts the app; `make test` installs and runs the checks.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
BIND ?= 127.0.0.1:8000
CHROMIUM ?= /usr/bin/chromium

.PHONY: run setup test test-postgres test-browser lint format bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

setup: $(VENV)/.installed
	$(BIN)/zaireen migrate --noinput -v0
	$(BIN)/zaireen load_places
	$(BIN)/zaireen collectstatic --noinput -v0

run: setup
	@$(BIN)/zaireen demo --url http://$(BIND)
	ZAIREEN_BIND=$(BIND) exec $(BIN)/honcho start -f Procfile

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: lint
	$(BIN)/pytest

test-postgres: $(VENV)/.installed-dev
	@test -n "$$DATABASE_URL" || { echo "Set DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/zaireen"; exit 2; }
	$(BIN)/pytest

test-browser: $(VENV)/.installed-dev
	@test -x "$(CHROMIUM)" || { echo "No Chromium at $(CHROMIUM): apt-get install chromium"; exit 2; }
	ZAIREEN_CHROMIUM=$(CHROMIUM) $(BIN)/pytest -m browser

bench: $(VENV)/.installed-dev
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script; done

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
