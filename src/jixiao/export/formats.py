"""Query results out of the command line: a table on screen, CSV, JSON, Excel or parquet.

``write_frame`` is what ``jixiao sql``, ``compare`` and ``checks`` call with
``--format`` and ``--out``; ``write_workbook`` writes one Excel workbook with a
sheet per frame (``jixiao export --format xlsx`` too). Values keep their type:
numbers stay numbers in CSV, JSON, Excel and parquet (exact decimals become
floats only in JSON and Excel, which have no decimal type).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import sys
from decimal import Decimal
from functools import cache
from pathlib import Path

import pandas as pd

FORMATS = ("table", "csv", "json", "xlsx", "parquet")
BINARY = {"xlsx", "parquet"}  # need --out: not for a terminal


class OutputError(Exception):
    """An output that cannot be written as asked (e.g. Excel to a terminal)."""


@cache
def column_labels() -> dict[str, str]:
    """Column name → Chinese header (``reference/column_labels.yaml``)."""
    from jixiao.reference import load_yaml

    return dict(load_yaml("column_labels.yaml")["labels"])


def write_frame(
    df: pd.DataFrame,
    fmt: str = "table",
    out: str | Path | None = None,
    *,
    title: str | None = None,
    sheet: str = "data",
) -> None:
    """Write ``df`` as ``fmt`` to ``out`` (a file) or standard output.

    Raises:
        OutputError: xlsx or parquet without ``out``, or an unknown format.
    """
    if fmt not in FORMATS:
        raise OutputError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    if fmt in BINARY and out is None:
        raise OutputError(f"--format {fmt} writes a file: give --out FILE")
    if fmt == "table":
        from rich.console import Console

        from jixiao.summary import print_frame

        if out is None:
            print_frame(df, title=title)
        else:
            with open(out, "w", encoding="utf-8") as fh:
                print_frame(df, title=title, to=Console(file=fh, width=200, color_system=None))
    elif fmt == "csv":
        _write_text(out, df.to_csv(index=False))
    elif fmt == "json":
        rows = [
            {str(k): _json_value(v) for k, v in zip(df.columns, row, strict=True)}
            for row in df.itertuples(index=False)
        ]
        _write_text(out, json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
    elif fmt == "xlsx":
        write_workbook({sheet: df}, out)
    else:
        df.to_parquet(out, index=False)


def _write_text(out: str | Path | None, text: str) -> None:
    if out is None:
        sys.stdout.write(text)
    else:
        Path(out).write_text(text, encoding="utf-8")


def _json_value(v):
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NaT:
        return None
    if isinstance(v, Decimal):
        return None if v.is_nan() else float(v)
    if isinstance(v, dt.datetime | dt.date | pd.Timestamp):
        return v.isoformat()
    if hasattr(v, "item"):  # numpy scalars
        return v.item()
    return v


def write_workbook(frames: dict[str, pd.DataFrame], out: str | Path) -> None:
    """One Excel workbook, a sheet per frame: Chinese headers, frozen, numbers as numbers.

    Column widths follow the longest value (CJK characters count double), capped at 60.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    labels = column_labels()
    wb = Workbook()
    wb.remove(wb.active)
    for name, df in frames.items():
        ws = wb.create_sheet(title=_sheet_title(name))
        headers = [labels.get(str(c), str(c)) for c in df.columns]
        ws.append(headers)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        widths = [_display_width(h) for h in headers]
        for row in df.itertuples(index=False):
            values = [_cell_value(v) for v in row]
            ws.append(values)
            for i, v in enumerate(values):
                if v is not None:
                    widths[i] = max(widths[i], _display_width(_shown(v)))
        ws.freeze_panes = "A2"
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = min(width + 2, 60)
        if len(df.columns):
            ws.auto_filter.ref = ws.dimensions
    if not frames:
        wb.create_sheet(title="empty")
    buffer = io.BytesIO()
    wb.save(buffer)
    Path(out).write_bytes(buffer.getvalue())


def _sheet_title(name: str) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet title."""
    for bad in "[]:*?/\\":
        name = name.replace(bad, "_")
    return name[:31] or "sheet"


def _cell_value(v):
    if v is None or v is pd.NaT or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, Decimal):
        return None if v.is_nan() else float(v)
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    if hasattr(v, "item") and not isinstance(v, str | bytes):  # numpy scalars
        return v.item()
    if isinstance(v, list | dict | tuple):
        return json.dumps(v, ensure_ascii=False, default=str)
    return v


def _shown(v) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def _display_width(text: str) -> int:
    """Characters on screen: CJK and full-width characters take two columns."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in str(text))
