# Two commands matter: `make run` (the site with demo content) and `make test` (the whole suite).
# Both set up what they need and are quick when nothing changed.

SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
BIN := $(VENV)/bin
LIGHTHOUSE := tools/lighthouse/node_modules/.bin/lighthouse
FLASK := $(BIN)/flask --app portal
CATALOGS := $(patsubst %.po,%.mo,$(wildcard site/translations/*/LC_MESSAGES/messages.po))

.PHONY: install install-dev translations run test lint format extract-messages bench clean

## install: virtual environment, runtime requirements, system fonts, compiled translations
install: $(VENV)/.runtime-installed translations
	@scripts/bootstrap-system run

## install-dev: install, plus test tools, Lighthouse, and the browser, PDF and spreadsheet programs the tests use
install-dev: install $(VENV)/.dev-installed
	@scripts/bootstrap-system test
	@$(MAKE) --no-print-directory $(LIGHTHOUSE)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev-installed: requirements-dev.txt requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $@

# Lighthouse, pinned by tools/lighthouse/package-lock.json, for tests/browser/test_lighthouse.py.
$(LIGHTHOUSE): tools/lighthouse/package.json tools/lighthouse/package-lock.json
	npm ci --prefix tools/lighthouse --no-audit --no-fund --loglevel=error
	@touch $@

translations: $(CATALOGS)

site/translations/%/LC_MESSAGES/messages.mo: site/translations/%/LC_MESSAGES/messages.po $(VENV)/.runtime-installed
	$(BIN)/pybabel compile --statistics -i $< -o $@

## run: migrate the SQLite database in instance/, load the demo, serve on http://127.0.0.1:$(PORT)
run: install
	@PORT=$(PORT) VENV=$(VENV) scripts/serve

## test: the whole suite (browser tests included) on $DATABASE_URL, SQLite when unset
test: install-dev
	$(FLASK) setup >/dev/null
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format:
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## extract-messages: collect translatable strings and merge them into the English catalogue
extract-messages: $(VENV)/.runtime-installed
	$(BIN)/pybabel extract --no-location --sort-output -k _l -F babel.cfg -o site/translations/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching -i site/translations/messages.pot -d site/translations -l en

## bench: run every benchmark in bench/ and print its figures
bench: install-dev
	@for script in $(wildcard bench/*.py); do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache tools/lighthouse/node_modules
	find site/translations -name '*.mo' -delete
