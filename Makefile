# The set-up contract: `make run` and `make test` on a fresh machine with Python 3.11+.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test venv migrate demo serve worker beat lint messages bench seed clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

migrate: venv
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

# Embedded default (no REDIS_URL): beat runs beside the web server and, tasks being eager, runs the
# SLA sweep in its own process. With REDIS_URL, run `make worker` and `make beat` as well.
run: demo
	@mkdir -p var
	@if [ -z "$$REDIS_URL" ]; then \
	  $(BIN)/celery -A config beat --loglevel=WARNING --schedule var/celerybeat-schedule & beat=$$!; \
	  trap 'kill $$beat 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/python manage.py runserver $(HOST):$(PORT); \
	else \
	  $(BIN)/python manage.py runserver $(HOST):$(PORT); \
	fi

serve: migrate
	$(BIN)/python manage.py collectstatic --noinput
	$(BIN)/gunicorn config.wsgi:application --bind 0.0.0.0:$(PORT) --workers 3

worker: venv
	$(BIN)/celery -A config worker --loglevel=INFO

beat: venv
	$(BIN)/celery -A config beat --loglevel=INFO

test: venv
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest -q

lint: venv
	$(BIN)/ruff check .

messages: venv
	$(BIN)/python manage.py makemessages -l zh_Hans -l en --ignore=$(VENV) --ignore=staticfiles
	$(BIN)/python manage.py compilemessages --ignore=$(VENV)

seed: venv
	$(BIN)/python manage.py seed_load --tickets $${TICKETS:-100000}

bench: venv
	$(BIN)/python bench/run.py $${BENCH_ARGS:-}

clean:
	rm -rf $(VENV) var staticfiles
