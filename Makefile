# The two commands a fresh machine needs: `make serve` and `make test`.
SHELL := /bin/bash
# hnswlib builds from source; -march=native would tie the build to this CPU.
export HNSWLIB_NO_NATIVE := 1
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# Rebuild the extension whenever a Rust source or the build config changes.
RUST_SOURCES := $(shell find rust -name '*.rs' -o -name Cargo.toml) Cargo.toml pyproject.toml

.PHONY: serve test build lint test-rust test-python browser-deps bench clean

serve: build
	$(BIN)/ferrogate serve

test: build lint test-rust test-python

build: $(VENV)/.built

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip maturin

$(VENV)/.built: $(BIN)/python $(RUST_SOURCES)
	$(BIN)/maturin develop --release --extras test --quiet
	touch $@

lint: build
	cargo fmt --all --check
	cargo clippy --quiet -p ferrogate-core -p ferrogate-py --all-targets -- -D warnings
	$(BIN)/ruff check python tests bench
	$(BIN)/ruff format --check python tests bench

test-rust:
	cargo test --quiet -p ferrogate-core

test-python: build browser-deps
	$(BIN)/pytest

# The dashboard's browser test (tests/dashboard): Debian's Chromium, and playwright-core
# from the committed lockfile. Each step runs only when its file is missing or stale.
DASHBOARD_NODE := tests/dashboard
browser-deps: /usr/bin/chromium $(DASHBOARD_NODE)/node_modules/.package-lock.json

/usr/bin/chromium:
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y chromium

# npm ci writes node_modules/.package-lock.json; touched so it is newer than the lockfile.
$(DASHBOARD_NODE)/node_modules/.package-lock.json: $(DASHBOARD_NODE)/package-lock.json
	cd $(DASHBOARD_NODE) && npm ci --no-audit --no-fund
	touch $@

bench: build
	$(BIN)/python bench/load.py

clean:
	rm -rf $(VENV) target .deps
