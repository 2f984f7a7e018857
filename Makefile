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

.PHONY: run run-prod test install wordnet migrate seed worker bench clean prod-local prod-local-stop backup restore

run: install ## migrate, seed the demo, start Redis (embedded if REDIS_URL is unset), a worker and the app
	$(PY) -m interviewer run

run-prod: install
	$(PY) -m interviewer run --env prod

# REQUIRE_TEST_TOOLS=1: a missing chromium, espeak-ng, sox, flite, pg_dump or Whisper model fails the run
# instead of skipping the tests that need it (tests/conftest.py).
test: install ## the whole suite against real PostgreSQL and Redis (see .ci/run to start them)
	REQUIRE_TEST_TOOLS=1 $(PY) -m pytest -n 2 --dist loadgroup -q -p no:cacheprovider -m "not browser"
	REQUIRE_TEST_TOOLS=1 $(PY) -m pytest -q -p no:cacheprovider -m browser

install: $(VENV)/.installed $(BUN) wordnet

# Debian's WordNet database: the live engine reads which phrasal verbs need no object ("check in.") from it.
# Installed where this user may run apt-get; elsewhere a note (without it that cue knows no verb).
wordnet:
	@test -f /usr/share/wordnet/data.verb || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wordnet-base >/dev/null 2>&1 \
	      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wordnet-base >/dev/null; } \
	      || echo "note: wordnet-base could not be installed"; \
	  else echo "note: apt-get install wordnet-base (the live engine's phrasal-verb cue reads it)"; fi; }

$(VENV)/.installed: $(REQS)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-nodeps.txt
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

# Production topology on this machine (docs/operations.md): nginx TLS proxy on https://127.0.0.1:8443
# (self-signed; http://127.0.0.1:8080 redirects), 2 backend processes, 2 RQ workers, PostgreSQL
# database interviewer_prodlocal and Redis DB 2. nginx is installed from Debian when missing.
prod-local: install
	$(PY) -m interviewer.ops prod-local start

prod-local-stop:
	$(PY) -m interviewer.ops prod-local stop

# pg_dump -Fc of DATABASE_URL (or the configured database) into backups/ (or BACKUP_FILE=...).
backup: install
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" deploy/backup.sh $(BACKUP_FILE)

# Restore into a NEW database: make restore DUMP=backups/x.dump TARGET_DATABASE_URL=postgresql://.../new_db
restore:
	@test -n "$(DUMP)" -a -n "$(TARGET_DATABASE_URL)" || { echo "usage: make restore DUMP=file TARGET_DATABASE_URL=url"; exit 2; }
	deploy/restore.sh "$(DUMP)" "$(TARGET_DATABASE_URL)"
