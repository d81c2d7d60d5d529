# The two commands: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000
# The address the links in emails point to: where `make run` serves, unless set.
SERVICE_URL ?= http://$(HOST):$(PORT)

.PHONY: run test test-postgres screenshots lint assets venv clean

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(BIN)/.installed

## Set up, create or upgrade the database, load demo data into an empty one, and serve on http://127.0.0.1:5000
## (with the periodic jobs, which email notices, every minute beside it)
run: venv
	APP_ENV=development $(FLASK) init-db
	APP_ENV=development $(FLASK) load-demo --if-empty
	@echo "Open http://$(HOST):$(PORT) and sign in with a demo account above."
	@# The periodic jobs (emailing notices) run every minute beside the server, and stop with it.
	APP_ENV=development SERVICE_URL=$(SERVICE_URL) $(FLASK) run-jobs --every 60 & jobs=$$!; \
	trap 'kill $$jobs 2>/dev/null' EXIT INT TERM; \
	APP_ENV=development SERVICE_URL=$(SERVICE_URL) $(FLASK) run --host $(HOST) --port $(PORT)

## Run every test, browser tests in Chromium included (installed here if missing and apt may run)
test: venv
	@bash scripts/install-chromium.sh
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

## Every test again against a fresh PostgreSQL database (starts the machine's PostgreSQL).
## The browser tests serve their own SQLite database, so they run once, under `make test`.
test-postgres: venv
	DATABASE_URL="$$(bash scripts/start-postgres.sh)" $(BIN)/python -m pytest --ignore=tests/browser

## Full-page PNGs of every page for each role, desktop and 320px wide, in screenshots/
screenshots: venv
	@bash scripts/install-chromium.sh
	$(BIN)/python scripts/screenshots.py

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## Rebuild the vendored GOV.UK Frontend and htmx (needs node and npm)
assets:
	bash scripts/build-assets.sh

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
