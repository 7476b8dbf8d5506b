# The README's two commands are `make extract` and `make test`; both set up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HIPE := ../shared/benchmarks/hipe2020-fr/hipe2020-fr-test.jsonl
DEVSET := ../shared/devset/gold

.PHONY: setup extract test lint eval eval-hipe bench clean

setup: $(STAMP)

# Reinstall only when the dependency pins change.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[dev]"
	touch $(STAMP)

extract: setup
	$(BIN)/extract corpus/ --out outputs/

test: setup
	sh scripts/ensure_chromium.sh
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check pipeline tests scripts

eval: setup
	@echo "== sample gold (the 6 development articles the rules were first written from)"
	$(BIN)/extract evaluate tests/fixtures/gold
	@if [ -d $(DEVSET) ]; then echo "== devset (real news excerpts, read in place)"; \
	$(BIN)/extract evaluate $(DEVSET); \
	else echo "devset not found at $(DEVSET): skipped"; fi
	@if [ -f $(HIPE) ]; then $(BIN)/extract evaluate-hipe $(HIPE); \
	else echo "HIPE-2020 benchmark not found at $(HIPE): skipped"; fi
	$(BIN)/python -m pipeline.behaviour

bench: setup
	$(BIN)/python scripts/bench.py

clean:
	rm -rf $(VENV) outputs/*.csv outputs/*.parquet outputs/report.html .pytest_cache
