"""An Excel workbook (.xlsx, .xlsm) → a layer: one grid per sheet, cells exact.

openpyxl reads it read-only, with the values Excel last calculated
(``data_only``) and never its macros (openpyxl cannot run VBA; a .xlsm's
``vbaProject.bin`` is not even read). A number is shown as the sheet shows it
(its number format: ``#,##0.00``, ``0.00%``), the way a PDF export prints it.
Merged ranges give the top edges (rows a label spans), exactly.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from decimal import Decimal
from pathlib import Path

from jixiao.errors import DamagedDocument, DocumentTooLarge
from jixiao.extract.formats.layer import Layer
from jixiao.extract.formats.package import check_package
from jixiao.extract.tables.grid import Grid
from jixiao.formats import is_macro_enabled
from jixiao.model import CheckResult

MAX_CELLS = 100_000  # non-empty cells per workbook: a 自评表 has a few hundred
_FIXED = re.compile(r"^(#,##)?0(\.(0+))?(%?)$")


def read_xlsx(path: str | Path) -> Layer:
    """Every sheet's used range as a grid (page = sheet number), rows also as text lines.

    Raises:
        ZipBomb, DocumentTooLarge: the package or its sheets exceed the limits.
        DamagedDocument: openpyxl cannot read the workbook (malformed XML, missing parts).
    """
    from lxml import etree
    from openpyxl import load_workbook

    check_package(path)
    layer = Layer("xlsx")
    if is_macro_enabled(path):
        layer.checks.append(
            CheckResult(
                "macros_not_run",
                "document",
                "warning",
                True,
                observed="a VBA project (macro-enabled workbook)",
                expected="cell values only",
                detail="the workbook carries macros; they were neither read nor run",
            )
        )
    cells_seen = 0
    try:
        with open(path, "rb") as f:  # a file object: openpyxl would refuse a name ending .pdf
            wb = load_workbook(f, read_only=True, data_only=True, keep_vba=False, keep_links=False)
            try:
                for number, ws in enumerate(wb.worksheets, start=1):
                    if not hasattr(ws, "iter_rows"):
                        continue  # a chart sheet
                    width, height = ws.max_column or 0, ws.max_row or 0
                    if width * height > MAX_CELLS:
                        raise DocumentTooLarge(
                            f"document too large: sheet {ws.title} spans {height} rows × "
                            f"{width} columns, more than {MAX_CELLS} cells"
                        )
                    grid, n = _sheet_grid(ws, number, etree, MAX_CELLS - cells_seen)
                    cells_seen += n
                    if grid is not None:
                        layer.add_grid(grid)
            finally:
                wb.close()
    except (DocumentTooLarge, MemoryError):
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, etree.LxmlError) as e:
        raise DamagedDocument(
            f"damaged workbook: openpyxl cannot read it ({type(e).__name__}: {e})"
        ) from e
    except Exception as e:  # openpyxl raises many types on malformed parts
        if type(e).__module__.startswith(("openpyxl", "xml", "lxml")):
            raise DamagedDocument(
                f"damaged workbook: openpyxl cannot read it ({type(e).__name__}: {e})"
            ) from e
        raise
    return layer


def _sheet_grid(ws, number: int, etree, budget: int) -> tuple[Grid | None, int]:
    """The sheet's non-empty rectangle as a grid; merged ranges → top edges.

    Raises:
        DocumentTooLarge: more than ``budget`` non-empty cells (what is left of
            the workbook's ``MAX_CELLS``).
    """
    from openpyxl.utils import get_column_letter

    cells: dict[tuple[int, int], str] = {}
    n = 0
    for row in ws.iter_rows():
        for cell in row:
            if getattr(cell, "value", None) is None:
                continue
            n += 1
            if n > budget:
                raise DocumentTooLarge(
                    f"document too large: more than {MAX_CELLS} non-empty cells "
                    f"(sheet {ws.title} reached row {cell.row})"
                )
            text = display_text(cell.value, getattr(cell, "number_format", "General"))
            if text.strip():
                cells[(cell.row, cell.column)] = text
    if not cells:
        return None, n
    r0, r1 = min(r for r, _ in cells), max(r for r, _ in cells)
    c0, c1 = min(c for _, c in cells), max(c for _, c in cells)
    rows = [[cells.get((r, c), "") for c in range(c0, c1 + 1)] for r in range(r0, r1 + 1)]
    edges = [[True] * len(rows[0]) for _ in rows]
    for a_row, a_col, b_row, b_col in _merged_ranges(ws, etree):
        for r in range(max(a_row + 1, r0), min(b_row, r1) + 1):
            for c in range(max(a_col, c0), min(b_col, c1) + 1):
                edges[r - r0][c - c0] = False
    refs = [
        [f"{ws.title}!{get_column_letter(c)}{r}" for c in range(c0, c1 + 1)]
        for r in range(r0, r1 + 1)
    ]
    area = f"{get_column_letter(c0)}{r0}:{get_column_letter(c1)}{r1}"
    grid = Grid(
        page=number,
        rows=rows,
        top_edges=edges,
        flavor="xlsx",
        parsing_report={"accuracy": 100.0, "whitespace": 0.0},
        columns=[(float(c), float(c + 1)) for c in range(c0, c1 + 1)],
        cell_refs=refs,
        location=f"sheet {ws.title} {area}",
    )
    return grid, n


def _merged_ranges(ws, etree) -> list[tuple[int, int, int, int]]:
    """The sheet's merged ranges (read from its XML: read-only sheets do not keep them)."""
    from openpyxl.utils.cell import range_boundaries

    out = []
    with ws._get_source() as src:
        for _event, el in etree.iterparse(src, events=("end",), tag="{*}mergeCell",
                                          resolve_entities=False, no_network=True):  # fmt: skip
            ref = el.get("ref")
            if ref:
                c1, r1, c2, r2 = range_boundaries(ref)
                out.append((r1, c1, r2, c2))
            el.clear()
    return out


def display_text(value: object, number_format: str = "General") -> str:
    """A cell's value as the sheet displays it (fixed decimals, thousands, percent)."""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, int | float):
        m = _FIXED.match(str(number_format or "").replace('"', ""))
        exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if m:
            places = len(m.group(3) or "")
            if m.group(4):
                exact *= 100
            quantized = exact.quantize(Decimal(1).scaleb(-places))
            text = f"{quantized:,}" if m.group(1) else f"{quantized}"
            return text + m.group(4)
        if exact == exact.to_integral_value():
            return str(int(exact))
        return format(exact.normalize(), "f")
    return str(value)
