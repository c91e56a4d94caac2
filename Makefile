# Two commands for a fresh clone (Python 3.11+):
#   make run   set everything up, load the demo clinic and serve http://127.0.0.1:8000
#   make test  run the whole test suite (SQLite by default; set DATABASE_URL for PostgreSQL)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEV_ENV := DJANGO_DEBUG=true

.PHONY: install run serve worker test lint format

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

run: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py seed_demo
	$(MAKE) --no-print-directory serve

# The web server, the background worker (care-team e-mails, reminders) and the
# reminder scheduler (a pass every minute) together; Ctrl-C stops all three.
serve:
	@$(DEV_ENV) $(BIN)/python manage.py worker --interval 2 & worker=$$!; \
	$(DEV_ENV) $(BIN)/python manage.py schedule_reminders --every 60 & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(DEV_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

worker: install
	$(DEV_ENV) $(BIN)/python manage.py worker

test: install
	$(BIN)/python -m pytest -n 2

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
