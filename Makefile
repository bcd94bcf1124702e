# Профрост — two commands: `make run` and `make test`. Everything else is a step they use.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install migrate demo lint format check-deploy browser clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Нужен Python 3.11, найден " + sys.version'
	@echo "Создаю virtualenv в $(VENV)…"
	@$(PYTHON) -m venv $(VENV) || { echo "Не удалось создать virtualenv: установите пакет python3-venv (apt-get install python3-venv)"; exit 1; }
	@$(BIN)/pip install --quiet --upgrade pip >/dev/null 2>&1 || true

# pip's and setuptools' own chatter goes to var/log/install.log; the console sees it only on failure.
$(STAMP): pyproject.toml | $(BIN)/python
	@echo "Устанавливаю зависимости (журнал: var/log/install.log)…"
	@mkdir -p var/log
	@$(BIN)/pip install --quiet -e '.[dev]' >var/log/install.log 2>&1 || { tail -n 40 var/log/install.log; echo "Не удалось установить зависимости — см. var/log/install.log"; exit 1; }
	@touch $(STAMP)

install: $(STAMP)

migrate: install
	@$(BIN)/python manage.py migrate --noinput -v 0

demo: migrate
	@$(BIN)/python manage.py load_demo --quiet
	@$(BIN)/python manage.py load_programmes_demo --quiet
	@$(BIN)/python manage.py load_rma_demo --quiet
	@$(BIN)/python manage.py load_iom_demo --quiet
	@$(BIN)/python manage.py load_monitoring_demo --quiet
	@$(BIN)/python manage.py load_diagnostics_demo --quiet
	@$(BIN)/python manage.py load_internships_demo --quiet

## Set everything up and run web + Celery worker + Celery beat on embedded defaults, DEBUG off
## (a developer turns it on with DJANGO_DEBUG=true make run).
run: demo
	@HOST=$(HOST) PORT=$(PORT) scripts/run-embedded

## Set everything up and run the whole test suite (browser tests use Debian's chromium).
test: install browser
	$(BIN)/pytest

## Debian's chromium for the Playwright UI tests; installed when missing and we are root.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Устанавливаю chromium из пакетов Debian…"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null) \
	      || { echo "Не удалось установить chromium"; exit 1; }; \
	  else \
	    echo "Для UI-тестов нужен chromium: sudo apt-get install chromium"; exit 1; \
	  fi; }

lint: install
	$(BIN)/ruff check .

format: install
	$(BIN)/ruff format .

check-deploy: install
	DJANGO_SETTINGS_MODULE=project.settings.prod \
	DJANGO_CACHE_URL=$${DJANGO_CACHE_URL:-redis://127.0.0.1:6379/1} \
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(60))')} \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
