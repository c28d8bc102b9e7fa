# The few commands people run. `make run` and `make test` work on a fresh machine.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
BRIEFING := $(VENV)/bin/briefing
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export HF_HUB_DISABLE_PROGRESS_BARS := 1

.PHONY: run test install sysdeps test-fast lint fmt typecheck bench clean

run: install ## install, load the demo corpus when the store is empty, start the web chat
	$(BRIEFING) demo
	$(BRIEFING) serve

test: install sysdeps ## install everything the tests need and run the whole suite
	$(PY) -m pytest -q

$(VENV)/bin/python:
	python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip setuptools wheel

$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(PIP) install -e ".[test,llm-server]"
	touch $(STAMP)

install: $(STAMP)

sysdeps: ## Debian packages the browser tests use (Chromium driven by Playwright)
	@if ! command -v chromium >/dev/null 2>&1; then \
		echo "installing chromium (Debian packages)"; \
		$(if $(filter 0,$(shell id -u)),,sudo) apt-get update -qq && \
		$(if $(filter 0,$(shell id -u)),,sudo) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-dejavu-core >/dev/null; \
	fi

test-fast: install ## unit tests only: no real models, servers or browser
	$(PY) -m pytest -q -m "not integration and not slow"

lint:
	$(VENV)/bin/ruff check assistant ingest ui tests benchmarks
	$(VENV)/bin/ruff format --check assistant ingest ui tests benchmarks

fmt:
	$(VENV)/bin/ruff format assistant ingest ui tests benchmarks
	$(VENV)/bin/ruff check --fix assistant ingest ui tests benchmarks

typecheck:
	$(VENV)/bin/mypy

bench: install
	$(PY) benchmarks/ingest.py
	$(PY) benchmarks/attribution_eval.py

clean:
	rm -rf $(VENV) .briefing tests/artifacts
