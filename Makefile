# medlead: `make run` serves the demo trust on http://127.0.0.1:8000 (PORT=8001 make run for another port) with its
# task queue's worker beside it; `make test` runs the whole suite.
PYTHON ?= python3
PORT ?= 8000
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test lint typecheck pytest bench bench-roster bench-roster-readme bench-changeover loadtest install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.base-installed: requirements/base.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements/base.txt
	touch $@

$(VENV)/.dev-installed: requirements/base.txt requirements/dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements/dev.txt
	touch $(VENV)/.base-installed $@

install: $(VENV)/.base-installed
install-dev: $(VENV)/.dev-installed

run: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py demo_trust --if-empty
	$(BIN)/python manage.py run_local 127.0.0.1:$(PORT)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: install-dev
	$(BIN)/mypy

# The suite on every core (pytest-xdist, ADR 0029): PYTEST_WORKERS=2 for two, 0 for one process; the 30 slowest
# tests are listed at the end (where the suite's time goes, issue 35).
PYTEST_WORKERS ?= auto
pytest: install-dev
	$(BIN)/pytest -n $(PYTEST_WORKERS) --durations=30

test: lint typecheck pytest

bench: install-dev
	$(BIN)/python bench/run.py

# The roster generator on the 24 public Curtois-Qu instances: slow (BENCH_ROSTER_SECONDS per instance, default 60).
bench-roster: install-dev
	$(BIN)/python bench/roster.py

# Rewrite the README's roster table from bench/results/roster.json (written by bench-roster); never edited by hand.
bench-roster-readme:
	$(BIN)/python bench/roster.py readme

# A region's changeover: 200 rota generations across 20 trusts drained by 1, then 2, generation workers, each
# generation shortened to CHANGEOVER_SECONDS (default 2); CHANGEOVER_JOBS, CHANGEOVER_TRUSTS, CHANGEOVER_WORKERS too.
bench-changeover: install-dev
	$(BIN)/python bench/changeover.py

# Capacity: locust against gunicorn with production settings on PostgreSQL and Redis (LOAD_USERS, LOAD_SECONDS,
# LOAD_WORKERS change the run).
loadtest: install-dev
	$(BIN)/python bench/loadtest.py

clean:
	rm -rf $(VENV) var staticfiles .mypy_cache .ruff_cache .pytest_cache
