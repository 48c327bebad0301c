"""Where the repository's folders are (jixiao runs from its checkout)."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(os.environ.get("JIXIAO_HOME", Path(__file__).resolve().parents[2]))
SQL = REPO / "sql"
EXPECTATIONS = REPO / "expectations"
SOURCES = REPO / "sources"
RAW = REPO / "data" / "raw"
CURATED = REPO / "data" / "curated"
DEFAULT_DB = REPO / "data" / "warehouse.duckdb"
DEFAULT_SOURCES = SOURCES / "samples.yaml"
