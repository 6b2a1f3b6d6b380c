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
# PostgreSQL instead of the index folder: `make run DB=postgresql`, `make bench BACKEND=postgresql`.
DB     ?= whoosh
BACKEND ?= whoosh
PG_DIR ?= var/pg
PG_PORT ?= 54329
PG_URL := postgresql://tzsearch@127.0.0.1:$(PG_PORT)/tzsearch
ifneq ($(filter postgres postgresql,$(DB)),)
WHERE  := --database $(PG_URL)
DB_UP  := pg-up
else
WHERE  := --index $(INDEX)
DB_UP  :=
endif

.PHONY: venv bytecode run test lint quality bench bench-formats bench-research bench-analytics browser clean pg-up pg-down

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,ocr,bench]'
	touch $(STAMP)

venv: $(STAMP)

## The project's modules compiled to bytecode, as an install compiles them: every command, server worker and test
## then starts from it instead of compiling about 200 modules again (0.2 s of each start; where
## PYTHONDONTWRITEBYTECODE is set, Python never writes it itself). Files changed later are compiled again here.
bytecode: $(STAMP)
	@$(PY) -m compileall -q indexer webui tools

## Build (or bring up to date) the index of corpus/, then serve the search site (WORKERS processes; default: cores;
## DB=postgresql: from PostgreSQL). An index folder of an earlier format is upgraded first.
run: $(STAMP) bytecode $(DB_UP)
	$(if $(DB_UP),,@if [ -f $(INDEX)/manifest.json ] && $(PY) -m indexer check --index $(INDEX) | grep -q '^needs upgrade'; \
	    then $(PY) -m indexer upgrade --index $(INDEX); fi)
	$(PY) -m indexer import corpus $(WHERE)
	$(PY) -m webui $(WHERE) --host $(HOST) --port $(PORT) $(if $(WORKERS),--workers $(WORKERS))

## A throwaway PostgreSQL on 127.0.0.1:$(PG_PORT) (initdb into $(PG_DIR) on first use; as root it runs as an
## unprivileged user). It prints the database URL; `make pg-down` stops it.
pg-up: $(STAMP)
	$(PY) -m indexer.pg.cluster up --dir $(PG_DIR) --port $(PG_PORT)

pg-down: $(STAMP)
	$(PY) -m indexer.pg.cluster down --dir $(PG_DIR) --port $(PG_PORT)

## Set up and run the whole test suite (installs Chromium, CJK fonts, antiword and PostgreSQL for the tests when
## it can; the PostgreSQL tests start and stop servers of their own). With CI=true (.ci/run) a component that
## cannot be installed fails the run instead of skipping the tests that need it.
test: $(STAMP) bytecode lint
	@bash tests/install_system.sh
	@echo "make test: the whole suite (PostgreSQL servers, a headless browser, the real corpus when ../shared is there)"
	@echo "takes 10-20 minutes on a busy 2-core machine; the slowest tests are listed at the end."
	@echo "One file at a time: $(PY) -m pytest tests/test_analytics.py -q"
	$(PY) -m pytest --durations=10

## Static checks (run by `make test`): ruff (lint, import order) and mypy (types) must be clean.
lint: $(STAMP)
	$(PY) -m ruff check indexer webui tools tests
	$(PY) -m mypy

## Extraction quality on ../shared: pages (titles, dates, chrome, body F1) and reports (year, implied years, issuer,
## region, titles); then citation fields on the development set (tests/data/devset, tools/devset.py). Both run;
## either failing fails.
quality: $(STAMP) bytecode
	@status=0; $(PY) -m tools.quality $(SHARED)/corpus || status=1; \
	TZSEARCH_SHARED=$(SHARED) $(PY) -m tools.devset --misses || status=1; \
	TZSEARCH_SHARED=$(SHARED) $(PY) -m tools.devset --set heldout --misses || status=1; exit $$status

## Speed and memory: `make bench SECTIONS=10000` for a quick run; BACKEND=postgresql measures the database
## backend (on a server of its own) with the same figures.
bench: $(STAMP) bytecode
	$(PY) -m tools.bench --sections $(SECTIONS) --shared $(SHARED) --backend $(BACKEND)

## Office formats: PDF text and OCR pages per second, ms per shipped sample (see BENCHMARKS.md).
bench-formats: $(STAMP) bytecode
	$(PY) -m tools.bench_formats

## Research endpoints (/api/first, trend, spread, concordance): p50/p95 over HTTP on the reports + corpus/ index.
bench-research: $(STAMP) bytecode
	$(PY) -m tools.bench_research --shared $(SHARED)

## Analyses (wordings, collocates, keyness, dispersion) on the reports + corpus/ index; `make bench-analytics
## SECTIONS=100000` for the bench's replicated corpus (BACKEND=postgresql: the database backend).
bench-analytics: $(STAMP) bytecode
	$(PY) -m tools.bench_analytics --shared $(SHARED) --backend $(BACKEND) \
		$(if $(filter command line,$(origin SECTIONS)),--sections $(SECTIONS))

browser:
	bash tests/install_system.sh

clean:
	rm -rf $(VENV) var build *.egg-info test-artifacts
