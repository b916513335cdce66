# `make build`: install and build the knowledge graph from seeds/ into out/.
# `make test`:  install (incl. Debian chromium for browser tests) and run the test suite.
# `make test-fast`: the suite without slow and browser tests, a third of the fuzz examples (daily work).
# `make dist`: the wheel and the sdist in dist/ (they carry ontology/, queries/, seeds/).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: build test test-fast install bench dist clean

$(BIN)/kg: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(BIN)/kg

install: $(BIN)/kg

build: install
	$(BIN)/kg build

test: install
	./scripts/ensure-system-deps.sh
	$(BIN)/python -m pytest -q

test-fast: install
	KG_FUZZ=quick $(BIN)/python -m pytest -q -n 2 -m "not slow and not browser"

bench: install
	$(BIN)/python bench/bench.py

dist: install
	rm -rf dist
	$(BIN)/python -m hatchling build -d dist

clean:
	rm -rf out dist .pytest_cache
