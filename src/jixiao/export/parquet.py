"""Export: curated parquet for analysts, facts partitioned by year (hive layout).

Each table is written to a temporary folder beside its destination and then
swapped in with renames, so a reader (or a killed export) sees either the
previous export or the complete new one, never a mix.
"""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

from jixiao.load import warehouse

# table name in data/curated/ → (query, partitioned by year)
TABLES: dict[str, tuple[str, bool]] = {
    "scores": ("select * from v_scores_all", True),
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


def export_curated(db_path: str | Path, out_dir: str | Path) -> dict[str, int]:
    """Write every curated table under ``out_dir``; returns rows per table."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    con = warehouse.connect(db_path, read_only=True)
    counts = {}
    try:
        for name, (query, partitioned) in TABLES.items():
            tmp = out_dir / f".{name}.{uuid.uuid4().hex[:8]}.tmp"
            counts[name] = con.execute(f"select count(*) from ({query})").fetchone()[0]
            if partitioned:
                tmp.mkdir()
                if counts[name]:
                    con.execute(
                        f"copy ({query}) to '{tmp}' "
                        "(format parquet, partition_by (year), overwrite_or_ignore)"
                    )
            else:
                tmp.mkdir()
                con.execute(f"copy ({query}) to '{tmp / 'data.parquet'}' (format parquet)")
            _swap(tmp, out_dir / name)
    finally:
        con.close()
    return counts


def _swap(new: Path, final: Path) -> None:
    """Replace ``final`` with ``new`` by renames; the old copy is removed last."""
    old = final.with_name(f".{final.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if final.exists():
        final.rename(old)
    new.rename(final)
    if old.exists():
        shutil.rmtree(old)
