"""Where jixiao finds its own files and where it keeps the analyst's data.

Its own files travel with the package, found through ``importlib.resources``
in an editable checkout and in an installed wheel alike: the SQL (``sql/`` of
the repository, the package ``jixiao.sql``) and the Great Expectations suites
(``expectations/``, the package ``jixiao.expectations``).

The analyst's data lives under a working directory, ``JIXIAO_HOME`` or else
the current directory when jixiao starts: ``sources/`` (manifests),
``data/raw/`` (fetched documents), ``data/warehouse.duckdb`` and
``data/curated/`` (exports).
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path


def _package_dir(package: str) -> Path:
    """The folder of a data package (``jixiao.sql``, ``jixiao.expectations``) on disk."""
    return Path(str(files(package)))


SQL = _package_dir("jixiao.sql")
EXPECTATIONS = _package_dir("jixiao.expectations")

HOME = Path(os.environ.get("JIXIAO_HOME") or os.getcwd()).resolve()
SOURCES = HOME / "sources"
RAW = HOME / "data" / "raw"
CURATED = HOME / "data" / "curated"
DEFAULT_DB = HOME / "data" / "warehouse.duckdb"
DEFAULT_SOURCES = SOURCES / "samples.yaml"
# kept for code written before the package was installable: the working directory
REPO = HOME
