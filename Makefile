# Cipher: `make demo` and `make test` each set up everything on a fresh machine (Python 3.11, root).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.cipher-installed
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home
export HF_HUB_OFFLINE := 1
export DO_NOT_TRACK := 1

.PHONY: install demo test test-fast ui ui-readonly bench lock clean-data help

help:
	@echo "make demo   - install, generate synthetic calls, run every tier end to end, print a summary"
	@echo "make test   - install and run the test suite"
	@echo "make test-fast - the tests not marked slow (no Whisper, no full Dagster run): under a minute"
	@echo "make ui     - start the Dagster webserver and daemon on the same data (http://127.0.0.1:3000)"
	@echo "make ui-readonly - the webserver read-only, for auditors"
	@echo "make bench  - transcription and de-identification benchmarks"
	@echo "make lock   - re-resolve requirements.lock from pyproject.toml (needs uv)"

# Re-installs only when the lock or the project metadata changes.
$(STAMP): requirements.lock pyproject.toml scripts/install-system-deps.sh
	./scripts/install-system-deps.sh
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(BIN)/python -m cipher_pipeline.asr_models --verify
	touch $(STAMP)

install: $(STAMP) $(DAGSTER_HOME)/dagster.yaml

$(DAGSTER_HOME)/dagster.yaml: dagster.yaml
	mkdir -p $(DAGSTER_HOME)
	cp dagster.yaml $(DAGSTER_HOME)/dagster.yaml

demo: install
	$(BIN)/cipher demo

# The whole suite, serially as ever, but in one pytest-xdist worker process (-n 1), so that a native crash in a
# library (a segfault in CTranslate2, DuckDB, SQLite, Dagster...) kills that worker and not the run: xdist starts a
# fresh one for the tests left, and tests/crash_rerun.py names the test that was running and reruns it once; a second
# death, a death without a signal and every failed assertion stay red (docs/runbook.md, "CI died of a signal").
test: install
	$(BIN)/python -m pytest -n 1

# Everything but the tests marked slow (real faster-whisper, full Dagster materializations), one pytest-xdist worker
# per core (tests/conftest.py: what a test writes is per worker). CI runs `make test`, serially: the slow tests' Whisper
# pools already use every core, and the worker-crash tests time their kills against a decode in progress.
test-fast: install
	$(BIN)/python -m pytest -m "not slow" -n auto

# Started from inside DAGSTER_HOME: from the repo root Dagster warns that the repo's dagster.yaml is not the
# instance's (it is copied there by install).
ui: install
	cd $(DAGSTER_HOME) && $(CURDIR)/$(BIN)/dagster dev -w $(CURDIR)/workspace.yaml -h 127.0.0.1 -p 3000

# The auditor's view: nothing can be launched or changed from it.
ui-readonly: install
	cd $(DAGSTER_HOME) && $(CURDIR)/$(BIN)/dagster-webserver -w $(CURDIR)/workspace.yaml --read-only -h 127.0.0.1 -p 3000

bench: install
	$(BIN)/cipher bench

lock:
	uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 \
		--python-platform x86_64-manylinux_2_28 --excludes lock-excludes.txt -o requirements.lock

clean-data:
	rm -rf data/tier1 data/tier2 data/tier3 data/cipher.duckdb
