# jixiao: `make demo` sets up and runs the pipeline on the bundled samples;
# `make test` sets up and runs the tests. Both create .venv from requirements.lock,
# installed --no-deps: the lock is complete, and rapidocr's declared opencv-python
# (GUI build) must not replace the headless build Camelot uses (docs/ocr.md).
# PY picks the Python (3.11, 3.12 or 3.13; e.g. `make test PY=python3.13`) and with it
# the lock: requirements-py<version>.lock where there is one, else requirements.lock.
PY ?= python3
VERSION_OF := 'import sys; print("%d.%d" % sys.version_info[:2])'
PYVER := $(shell $(PY) -c $(VERSION_OF))
LOCK := $(firstword $(wildcard requirements-py$(PYVER).lock) requirements.lock)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PIP := $(BIN)/pip install -q --disable-pip-version-check
export PREFECT_HOME ?= $(CURDIR)/.prefect
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS := 90

.PHONY: setup demo test lint bench scale stress samples clean docs realworld fuzz

$(STAMP): pyproject.toml $(LOCK)
	$(PY) -m venv $(VENV)
	$(PIP) --no-deps -r $(LOCK)
	@# rapidocr-onnxruntime says Python <3.13 but is pure Python and works there (docs/development.md)
	if [ "$(PYVER)" = "3.13" ]; then \
	  $(PIP) --no-deps --ignore-requires-python $$(grep '^rapidocr-onnxruntime==' requirements.lock); fi
	$(PIP) --no-deps --no-build-isolation -e .
	touch $(STAMP)

# A venv of another Python than PY is made anew.
setup:
	@if [ -x $(BIN)/python ] && [ "$$($(BIN)/python -c $(VERSION_OF))" != "$(PYVER)" ]; then \
	  echo "$(VENV) is not Python $(PYVER): made anew"; rm -rf $(VENV); fi
	@$(MAKE) --no-print-directory $(STAMP)

# Exit code 1 from ingest means "some report failed or is invalid": the summary
# says which and why, and the demo goes on to export.
demo: setup
	$(BIN)/jixiao ingest || [ $$? -eq 1 ]
	$(BIN)/jixiao export
	$(BIN)/jixiao compare --year 2022

test: setup
	$(BIN)/python -m pytest -q

# docs/warehouse.md, the data dictionary, from the `comment on` statements in sql/
# (fails when a table, view or column has none).
docs: setup
	$(BIN)/python -m jixiao.load.data_dictionary docs/warehouse.md

lint: setup
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

# The sample corpus stage by stage, then the issue-15 figures at BENCH_N (default 1,000)
# generated reports: cold ingest, no-op re-run, peak RSS, CPU and wall with the load
# average (bench/scale.py; corpus cached in $$JIXIAO_SCALE_CACHE or ~/.cache/jixiao/scale).
BENCH_N ?= 1000
bench: setup
	$(BIN)/python bench/bench.py
	$(BIN)/python bench/scale.py --n $(BENCH_N) --data 0

# The whole ingest at N generated reports (cached in $$JIXIAO_SCALE_CACHE or
# ~/.cache/jixiao/scale/N), then 10,000 reports of synthetic rows through load,
# publish and compare (docs/scale.md). N=1000 takes about 5 minutes on 2 idle cores.
N ?= 200
scale: setup
	$(BIN)/python bench/scale.py --n $(N)

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

# Real negatives (../shared/realworld/negatives, or JIXIAO_SHARED_DIR) and the
# look-alikes through the classifier and the flow, then the confusion table and
# seconds per document per format (docs/formats.md).
realworld: setup
	$(BIN)/python -m pytest tests/test_doctypes.py -q -rs
	$(BIN)/python bench/doctypes.py

# The layout fuzzer (docs/tables.md): N documents with known truth from Calc, Writer,
# reportlab and headless Chromium (needs soffice, fonts-noto-cjk and Debian's chromium),
# read by the pipeline; prints rows right / flagged / silently wrong per producer and per
# layout feature. PDFs are cached in FUZZ_DIR (outside git); failing ones are kept beside.
SEED ?= 1
FUZZ_DIR ?= /tmp/jixiao-fuzz
fuzz: setup
	$(BIN)/python tools/fuzz.py generate --n $(N) --seed $(SEED) --out $(FUZZ_DIR)/seed$(SEED)
	$(BIN)/python tools/fuzz.py run $(FUZZ_DIR)/seed$(SEED) --limit $(N) \
		--keep $(FUZZ_DIR)/seed$(SEED)-failing --json $(FUZZ_DIR)/seed$(SEED).json
