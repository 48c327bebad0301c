"""Build the same sample reports as Word, Excel and HTML (``tests/fixtures/formats/``).

Run from anywhere::

    .venv/bin/python tools/make_formats.py

* ``huangpu-2022.xlsx``: the very workbook ``tools/make_samples.py`` exports to
  ``data/raw/samples/huangpu-2022.pdf`` (seed 001);
* ``huangpu-2022.docx`` and ``huangpu-2022.html``: that workbook's cells and merged
  ranges as one Word table / one HTML table, numbers as the sheet displays them;
* ``panyu-2023.docx``, ``baiyun-2022.docx``: the Word files ``make_samples.py``
  exports to the sample PDFs of seeds 004 and 003 (narrative + attached 自评表).

Each pair (this file, the sample PDF) must give the same facts: ``tests/test_formats.py``.
Needs python-docx and openpyxl only (no LibreOffice).
"""

from __future__ import annotations

import html
import sys
import types
from pathlib import Path

from docx import Document
from docx.shared import Pt
from openpyxl import load_workbook

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
# make_samples imports img2pdf for the scanned sample only; nothing here uses it
sys.modules.setdefault("img2pdf", types.ModuleType("img2pdf"))

from make_samples import (  # noqa: E402
    HUANGPU_TITLE,
    build_baiyun_docx,
    build_huangpu_xlsx,
    build_panyu_2023_docx,
)

sys.path.insert(0, str(HERE.parent / "src"))
from jixiao.extract.formats.xlsx import display_text  # noqa: E402

OUT = HERE.parent / "tests" / "fixtures" / "formats"


def sheet_cells(path: Path) -> tuple[list[list[str]], list[tuple[int, int, int, int]]]:
    """The first sheet's displayed texts (1-based rectangle from A1) and merged ranges."""
    ws = load_workbook(path).active
    rows = [
        [
            "" if c.value is None else display_text(c.value, c.number_format)
            for c in ws[r][: ws.max_column]
        ]
        for r in range(1, ws.max_row + 1)
    ]
    merges = [(m.min_row, m.min_col, m.max_row, m.max_col) for m in ws.merged_cells.ranges]
    return rows, merges


def write_docx(rows: list[list[str]], merges, path: Path) -> None:
    doc = Document()
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text:
                run = table.cell(r, c).paragraphs[0].add_run(text)
                run.font.size = Pt(8)
    for r1, c1, r2, c2 in merges:
        keep = rows[r1 - 1][c1 - 1]
        merged = table.cell(r1 - 1, c1 - 1).merge(table.cell(r2 - 1, c2 - 1))
        # python-docx joins the texts of merged cells: the others are empty here
        assert merged.text.strip() == keep.strip(), (merged.text, keep)
    doc.save(path)


def write_html(rows: list[list[str]], merges, path: Path, title: str) -> None:
    covered = set()
    spans = {}
    for r1, c1, r2, c2 in merges:
        spans[(r1, c1)] = (r2 - r1 + 1, c2 - c1 + 1)
        covered |= {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)} - {(r1, c1)}
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title></head>",
        '<body><div class="nav">首页 &gt; 政府信息公开 &gt; 财政信息</div>',
        '<div class="article"><table border="1" cellspacing="0">',
    ]
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, text in enumerate(row, start=1):
            if (r, c) in covered:
                continue
            rs, cs = spans.get((r, c), (1, 1))
            attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
            cells.append(f"<td{attrs}>{html.escape(text).replace(chr(10), '<br>')}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out += ["</table></div>", "<div class='footer'>主办单位：某区人民政府办公室</div>"]
    out.append("</body></html>")
    path.write_text("\n".join(out), encoding="utf-8")


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    xlsx = OUT / "huangpu-2022.xlsx"
    build_huangpu_xlsx(xlsx)
    rows, merges = sheet_cells(xlsx)
    write_docx(rows, merges, OUT / "huangpu-2022.docx")
    write_html(rows, merges, OUT / "huangpu-2022.html", HUANGPU_TITLE.replace(" ", ""))
    build_panyu_2023_docx(OUT / "panyu-2023.docx")
    build_baiyun_docx(OUT / "baiyun-2022.docx")
    for path in sorted(OUT.iterdir()):
        print(f"{path.name}: {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
