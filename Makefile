# jixiao: `make demo` sets up and runs the pipeline on the bundled samples;
# `make test` sets up and runs the tests. Both create .venv from requirements.lock,
# installed --no-deps: the lock is complete, and rapidocr's declared opencv-python
# (GUI build) must not replace the headless build Camelot uses (docs/ocr.md).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PREFECT_HOME ?= $(CURDIR)/.prefect
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS := 90

.PHONY: setup demo test lint bench stress samples clean fuzz

$(STAMP): pyproject.toml requirements.lock
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -r requirements.lock
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

setup: $(STAMP)

# Exit code 1 from ingest means "some report failed or is invalid": the summary
# says which and why, and the demo goes on to export.
demo: setup
	$(BIN)/jixiao ingest || [ $$? -eq 1 ]
	$(BIN)/jixiao export
	$(BIN)/jixiao compare --year 2022

test: setup
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

bench: setup
	$(BIN)/python bench/bench.py

# Rebuild the sample PDFs (needs Debian's libreoffice-writer, libreoffice-calc,
# fonts-noto-cjk and poppler-utils; see docs/samples.md).
samples: setup
	$(BIN)/pip install -q python-docx==1.2.0 openpyxl==3.1.5 img2pdf==0.6.3 pillow reportlab==5.1.0
	$(BIN)/python tools/make_samples.py

clean:
	rm -rf $(VENV) .prefect data/warehouse.duckdb* data/curated/[!.]* data/curated/.exports

# Hostile inputs, kill -9 at random moments, concurrent ingests, SQL injection:
# prints the figures (about 15 minutes on 2 cores).
stress: setup
	$(BIN)/python bench/stress.py

# The layout fuzzer (docs/tables.md): N documents with known truth from Calc, Writer,
# reportlab and headless Chromium (needs soffice, fonts-noto-cjk and Debian's chromium),
# read by the pipeline; prints rows right / flagged / silently wrong per producer and per
# layout feature. PDFs are cached in FUZZ_DIR (outside git); failing ones are kept beside.
N ?= 100
SEED ?= 1
FUZZ_DIR ?= /tmp/jixiao-fuzz
fuzz: setup
	$(BIN)/python tools/fuzz.py generate --n $(N) --seed $(SEED) --out $(FUZZ_DIR)/seed$(SEED)
	$(BIN)/python tools/fuzz.py run $(FUZZ_DIR)/seed$(SEED) --limit $(N) \
		--keep $(FUZZ_DIR)/seed$(SEED)-failing --json $(FUZZ_DIR)/seed$(SEED).json
