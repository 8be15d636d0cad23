# tuanhang: the commands the README names. `make help` lists them.
#
# Every target installs what it needs first: a virtualenv in $(VENV) made with the system
# python3 and the pinned requirements, reinstalled only when a requirements file changes.
# CI passes its own fresh virtualenv: `make test VENV=/tmp/…/venv`.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
SEED_ARGS ?=

PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
# The stamp's name carries a hash of the requirements, so editing a pin reinstalls and an
# unchanged checkout costs nothing.
REQ_HASH := $(shell cat requirements.txt requirements-dev.txt | sha256sum | cut -c1-16)
STAMP := $(VENV)/.installed-$(REQ_HASH)
# Directories Django's message commands must not walk into (virtualenvs, runtime data, vendored assets).
I18N_IGNORE := --ignore='.venv*' --ignore='$(notdir $(VENV))' --ignore=var --ignore=node_modules --ignore=static/vendor

.PHONY: help venv run test e2e lint format check migrate seed worker beat messages compilemessages bench audit clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

venv: $(STAMP) ## Create the virtualenv and install the pinned requirements (idempotent)

$(STAMP):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "tuanhang needs Python 3.11 or newer; '$(PYTHON)' is $$($(PYTHON) -V 2>&1)." >&2; exit 1; }
	@if [ ! -x "$(PY)" ]; then \
		echo "==> creating virtualenv $(VENV) with $$($(PYTHON) -V)"; \
		$(PYTHON) -m venv "$(VENV)" || { echo "Could not create $(VENV): install your distribution's python3-venv package." >&2; exit 1; }; \
	fi
	@echo "==> installing requirements-dev.txt into $(VENV)"
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@rm -f $(VENV)/.installed-*
	@touch $@

compilemessages: $(STAMP) ## Compile the translations (.po -> .mo); fine when none exist yet
	@mkdir -p tuanhang/locale
	$(MANAGE) compilemessages $(I18N_IGNORE) --verbosity 0

messages: $(STAMP) ## Extract translatable strings into the Vietnamese .po files
	@mkdir -p tuanhang/locale
	$(MANAGE) makemessages -l vi $(I18N_IGNORE) --no-obsolete

migrate: $(STAMP) ## Apply database migrations
	$(MANAGE) migrate --noinput

seed: migrate ## Create (or refresh) the demo fair and the organiser login
	HOST="$(HOST)" PORT="$(PORT)" $(MANAGE) seed_demo $(SEED_ARGS)

# Web server, Celery worker and beat in the foreground; Ctrl-C or SIGTERM stops all three within
# STOP_GRACE seconds (plus the moment a kill takes), and if one dies the others are stopped too.
# Each runs in its own session (setsid), so stopping signals the whole group, runserver's reloader
# child included. Whatever is still alive after the grace period is killed: a worker mid-task or
# polling the filesystem broker must not hold the terminal (with beat embedded in the worker, the
# worker's main process waited for ever on its beat child at shutdown). The worker uses the solo
# pool (one process); a task cut short is delivered again (acks late). HOST and PORT go to all
# three, so SITE_URL (links the worker sends, the seed's addresses, QR codes) points at this server.
STOP_GRACE ?= 7
define RUN_BOTH
pids=()
alive() { local pid; for pid in "$${pids[@]}"; do kill -0 -- "-$$pid" 2>/dev/null && return 0; done; return 1; }
stop() {
	trap - INT TERM EXIT
	echo; echo "==> stopping web server, worker and beat"
	local pid; for pid in "$${pids[@]}"; do kill -TERM -- "-$$pid" 2>/dev/null || true; done
	local tenths=$$(( $(STOP_GRACE) * 10 ))
	while alive && (( tenths-- > 0 )); do sleep 0.1; done
	if alive; then
		echo "==> still running after $(STOP_GRACE) s: killing"
		for pid in "$${pids[@]}"; do kill -KILL -- "-$$pid" 2>/dev/null || true; done
	fi
	wait 2>/dev/null || true
}
trap stop INT TERM EXIT
export HOST="$(HOST)" PORT="$(PORT)"
echo "==> web server on http://$(HOST):$(PORT)/, Celery worker and beat; Ctrl-C stops all three"
setsid $(MANAGE) runserver "$(HOST):$(PORT)" & pids+=($$!)
setsid $(VENV)/bin/celery -A tuanhang worker --pool solo --loglevel info & pids+=($$!)
setsid $(VENV)/bin/celery -A tuanhang beat --loglevel info & pids+=($$!)
wait -n || true
endef
export RUN_BOTH

run: seed compilemessages ## Install, migrate, compile translations, seed the demo, start web + worker + beat (Ctrl-C stops them)
	@bash -c "$$RUN_BOTH"

worker: migrate ## Celery worker only (production runs beat separately)
	$(VENV)/bin/celery -A tuanhang worker --loglevel info

beat: migrate ## Celery beat only, with the database scheduler (schedule editable in the admin)
	$(VENV)/bin/celery -A tuanhang beat --loglevel info --scheduler django_celery_beat.schedulers:DatabaseScheduler

# Says which database and broker the tests run on, then runs pytest with the given marker expression;
# exit status 5 (nothing collected) is a failure too.
define PYTEST_RUN
@DJANGO_SETTINGS_MODULE=tuanhang.settings $(PY) -c 'from django.conf import settings as s; print("==> testing on", \
	"PostgreSQL" if s.IS_POSTGRES else "SQLite (embedded default; PostgreSQL-only tests are listed at the end)", \
	"with Redis" if s.REDIS_URL else "with the filesystem Celery transport")'
$(VENV)/bin/pytest -m "$(1)" $(PYTEST_ARGS) || { status=$$?; [ $$status -ne 5 ] || echo "pytest collected no tests." >&2; exit $$status; }
endef

test: compilemessages ## Run the test suite without the browser tests (PostgreSQL when DATABASE_URL points to it, else SQLite)
	$(call PYTEST_RUN,not e2e)

e2e: compilemessages ## Run the browser tests (Playwright driving Debian's chromium); failure screenshots in test-results/
	$(call PYTEST_RUN,e2e)

lint: $(STAMP) ## ruff check, ruff format --check and the import-linter contracts of the layers (lint-imports)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: $(STAMP) ## Fix what ruff can fix and format the code
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: $(STAMP) ## Django system checks and a check that no migration is missing
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

bench: $(STAMP) ## Run every benchmark on PostgreSQL + Redis (127.0.0.1), write bench/results.json and the README table
	@command -v wrk >/dev/null 2>&1 || { echo "==> wrk (the public pages' load generator) is missing; installing Debian's package"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; } || \
		{ echo "make bench needs wrk: apt-get install wrk" >&2; exit 1; }
	$(PY) bench/run.py $(BENCH_ARGS)

audit: $(STAMP) ## Lighthouse (mobile) on the public and business pages under gunicorn with DEBUG off; writes tools/audit/results.json and the README table
	@command -v npm >/dev/null 2>&1 || { echo "make audit needs Node.js and npm (apt-get install nodejs npm)" >&2; exit 1; }
	npm ci --prefix tools/audit --no-audit --no-fund --ignore-scripts
	$(PY) tools/audit/run.py

clean: ## Remove the virtualenv, caches, compiled translations, collected static files and leftover test databases (keeps var/ data)
	rm -rf "$(VENV)" .pytest_cache .ruff_cache var/static var/celery var/test-*.sqlite3*
	find . -path ./.git -prune -o \( -name __pycache__ -o -name '*.mo' \) -print0 | xargs -0 rm -rf
