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

.PHONY: setup demo test lint bench scale stress samples clean docs realworld

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

# docs/warehouse.md, the data dictionary, from the `comment on` statements in sql/
# (fails when a table, view or column has none).
docs: setup
	$(BIN)/python -m jixiao.load.data_dictionary docs/warehouse.md

lint: setup
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

bench: setup
	$(BIN)/python bench/bench.py

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
