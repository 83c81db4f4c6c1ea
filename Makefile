# Zaireen: `make run` installs and starts the app; `make test` installs and runs the checks.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
BIND ?= 127.0.0.1:8000
CHROMIUM ?= /usr/bin/chromium
PYTEST_ARGS ?= -n 2
# Debian packages the PDFs need: Pango comes with WeasyPrint's usual install; the Noto fonts
# shape Urdu and Arabic (Noto Naskh Arabic, Noto Nastaliq Urdu).
SYSTEM_PACKAGES := fonts-noto-core

.PHONY: run setup system-deps test test-postgres test-browser lint format bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# Installs the fonts when they are missing and we may (root with apt); otherwise says what to do.
system-deps:
	@fc-list 2>/dev/null | grep -q "Noto Naskh Arabic" || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	  else echo "PDFs need the Debian packages: $(SYSTEM_PACKAGES) (sudo apt-get install $(SYSTEM_PACKAGES))"; fi; }

setup: $(VENV)/.installed system-deps
	$(BIN)/zaireen migrate --noinput -v0
	$(BIN)/zaireen load_places
	$(BIN)/zaireen load_itinerary_data
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

test: lint system-deps
	$(BIN)/pytest $(PYTEST_ARGS)

test-postgres: $(VENV)/.installed-dev system-deps
	@test -n "$$DATABASE_URL" || { echo "Set DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/zaireen"; exit 2; }
	$(BIN)/pytest $(PYTEST_ARGS)

test-browser: $(VENV)/.installed-dev
	@test -x "$(CHROMIUM)" || { echo "No Chromium at $(CHROMIUM): apt-get install chromium"; exit 2; }
	ZAIREEN_CHROMIUM=$(CHROMIUM) $(BIN)/pytest -m browser

bench: $(VENV)/.installed-dev
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script; done

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
