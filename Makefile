# Two commands: `make run` (the app with a demo, embedded defaults) and `make test` (the suite).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
BUN_VERSION := 1.4.5
BUN := .reflex/bun/bin/bun
REQS := requirements.txt $(wildcard requirements-*.txt)

export REFLEX_DIR := $(CURDIR)/.reflex
export REFLEX_TELEMETRY_ENABLED := false
export REFLEX_CHECK_LATEST_VERSION := false
export BUN_INSTALL_CACHE_DIR := $(CURDIR)/.bun-cache
export REFLEX_HOT_RELOAD_EXCLUDE_PATHS := $(CURDIR)/var:$(CURDIR)/tests:$(CURDIR)/bench

.PHONY: run run-prod test install migrate seed worker bench clean

run: install ## migrate, seed the demo, start Redis (embedded if REDIS_URL is unset), a worker and the app
	$(PY) -m interviewer run

run-prod: install
	$(PY) -m interviewer run --env prod

test: install ## the whole suite against real PostgreSQL and Redis (see .ci/run to start them)
	$(PY) -m pytest -n 2 --dist loadgroup -q -p no:cacheprovider

install: $(VENV)/.installed $(BUN)

$(VENV)/.installed: $(REQS)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(BUN):
	npm install --no-save --no-audit --no-fund --prefix .tools bun@$(BUN_VERSION)
	mkdir -p $(dir $(BUN))
	cp .tools/node_modules/bun/bin/bun.exe $(BUN)
	chmod +x $(BUN)

migrate: install
	$(PY) -m interviewer migrate

seed: install
	$(PY) -m interviewer seed --demo

worker: install
	$(PY) -m interviewer worker

clean:
	rm -rf .web .states var/redis
