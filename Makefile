# currents-sim front door. `make help` lists every target.
.DEFAULT_GOAL := help
SHELL := /bin/bash
# The interpreter .venv is made from: the first candidate that can create a venv (has venv and
# ensurepip). Debian's /usr/bin/python3.11 comes first: a statically linked build, which runs the
# hot loops faster than a default pyenv/source build (`make bench` prints which interpreter ran
# and the transformer's instructions per event, to compare). PYTHON=... overrides it.
PYTHON_CANDIDATES := /usr/bin/python3.11 python3.11 python3
ifeq ($(origin PYTHON),undefined)
PYTHON := $(firstword $(foreach p,$(PYTHON_CANDIDATES),$(shell command -v $(p) >/dev/null 2>&1 && $(p) -c 'import ensurepip, venv' 2>/dev/null && command -v $(p))))
endif
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8080

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo 'make: no Python 3.11 with venv found (tried $(PYTHON_CANDIDATES)); set PYTHON=...' >&2; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@

# The official Node SDK, a judge in tests/contract (pinned by package-lock.json).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Debian's chromium for the browser SDK contract test (driven by npm playwright-core; never a
# browser download). Installed only where /usr/bin/chromium is missing.
browser: node ## install Debian's chromium (apt) where missing, for the browser tests (SDK contract, dashboard)
	@test -x /usr/bin/chromium || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; }

.PHONY: help install node browser run test test-only lint fmt bench load soak fuzz clean

help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sed -e 's/\$$(HOST)/$(HOST)/g' -e 's/\$$(PORT)/$(PORT)/g' | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'

install: $(VENV)/.installed ## create .venv and install the project with its dev tools (idempotent)

run: install ## start the local sandbox (Amplitude + Braze mocks; dashboard at /) on $(HOST):$(PORT)
	$(BIN)/currents-sim serve --host $(HOST) --port $(PORT)

test: lint test-only ## install, lint, then run every test (what CI runs)

node: node_modules/.installed ## install the official Node and browser SDKs and playwright-core (npm ci)

test-only: install node browser ## run the test suite without lint (load smoke runs last, a file per worker)
	$(BIN)/pytest -n 2 -p no:cacheprovider -m "not load"
	$(BIN)/pytest -n 3 --dist loadfile -p no:cacheprovider -m load

fuzz: install ## schemathesis (checks all, seed 0) against a served mock, 25 examples per operation (make test runs 5)
	CURRENTS_SIM_FUZZ_EXAMPLES=25 $(BIN)/pytest -p no:cacheprovider -m fuzz

soak: install ## 30 minutes of mixed hostile traffic at a served mock (make test runs 60 s of it)
	$(BIN)/python -m load.soak --duration 30m

load: install ## every load scenario at full size, headless (about 15 minutes measured, at most 22: each is time-bounded; see reports/)
	$(BIN)/currents-sim load all --size full --force

lint: install ## ruff check + format check, mypy, import contracts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

fmt: install ## format and auto-fix
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install ## benchmarks: print figures beside the targets (asserts nothing)
	$(BIN)/python -m bench

clean: ## remove the venv, caches and reports
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis reports node_modules *.egg-info
