# Two commands matter: `make run` and `make test`. Both work on a fresh clone with Python 3.11.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test test-fast index lint bench clean

## run: create .venv, install, build (or update) the index from documents/, serve on :8000
run: $(VENV)/.installed
	$(BIN)/archive-search index || [ $$? -eq 1 ]
	$(BIN)/archive-search serve

## test: install the test dependencies and run the whole suite (lint included)
test: $(VENV)/.installed-test
	$(BIN)/ruff check app tests bench
	$(BIN)/python -m pytest

## test-fast: the suite without its slow and browser tests (servers, nginx, Chromium), for a quick check
test-fast: $(VENV)/.installed-test
	$(BIN)/ruff check app tests bench
	$(BIN)/python -m pytest -m "not slow and not browser"

## index: update the index from documents/ (add FULL=1 to rebuild from scratch)
index: $(VENV)/.installed
	$(BIN)/archive-search index $(if $(FULL),--full)

## bench: the performance benchmark (see docs/performance.md)
bench: $(VENV)/.installed-bench
	$(BIN)/python -m bench.run $(BENCH_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check app tests bench

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(VENV)/.installed $@

$(VENV)/.installed-bench: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,bench]'
	touch $(VENV)/.installed $(VENV)/.installed-test $@

clean:
	rm -rf $(VENV) index/gen-* index/CURRENT index/.write.lock test-output .pytest_cache
