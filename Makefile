# Lianxin: `make run` sets everything up and serves the Zhoushan demo; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run setup install assets messages demo serve test test-sqlite test-postgres lint typecheck schema bench clean worker

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements-dev.txt
	$(PIP) install -q --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# Front-end libraries (htmx, ECharts) from npm into var/npm; the versions are pinned in lianxin/web/frontend/.
assets: var/npm/.installed

var/npm/.installed: lianxin/web/frontend/package.json lianxin/web/frontend/package-lock.json
	@if ! command -v npm >/dev/null; then echo "npm not found: pages work, but charts and live intake need htmx/ECharts (install Node.js)"; exit 0; fi; \
	mkdir -p var/npm && cp lianxin/web/frontend/package.json lianxin/web/frontend/package-lock.json var/npm/ && \
	cd var/npm && npm ci --no-audit --no-fund --loglevel=error && touch .installed

setup: install assets
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py compilemessages -v0 --ignore='.venv/*' 2>/dev/null || true
	$(PY) manage.py collectstatic --noinput -v0
	$(PY) manage.py load_demo
	$(PY) manage.py prepare_intake

run: setup
	@echo "Serving Lianxin on http://$(HOST):$(PORT)/  (Ctrl-C to stop; background jobs run in the same process group)"
	$(PY) manage.py run_huey --workers 1 --quiet & \
	trap 'kill $$!' EXIT INT TERM; \
	$(VENV)/bin/waitress-serve --host=$(HOST) --port=$(PORT) --threads=8 lianxin.wsgi:application

worker: install
	$(PY) manage.py run_huey

# Compiled message catalogues (the English switch); `setup` compiles them too.
messages: install
	$(PY) manage.py compilemessages -v0 --ignore='.venv/*' --ignore='var/*'

test: install
	bash scripts/ensure_browser.sh || echo "warning: system packages missing; browser tests may be skipped"
	$(MAKE) assets messages
	bash scripts/test.sh

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy lianxin

schema: install
	$(PY) manage.py spectacular --file lianxin/openapi.yaml --validate

bench: install
	$(PY) -m lianxin.bench.orders_api

clean:
	rm -rf var .venv
