# opis: two commands on a fresh machine.
#   make demo   set up, ingest the seed and ../shared/corpora (or CORPORA=folder), open the reading room
#   make test   set up and run the whole test suite
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
CORPORA ?= ../shared/corpora
SEED ?= ../shared/seed
OPIS_DATA ?= opis-data
PORT ?= 8000
export OPIS_DATA

.PHONY: demo test setup system-packages lint typecheck format clean bench vendor

$(BIN)/opis: pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "make: $(PYTHON) not found; install Python 3.11 or run 'make PYTHON=python3'"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,postgres,cluster]'
	@touch $(BIN)/opis

setup: $(BIN)/opis

# Debian packages the tests need: Chromium for browser tests, PostgreSQL server binaries,
# Tesseract (English, Russian, simplified Chinese) and Ghostscript for OCR, Poppler for page images;
# nginx, openssl and curl run docs/deploying.md's walkthrough (tests/test_deploying.py).
DEBIAN_PACKAGES := chromium postgresql tesseract-ocr tesseract-ocr-eng tesseract-ocr-rus \
	tesseract-ocr-chi-sim ghostscript poppler-utils fonts-noto-cjk procps nginx-light openssl curl
system-packages:
	@if ! dpkg -s $(DEBIAN_PACKAGES) >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(DEBIAN_PACKAGES) >/dev/null; \
	fi

# OCR=auto reads scanned pages whose text layer is unusable with Tesseract (the 60 FOIA scans:
# about 10 minutes on two cores, once; later runs find them unchanged). OCR=never skips it.
OCR ?= auto
demo: setup system-packages
	$(BIN)/opis demo --port $(PORT) --ocr $(OCR) $(SEED) $(CORPORA)

# The whole suite twice: on SQLite, then on a PostgreSQL server the fixtures start from Debian's
# binaries (tests/conftest.py, OPIS_TEST_DATABASE). Both passes run; either failing fails the target.
test: setup system-packages
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/pytest; sqlite=$$?; \
	OPIS_TEST_DATABASE=postgresql $(BIN)/pytest; postgresql=$$?; \
	echo "make test: SQLite pass exit $$sqlite, PostgreSQL pass exit $$postgresql"; \
	[ $$sqlite = 0 ] && [ $$postgresql = 0 ]

lint:
	$(BIN)/ruff check src tests bench

# mypy on the files [tool.mypy] in pyproject.toml names (the core: understand, records, search, cite)
typecheck: setup
	$(BIN)/mypy

format:
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

bench: setup
	$(BIN)/python bench/ingest_rate.py
	$(BIN)/python bench/search_latency.py

# npm libraries served from our own static files (OpenSeadragon) or used by tests (axe-core),
# at the versions pinned in tools/vendor.sh; checked against the registry's sha512 and committed.
vendor:
	sh tools/vendor.sh

clean:
	rm -rf $(VENV) $(OPIS_DATA)
