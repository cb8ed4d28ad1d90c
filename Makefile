# Partner Pulse — every set-up step lives here; nothing is installed by hand.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DAGSTER_HOME ?= $(CURDIR)/.dagster
export PATH := $(CURDIR)/$(BIN):$(PATH)
export PARTNER_PULSE_WAREHOUSE ?= $(CURDIR)/warehouse/build.duckdb
export PARTNER_PULSE_LANDING ?= $(CURDIR)/landing
export PARTNER_PULSE_MAX_QUARANTINE_RATE ?= 0.05

SCALE ?= demo
SEED ?= 7

MANIFEST := dbt_project/target/manifest.json
DBT_SOURCES := $(shell find dbt_project/models dbt_project/macros dbt_project/seeds dbt_project/snapshots dbt_project/tests -type f 2>/dev/null) dbt_project/dbt_project.yml

.PHONY: venv demo run test lint ui bench clean manifest docs

venv: $(STAMP)

# dagster-dbt reads the manifest when the definitions load: prepare it at build time.
manifest: $(MANIFEST)

$(MANIFEST): $(STAMP) $(DBT_SOURCES)
	cd dbt_project && $(CURDIR)/$(BIN)/dbt parse --quiet --profiles-dir . --project-dir .

$(STAMP): pyproject.toml constraints.txt
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; Partner Pulse needs Python 3.11" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	@touch $(STAMP)

$(DAGSTER_HOME)/dagster.yaml: dagster.yaml
	@mkdir -p $(DAGSTER_HOME)
	cp dagster.yaml $(DAGSTER_HOME)/dagster.yaml

# The demo always uses the repository's own landing/ and warehouse/, whatever the environment
# says, and starts from fresh synthetic sources (a new end date is a new synthetic world);
# published versions and the Dagster run history are kept.
demo: export PARTNER_PULSE_WAREHOUSE := $(CURDIR)/warehouse/build.duckdb
demo: export PARTNER_PULSE_LANDING := $(CURDIR)/landing
demo: venv manifest $(DAGSTER_HOME)/dagster.yaml
	rm -rf $(CURDIR)/landing $(CURDIR)/warehouse/build.duckdb $(CURDIR)/warehouse/build.duckdb.wal
	$(BIN)/python -m ingestion.generate --scale $(SCALE) --seed $(SEED) --out landing
	$(BIN)/python -m orchestration.demo

# Your own exports: `make run LANDING=/path/to/exports [WAREHOUSE=/path/to/folder] [AS_OF=YYYY-MM-DD]`
# loads, builds, checks and publishes into WAREHOUSE (default: warehouse/ beside LANDING).
run: venv manifest
	@test -n "$(LANDING)" || { echo "usage: make run LANDING=/path/to/exports [WAREHOUSE=/path/to/folder] [AS_OF=YYYY-MM-DD]" >&2; exit 2; }
	env -u PARTNER_PULSE_WAREHOUSE -u PARTNER_PULSE_LANDING -u DAGSTER_HOME $(BIN)/partner-pulse-run --landing "$(LANDING)" $(if $(WAREHOUSE),--warehouse "$(WAREHOUSE)") $(if $(AS_OF),--as-of $(AS_OF))

test: venv manifest
	$(BIN)/ruff check ingestion orchestration tests benchmarks
	cd dbt_project && $(CURDIR)/$(BIN)/sqlfluff lint --processes 2 models macros tests
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

lint: venv
	$(BIN)/ruff check ingestion orchestration tests benchmarks
	cd dbt_project && $(CURDIR)/$(BIN)/sqlfluff lint --processes 2 models macros tests

ui: venv manifest $(DAGSTER_HOME)/dagster.yaml
	exec $(BIN)/python -m orchestration.ui

bench: venv
	$(BIN)/python -m benchmarks.scale_benchmark --scale $(SCALE)

docs: venv manifest
	cd dbt_project && $(CURDIR)/$(BIN)/dbt docs generate --profiles-dir . --project-dir . --empty-catalog
	@echo "dbt docs: $(CURDIR)/dbt_project/target/index.html (serve with: cd dbt_project && ../.venv/bin/dbt docs serve --profiles-dir .)"

clean:
	rm -rf landing warehouse .dagster dbt_project/target dbt_project/logs
