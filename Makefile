# The two commands: `make book` (builds the HTML book, set-up included) and `make test`.
# Everything runs in the project virtual environment .venv, installed from requirements.lock.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# axe-core for the accessibility check (tests/book/test_accessibility.py), from package-lock.json:
# installed by `make test` only (after system-deps, which brings npm), so `make book` needs no Node.
NODE_STAMP := node_modules/.installed
BUILD := _build

.PHONY: help setup system-deps book pdf test test-corpus lint unit integration benchmark lock clean

help:
	@echo "make book        build the HTML book into $(BUILD)/html (installs .venv first)"
	@echo "make pdf         build the PDF ($(BUILD)/latex/book.pdf), then the HTML carrying it ($(BUILD)/html/book.pdf)"
	@echo "make test        every check: lint, unit and integration tests, strict HTML + PDF build, book checks, nbval"
	@echo "make unit        the fast unit tests (tests/unit: no build, no kernel)"
	@echo "make integration the builds, chapter executions and kernels of tests/integration (slow)"
	@echo "make test-corpus every study of the generated corpus built in both editions and checked (slow)"
	@echo "make lint        ruff (lint and format check) over the code, tests and templates"
	@echo "make benchmark   timings of the build and the analyses, into benchmarks/results.json"
	@echo "make lock        re-pin requirements.lock from requirements.in (maintainers)"

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --silent
	touch $(NODE_STAMP)

setup: $(STAMP)

system-deps:
	bash scripts/install-system-deps.sh

book: setup
	$(PY) -m analysis build

# The PDF first, then the HTML site with the PDF inside it (what the workflow publishes).
pdf: system-deps setup
	$(PY) -m analysis build --pdf

# ruff lints and checks the format of the package, tests, scripts, benchmarks and templates
# (natively and through nbqa for the notebooks); the configuration is in pyproject.toml. The
# GitHub workflow is checked against the Actions schema and audited by zizmor (both offline).
lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/nbqa ruff book/templates --ignore=E402
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(VENV)/bin/zizmor --offline --quiet .github/workflows

# make test: lint; the unit tests (tests/unit: fast, nothing built), among them the check that the
# stored chapters match their templates, data and code (run before the build, which would
# otherwise refresh them); the integration tests (tests/integration: builds into their own
# folders, chapter executions, kernels; the corpus left to make test-corpus); then the strict
# build (warnings are errors, HTML and PDF, both editions), because the book checks in
# tests/book read what it built (the reader's checks run over each edition); nbval re-executes
# every stored execution once (python -m analysis.pipeline.editions lists them: a chapter executed
# once for both editions, not the edition derived from it); last, the work tree must be as the suite found it.
test: system-deps setup $(NODE_STAMP) lint
	mkdir -p $(BUILD) && git status --porcelain > $(BUILD)/.status-before
	$(PY) -m pytest tests/unit -p no:cacheprovider
	$(PY) -m pytest tests/integration -m "not corpus" -p no:cacheprovider
	$(PY) -m analysis build --strict --pdf
	$(PY) -m pytest tests/book -p no:cacheprovider
	BOOK_EDITION=id $(PY) -m pytest tests/book/test_built_book.py -p no:cacheprovider
	$(PY) -m pytest --nbval $$($(PY) -m analysis.pipeline.editions) --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider
	$(PY) scripts/check_worktree.py $(BUILD)/.status-before

unit: setup
	$(PY) -m pytest tests/unit -p no:cacheprovider

integration: setup
	$(PY) -m pytest tests/integration -m "not corpus" -p no:cacheprovider

# The corpus of realistic studies (tests/support/corpus.py), each built in both editions and its
# numbers checked against an independent computation; make test runs one of them (the census).
test-corpus: setup
	$(PY) -m pytest tests/integration -m corpus -p no:cacheprovider

benchmark: setup
	$(PY) benchmarks/run.py
	$(PY) benchmarks/editions.py

lock:
	uv pip compile requirements.in --generate-hashes --python-version 3.11 --python-platform x86_64-manylinux_2_28 -o requirements.lock

clean:
	rm -rf $(BUILD)
