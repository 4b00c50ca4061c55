# The two commands a new machine needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in mails point at the server `make run` starts, unless SITE_URL is given (in the
# environment, on the command line or in .env).
RUN_SITE_URL = $(or $(SITE_URL),$(shell sed -n 's/^SITE_URL=//p' .env 2>/dev/null | tail -n 1),http://$(HOST):$(PORT))

.PHONY: install run test lint typecheck format migrate worker beat messages bench bench-hostile clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

run: migrate
	$(BIN)/python manage.py load_workplan --demo
	$(BIN)/python manage.py load_supervision_demo
	@echo "Serving on http://$(HOST):$(PORT)/ (stop with Ctrl-C); links in mails: $(RUN_SITE_URL)"
	@echo "Nothing sends reminders on a schedule here: to see today's, run in another shell"
	@echo "  $(BIN)/python manage.py send_reminders   (mails are printed; --date YYYY-MM-DD for another day)"
	SITE_URL='$(RUN_SITE_URL)' $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Besides style: no name starting with "_" imported from Django, a library or another app
# (PLC2701: private APIs change without notice), imports that point one way (lint-imports:
# the contracts are [tool.importlinter] in pyproject.toml), and types (mypy, as `typecheck`).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff check --preview --select PLC2701 .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint
	$(BIN)/lint-imports
	$(BIN)/mypy
	DJANGO_SETTINGS_MODULE=etown.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

# mypy with django-stubs ([tool.mypy] in pyproject.toml), on its own; `make lint` runs it too.
typecheck: install
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djlint templates --reformat

test: lint
	$(BIN)/pytest $(PYTEST_ARGS)

# Extract the strings to translate and compile the catalogues (needs GNU gettext). The compiled
# .mo files are committed, so `make run` works on a machine without gettext.
MESSAGE_IGNORES := --ignore=.venv --ignore=static --ignore=staticfiles --ignore=bench --ignore=tests
messages: install
	$(BIN)/python manage.py makemessages -l zh_Hans --no-obsolete $(MESSAGE_IGNORES)
	$(BIN)/python manage.py compilemessages -l zh_Hans --ignore=.venv

worker: install
	$(BIN)/celery -A etown worker --loglevel=INFO --concurrency=2

beat: install
	$(BIN)/celery -A etown beat --loglevel=INFO

# Builds 100,000 tasks in a scratch PostgreSQL database and load-tests the portal (needs wrk).
bench: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Twenty officials alone, then beside three hostile clients (long searches, sign-in spraying,
# huge bodies): their p95 both times, against gunicorn on PostgreSQL (needs locust, the `bench`
# extra; rebuilds etown_bench_hostile).
bench-hostile: install
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/hostile/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache
