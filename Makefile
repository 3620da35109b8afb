# Mosaic: `make run` serves the API, `make test` runs the whole suite plus lint.
SHELL := /bin/bash
.ONESHELL:
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
WEB_MANIFEST := src/mosaic/web/static/dist/manifest.json
WEB_SOURCES := $(wildcard src/mosaic/web/assets/*)
export SEED_DATA_DIR ?= $(abspath ../shared/data)

# Provision a local database unless DATABASE_URL is given (scripts/provision.sh).
define database
	if [ -z "$${DATABASE_URL:-}" ]; then eval "$$(scripts/provision.sh $(1))"; fi
endef

.PHONY: help run test lint format migrate seed requirements assets clean compose-check drills \
	bench-load bench-load-compose bench-gunicorn bench-numbers

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-19s %s\n", $$1, $$2}'

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: $(BIN)/activate requirements.txt pyproject.toml
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime $(WEB_MANIFEST)  ## provision, migrate, seed and serve with gunicorn on 127.0.0.1:$PORT
	$(call database,mosaic)
	# One development key for every gunicorn worker, kept beside the venv (never committed).
	[ -s $(VENV)/jwt-dev-secret ] || $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(48))" > $(VENV)/jwt-dev-secret
	export JWT_SECRET_KEY="$${JWT_SECRET_KEY:-$$(cat $(VENV)/jwt-dev-secret)}"
	$(BIN)/alembic upgrade head
	$(BIN)/flask --app mosaic sensors partitions
	$(BIN)/flask --app mosaic seed all
	exec $(BIN)/gunicorn --config gunicorn.conf.py --bind 127.0.0.1:$(PORT) mosaic.wsgi:app

test: $(VENV)/.dev node_modules/.installed $(WEB_MANIFEST)  ## provision a test database, run lint and the whole pytest suite
	$(call database,mosaic_test)
	scripts/test-tools.sh
	export TEST_DATABASE_URL="$${TEST_DATABASE_URL:-$$DATABASE_URL}"
	export TEST_REDIS_URL="$${TEST_REDIS_URL:-$${REDIS_URL:-}}"
	$(MAKE) --no-print-directory lint
	$(BIN)/pytest

compose-check: $(VENV)/.dev  ## run the Dockerfile and both compose files for real (Docker engine; see docs/compose-check.md)
	scripts/compose-check.sh

drills: $(VENV)/.runtime  ## fault drills on a private PostgreSQL + Redis + gunicorn (docs/reliability.md)
	$(BIN)/python -m bench.drills.postgres_outage
	$(BIN)/python -m bench.drills.redis_outage
	$(BIN)/python -m bench.drills.slow_requests

# Benchmarks (docs/performance.md): wrk and nginx on this host, their own database; not in `make test`.
bench-load: $(VENV)/.runtime  ## nginx + 2 gunicorn replicas, 200 clients x 60 s of mixed reads/writes
	bench/load_mix.sh

bench-load-compose: $(VENV)/.runtime  ## the same load against the Docker prod stack (nginx + 2 API containers)
	bench/load_mix_compose.sh

bench-gunicorn: $(VENV)/.runtime  ## gunicorn workers x threads x class at 200 connections, alternated rounds
	bench/gunicorn_layout.sh

bench-numbers: $(VENV)/.runtime  ## numbers list vs a bare Flask app at 200 connections, A/B alternated
	bench/numbers.sh

# npm packages: newman (the Postman collection in the tests), Leaflet and Chart.js for the web
# pages, esbuild to bundle them.
node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund
	touch $@

assets: $(WEB_MANIFEST)  ## bundle the web pages' scripts and styles (npm ci + esbuild), git-ignored

$(WEB_MANIFEST): node_modules/.installed scripts/build-web.mjs $(WEB_SOURCES)
	node scripts/build-web.mjs

lint: $(VENV)/.dev  ## ruff (lint + format check), mypy --strict on src/, pylint
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pylint --rcfile pyproject.toml src/mosaic

format: $(VENV)/.dev  ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrate: $(VENV)/.runtime  ## alembic upgrade head and the sensor partitions (safe to run every night)
	$(call database,mosaic)
	$(BIN)/alembic upgrade head
	$(BIN)/flask --app mosaic sensors partitions

seed: $(VENV)/.runtime  ## load the datasets (idempotent)
	$(call database,mosaic)
	$(BIN)/flask --app mosaic seed all

requirements: $(VENV)/.dev  ## re-pin requirements*.txt from requirements*.in
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links -o requirements.txt requirements.in
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links -o requirements-dev.txt requirements-dev.in

clean:  ## remove the virtualenv and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache src/mosaic/web/static/dist test-artifacts
