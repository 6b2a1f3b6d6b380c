# tzsearch — the README's two commands are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat setup.cfg pyproject.toml | cksum | cut -d' ' -f1)
INDEX  ?= var/index
HOST   ?= 127.0.0.1
PORT   ?= 5000
WORKERS ?=
SECTIONS ?= 100000
SHARED ?= ../shared

.PHONY: venv run test lint quality bench bench-formats bench-research browser clean

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,ocr]'
	touch $(STAMP)

venv: $(STAMP)

## Build (or bring up to date) the index of corpus/, then serve the search site (WORKERS processes; default: cores).
run: $(STAMP)
	$(PY) -m indexer import corpus --index $(INDEX)
	$(PY) -m webui --index $(INDEX) --host $(HOST) --port $(PORT) $(if $(WORKERS),--workers $(WORKERS))

## Set up and run the whole test suite (installs Chromium, CJK fonts and antiword for the tests when it can).
test: $(STAMP) lint
	-@bash tests/install_system.sh
	$(PY) -m pytest

## Static checks (run by `make test`): ruff (lint, import order) and mypy (types) must be clean.
lint: $(STAMP)
	$(PY) -m ruff check indexer webui tools tests
	$(PY) -m mypy

## Extraction quality on ../shared: pages (titles, dates, chrome, body F1) and reports (year, region, titles).
quality: $(STAMP)
	$(PY) -m tools.quality $(SHARED)/corpus

## Speed and memory: `make bench SECTIONS=10000` for a quick run.
bench: $(STAMP)
	$(PY) -m tools.bench --sections $(SECTIONS) --shared $(SHARED)

## Office formats: PDF text and OCR pages per second, ms per shipped sample (see BENCHMARKS.md).
bench-formats: $(STAMP)
	$(PY) -m tools.bench_formats

## Research endpoints (/api/first, trend, spread, concordance): p50/p95 over HTTP on the reports + corpus/ index.
bench-research: $(STAMP)
	$(PY) -m tools.bench_research --shared $(SHARED)

browser:
	bash tests/install_system.sh

clean:
	rm -rf $(VENV) var build *.egg-info test-artifacts
