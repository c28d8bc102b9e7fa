# The few commands people run. `make run` and `make test` work on a fresh machine.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
BRIEFING := $(VENV)/bin/briefing
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export HF_HUB_DISABLE_PROGRESS_BARS := 1

.PHONY: run test install install-test lock sysdeps test-fast lint fmt typecheck bench clean

run: install ## install, load the demo corpus when the store is empty, start the web chat
	$(BRIEFING) demo
	$(BRIEFING) serve

test: install-test sysdeps ## install everything the tests need and run the whole suite
	$(PY) -m pytest -q

$(VENV)/bin/python:
	python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip setuptools wheel

RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test

# Installs come from the lock files (exact versions, hashes checked); the project itself last.
$(RUN_STAMP): requirements/run.lock pyproject.toml | $(VENV)/bin/python
	$(PIP) install --require-hashes -r requirements/run.lock
	$(PIP) install --no-deps -e .
	touch $(RUN_STAMP)

$(TEST_STAMP): requirements/test.lock pyproject.toml | $(VENV)/bin/python
	$(PIP) install --require-hashes -r requirements/test.lock
	$(PIP) install --no-deps -e .
	touch $(TEST_STAMP) $(RUN_STAMP)

install: $(RUN_STAMP) ## what the app needs to run (no test tools, no llama.cpp)

install-test: $(TEST_STAMP) ## everything the tests need (test tools and the local llama.cpp server)

sysdeps: ## Debian packages the browser tests use (Chromium driven by Playwright)
	@if ! command -v chromium >/dev/null 2>&1; then \
		echo "installing chromium (Debian packages)"; \
		$(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq && \
		$(if $(filter 0,$(shell id -u)),,sudo) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-dejavu-core >/dev/null; \
	fi

test-fast: install-test ## unit tests only: no real models, servers or browser
	$(PY) -m pytest -q -m "not integration and not slow"

lint: install-test ## ruff and the import-linter layer contracts
	$(VENV)/bin/ruff check assistant ingest ui tests benchmarks
	$(VENV)/bin/ruff format --check assistant ingest ui tests benchmarks
	$(VENV)/bin/lint-imports

fmt:
	$(VENV)/bin/ruff format assistant ingest ui tests benchmarks
	$(VENV)/bin/ruff check --fix assistant ingest ui tests benchmarks

typecheck:
	$(VENV)/bin/mypy

bench: install-test
	$(PY) benchmarks/ingest.py
	$(PY) benchmarks/attribution_eval.py

# Local wheel folders and indexes that pip.conf names on this kind of machine (uv does not read pip.conf).
LOCK_SOURCES := $(if $(wildcard /opt/wheels),--find-links /opt/wheels) $(if $(wildcard /opt/pypi/simple),--extra-index-url file:///opt/pypi/simple)
LOCK := uv pip compile pyproject.toml --python-version 3.11 --generate-hashes --index-strategy unsafe-best-match $(LOCK_SOURCES)

lock: ## regenerate requirements/*.lock from pyproject.toml (needs uv: pip install uv)
	$(LOCK) -o requirements/run.lock
	$(LOCK) --extra test --extra llm -o requirements/test.lock

clean:
	rm -rf $(VENV) .briefing tests/artifacts
