# Every target sets itself up: a fresh clone needs only Python 3.11+, git
# and make.  `make run` runs the main job, `make check` every check.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev

.PHONY: run check lint types test docs bench error-codes clean fuzz

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=25.1"
	$(BIN)/python -m pip install --quiet -e . --group dev
	touch $(STAMP)

## The main job: the command line on the sample base (examples/data):
## import (row errors, duplicates), duplicate scan, exports.  Exit code 1
## means "done, some rows refused": expected with this sample.
RUN := build/run
CD := $(BIN)/customer-domain --db $(RUN)/customers.db --lang fr
run: $(STAMP)
	rm -rf $(RUN) && mkdir -p $(RUN)
	$(CD) import examples/data/contacts.xlsx \
		--errors $(RUN)/contacts.errors.xlsx || test $$? -eq 1
	$(CD) duplicates --limit 10 --output $(RUN)/duplicates.xlsx \
		|| test $$? -eq 1
	$(CD) export $(RUN)/contacts.xlsx
	$(CD) export --what customers $(RUN)/customers.csv
	$(CD) vcard export $(RUN)/vcards.zip
	@echo "Files written to $(RUN)/"

## Every check: lint, types, tests (with README and docs examples), docs.
check: lint types test docs

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: $(STAMP)
	$(BIN)/mypy

# pytest exits 5 when it collected no test; like every non-zero status it
# fails the target (and so `make check` and CI).
test: $(STAMP)
	$(BIN)/pytest

docs: $(STAMP)
	$(BIN)/sphinx-build --fail-on-warning --keep-going \
		--quiet --builder html docs docs/_build/html

## Regenerate docs/error-codes.md from the message catalogue.
error-codes: $(STAMP)
	$(BIN)/python -c "from customer_domain._messages import markdown_table as t; print(t(), end='')" > docs/error-codes.md

## BENCH_IO_SIZES: persons imported and exported by bench_interchange
## (a million takes over an hour on 2 cores; BENCH_SOURCES=CSV halves it).
BENCH_IO_SIZES ?= 100000 1000000
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_model.py
	$(BIN)/python benchmarks/bench_storage.py
	$(BIN)/python benchmarks/bench_duplicates.py
	$(BIN)/python benchmarks/bench_collections.py
	$(BIN)/python benchmarks/bench_phones.py
	$(BIN)/python benchmarks/bench_emails.py
	$(BIN)/python benchmarks/bench_matching.py
	$(BIN)/python benchmarks/bench_interchange.py --sizes $(BENCH_IO_SIZES)

clean:
	rm -rf $(VENV) docs/_build .mypy_cache .pytest_cache .ruff_cache

## The fuzz harness: at least 100,000 hostile inputs against every public
## door; prints foreign exceptions, atomicity and privilege violations
## (target 0 each) and the slowest inputs.  FUZZ_INPUTS and FUZZ_SEED
## override; store doors run in memory, on SQLite and, when
## CUSTOMER_DOMAIN_TEST_POSTGRES_URL holds a URL, on PostgreSQL.
## Then the e-mail differential: the fast path against email-validator
## on EMAIL_INPUTS generated addresses (differences: target 0).
FUZZ_INPUTS ?= 100000
FUZZ_SEED ?= 0
EMAIL_INPUTS ?= 1000000
fuzz: $(STAMP)
	$(BIN)/python fuzz/harness.py $(FUZZ_INPUTS) $(FUZZ_SEED)
	$(BIN)/python fuzz/email_differential.py $(EMAIL_INPUTS) $(FUZZ_SEED)
