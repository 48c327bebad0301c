"""Export: the warehouse as one Excel workbook, a sheet per curated table and view.

The same tables as the curated parquet (``export/parquet.TABLES``) plus the
budget view, with Chinese column headers (``reference/column_labels.yaml``),
numbers as numbers, a frozen header row and widths that fit the values.
"""

from __future__ import annotations

from pathlib import Path

from jixiao.export.formats import write_workbook
from jixiao.export.parquet import TABLES
from jixiao.load import warehouse

SHEETS: dict[str, str] = {
    **{name: query for name, (query, _) in TABLES.items()},
    "budget": "select * from v_budget",
}


def export_workbook(db_path: str | Path, out: str | Path) -> dict[str, int]:
    """Write every sheet into the workbook ``out`` (replaced whole); returns rows per sheet."""
    con = warehouse.connect(db_path, read_only=True)
    try:
        frames = {name: con.execute(query).df() for name, query in SHEETS.items()}
    finally:
        con.close()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    write_workbook(frames, tmp)
    tmp.replace(out)
    return {name: len(df) for name, df in frames.items()}
