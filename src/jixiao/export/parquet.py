"""Export: curated parquet for analysts, facts partitioned by year (hive layout).

An export is written whole into a new version folder and switched in with one
atomic rename, so a reader, or an export killed half-way, sees either the
previous export or the complete new one, never a mix of the two:

    data/curated/
      .exports/<id>/<table>/year=2022/*.parquet   the versions (current + previous)
      .exports/<id>/validation/                  Data Docs of that export
      _current -> .exports/<id>                  switched atomically
      scores -> _current/scores                  one stable link per table
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from jixiao.faults import point as fault_point
from jixiao.load import warehouse

# table name in data/curated/ → (query, partitioned by year)
TABLES: dict[str, tuple[str, bool]] = {
    # DOUBLE for pandas (a DECIMAL column reads as Python Decimal objects); exact in the warehouse
    "scores": (
        "select * replace (weight::double as weight, score::double as score, "
        "score_rate::double as score_rate) from v_scores_all",
        True,
    ),
    "fact_indicator_score": ("select * from fact_indicator_score", True),
    "fact_budget": ("select * from fact_budget", True),
    "dim_report": ("select * from dim_report", True),
    "check_result": (
        "select c.*, r.year from check_result c join dim_report r using (report_id)",
        True,
    ),
    "dim_indicator": ("select * from dim_indicator", False),
    "dim_department": ("select * from dim_department", False),
    "dim_district": (
        "select * from dim_district where district_code in (select district_code from dim_report)",
        False,
    ),
}
LINKED = [*TABLES, "validation"]
VERSIONS = ".exports"
CURRENT = "_current"


def new_version(out_dir: str | Path) -> Path:
    """An empty version folder for the next export (leftovers of killed exports removed)."""
    out_dir = Path(out_dir)
    versions = out_dir / VERSIONS
    versions.mkdir(parents=True, exist_ok=True)
    keep = _current_target(out_dir)
    for old in versions.iterdir():
        if old.name != keep:
            shutil.rmtree(old) if old.is_dir() else old.unlink()
    version = versions / f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}"
    version.mkdir()
    return version


def write_tables(db_path: str | Path, version: Path) -> dict[str, int]:
    """Write every curated table into ``version``; returns rows per table."""
    con = warehouse.connect(db_path, read_only=True)
    counts = {}
    try:
        for n, (name, (query, partitioned)) in enumerate(TABLES.items()):
            counts[name] = con.execute(f"select count(*) from ({query})").fetchone()[0]
            target = version / name
            target.mkdir()
            if not partitioned:
                con.execute(f"copy ({query}) to '{target / 'data.parquet'}' (format parquet)")
            elif counts[name]:
                con.execute(f"copy ({query}) to '{target}' (format parquet, partition_by (year))")
            if n == 1:
                fault_point("mid_export")
    finally:
        con.close()
    return counts


def switch_to(out_dir: str | Path, version: Path) -> None:
    """Make ``version`` the current export with one atomic rename of ``_current``."""
    out_dir = Path(out_dir)
    link = out_dir / f".{CURRENT}.tmp"
    link.unlink(missing_ok=True)
    link.symlink_to(Path(VERSIONS) / version.name)
    os.replace(link, out_dir / CURRENT)
    for name in LINKED:
        stable = out_dir / name
        if stable.is_symlink():
            continue
        if stable.exists():  # an export from before versioned exports: replace it
            shutil.rmtree(stable)
        stable.symlink_to(Path(CURRENT) / name)


def export_curated(db_path: str | Path, out_dir: str | Path) -> dict[str, int]:
    """Write the curated tables as a new version and switch to it (no Data Docs)."""
    version = new_version(out_dir)
    counts = write_tables(db_path, version)
    switch_to(out_dir, version)
    return counts


def _current_target(out_dir: Path) -> str | None:
    current = out_dir / CURRENT
    return os.readlink(current).split("/")[-1] if current.is_symlink() else None
