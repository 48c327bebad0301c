"""Regenerate the sample PDF corpus in ``data/raw/samples/`` from the five seed reports.

Run from anywhere::

    /work/main/.venv/bin/python tools/make_samples.py

It rewrites every PDF in ``data/raw/samples/`` and ``sources/samples.yaml`` (with fresh
sha256 values: LibreOffice stamps creation dates and document ids into each PDF, so the
hashes change on every run even when the content does not).

What it needs
-------------
* LibreOffice Writer and Calc (``soffice --headless``; Debian: libreoffice-writer,
  libreoffice-calc). Written against LibreOffice 7.4.
* Debian's ``fonts-noto-cjk`` (Noto Serif CJK SC / Noto Sans CJK SC), embedded by
  LibreOffice's PDF export.
* poppler-utils (``pdftoppm`` rasterizes the page images of the scanned sample,
  ``pdfinfo`` checks page counts).
* The project's ``samples`` extra: python-docx, openpyxl, img2pdf, pillow (numpy comes
  with pandas, a main dependency).

What it makes (the text comes from ``tests/fixtures/seeds/``, the score tables from
``tools/samples/huangpu-2022.csv`` and the literals below)
---------------------------------------------------------
* ``huangpu-2022.pdf``: seed 001 as an .xlsx (openpyxl) exported by Calc: one ruled table
  over two A4 landscape pages, merged 一级/二级 cells, header repeated on page 2, and the
  管理效率 label printed only in the page-2 part of its cell.
* ``potou-2022.pdf``: seed 002, narrative, .docx (python-docx) exported by Writer.
* ``baiyun-2022.pdf``: seed 003, narrative + attached 自评表 (Word table, 99.5).
* ``panyu-2023.pdf``: seed 004, narrative (wrapped lines re-joined) + attached 自评表 (94.4).
* ``panyu-2024-scan.pdf``: seed 000 rendered, rasterized and degraded into an image-only PDF.
"""

from __future__ import annotations

import csv
import hashlib
import io
import random
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.properties import PageSetupProperties
from PIL import Image, ImageFilter

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "tests" / "fixtures" / "seeds"
DATA = Path(__file__).resolve().parent / "samples"
OUT = ROOT / "data" / "raw" / "samples"
MANIFEST = ROOT / "sources" / "samples.yaml"

SERIF = "Noto Serif CJK SC"  # stands in for 仿宋/宋体
SANS = "Noto Sans CJK SC"  # stands in for 黑体/等线

TERMINAL = "。：；！？:;"


# --------------------------------------------------------------------------- helpers


def seed_text(number: str) -> str:
    """The text of seed ``number`` (e.g. ``"001"``) from tests/fixtures/seeds/."""
    (path,) = SEEDS.glob(f"{number}_*.txt")
    return path.read_text(encoding="utf-8")


def display_width(text: str) -> int:
    """Width in half-width cells: CJK and full-width characters count 2."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def soffice_to_pdf(src: Path, outdir: Path) -> Path:
    """Convert ``src`` (.docx/.xlsx) to PDF with LibreOffice, in a private profile."""
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(outdir),
                str(src),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
    pdf = outdir / (src.stem + ".pdf")
    if not pdf.exists():
        raise RuntimeError(f"LibreOffice did not produce {pdf}")
    return pdf


def page_count(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    return int(re.search(r"^Pages:\s+(\d+)", out.stdout, re.M).group(1))


def fmt(x: float) -> str:
    """A score as printed: 20, 17.5, 0.82."""
    return f"{x:g}"


# --------------------------------------------------------------------------- score tables


@dataclass(frozen=True)
class ScoreRow:
    """One level-3 row of a 自评表."""

    l1: str
    w1: float
    l2: str
    w2: float
    l3: str
    w3: float
    score: float
    explanation: str = ""
    reason: str = ""
    measure: str = ""


def huangpu_rows() -> list[ScoreRow]:
    """The 26 level-3 rows of seed 001, as printed (tools/samples/huangpu-2022.csv)."""
    with (DATA / "huangpu-2022.csv").open(encoding="utf-8") as f:
        rows = [
            ScoreRow(
                l1=r["一级指标"],
                w1=float(r["一级分值"]),
                l2=r["二级指标"],
                w2=float(r["二级分值"]),
                l3=r["三级指标"],
                w3=float(r["分值"]),
                score=float(r["得分"]),
                explanation=r["指标解释"],
                reason=r["未达标原因"],
                measure=r["改进措施"],
            )
            for r in csv.DictReader(f)
        ]
    seed = seed_text("001")
    for r in rows:  # the CSV is a transcription: every text must be the seed's, verbatim
        for text in (r.l3, r.explanation, r.reason, r.measure):
            if text not in seed:
                raise ValueError(f"huangpu-2022.csv: not in seed 001: {text!r}")
    return rows


def management_rows(l1: str, deductions: dict[str, tuple[float, str]]) -> list[ScoreRow]:
    """The 22 named 管理效率 rows of 黄埔 (采购意向公开合规性 weighted 2), full marks
    except ``deductions``: {三级指标: (score, 扣分原因)}."""
    rows = []
    for r in huangpu_rows():
        if r.l1 != "管理效率" or not r.l3:
            continue
        w3 = 2.0 if r.l3 == "采购意向公开合规性" else r.w3
        score, reason = deductions.get(r.l3, (w3, ""))
        rows.append(replace(r, l1=l1, w3=w3, score=score, reason=reason))
    return rows


BAIYUN_ROWS = [
    ScoreRow("履职效能", 50, "整体效能", 50, "部门整体绩效目标产出指标完成情况", 20, 20),
    ScoreRow("履职效能", 50, "整体效能", 50, "部门整体绩效目标效益指标完成情况", 20, 20),
    ScoreRow("履职效能", 50, "整体效能", 50, "部门整体绩效目标满意度指标完成情况", 10, 10),
    *management_rows(
        "管理效率",
        {
            "绩效管理制度建设": (
                4.5,
                "绩效管理制度建设有待完善，对下属事业单位绩效目标管理、"
                "绩效运行监控的制度建设不够健全，扣0.5分。",
            )
        },
    ),
]

PANYU_2023_ROWS = [
    ScoreRow("履职效能", 50, "整体效能", 25, "部门整体绩效目标产出指标完成情况", 10, 10),
    ScoreRow("履职效能", 50, "整体效能", 25, "部门整体绩效目标效益指标完成情况", 10, 10),
    ScoreRow(
        "履职效能",
        50,
        "整体效能",
        25,
        "部门预算资金支出率",
        5,
        4.4,
        reason="预算支出执行进度为87.19%，按执行进度比例计分，扣0.6分。",
    ),
    ScoreRow("履职效能", 50, "专项效能", 25, "专项资金绩效目标完成情况", 25, 25),
    *management_rows(
        "管理效能",
        {
            "绩效管理制度建设": (
                2,
                "对本级和下属单位绩效目标管理、绩效运行监控、绩效评价管理和评价结果"
                "应用等预算绩效管理制度的建设仍有待提高，扣3分。",
            ),
            "绩效管理制度执行": (
                5,
                "对下属单位绩效目标管理、绩效运行监控、绩效评价管理等制度的执行情况"
                "仍有待提高，扣2分。",
            ),
        },
    ),
]


def check_table(rows: list[ScoreRow], total: float, level1: dict[str, float]) -> None:
    """Assert the sums a reader (and the pipeline) will check."""
    assert round(sum(r.w3 for r in rows), 6) == 100, "level-3 weights must sum to 100"
    assert round(sum(r.score for r in rows), 6) == total, f"scores must sum to {total}"
    for l1, want in level1.items():
        got = round(sum(r.score for r in rows if r.l1 == l1), 6)
        assert got == want, f"{l1}: {got} != {want}"
    for key in {(r.l1, r.l2) for r in rows}:
        group = [r for r in rows if (r.l1, r.l2) == key]
        assert round(sum(r.w3 for r in group), 6) == group[0].w2, f"{key} weights"
    for l1 in {r.l1 for r in rows}:
        group = [r for r in rows if r.l1 == l1]
        assert round(sum(r.w3 for r in group), 6) == group[0].w1, f"{l1} weights"


def spans(values: list[str]) -> list[tuple[int, int]]:
    """(start, end) index ranges (inclusive) of equal consecutive values."""
    out, start = [], 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[start]:
            out.append((start, i - 1))
            start = i
    return out


# --------------------------------------------------------------------------- 黄埔 (xlsx)

HUANGPU_TITLE = (
    "2022年度广州市黄埔区政务服务数据管理局（广州开发区行政审批局） 部门整体支出绩效自评表"
)
HUANGPU_HEADER = [
    "一级指标", "分值", "二级指标", "分值", "三级指标", "分值",
    "指标解释", "得分/自评分", "未达标原因", "改进措施",
]  # fmt: skip
HUANGPU_WIDTHS = [8, 8.5, 8, 5, 18, 7, 44, 8, 36, 30]  # columns A..J, in characters
HUANGPU_FONT = 9  # pt; the sheet is scaled to the page width anyway
LAST_PAGE1_ROW = "绩效管理制度建设"
GRADE = "√优 90分≤得分≤100分； □良 80分≤得分<90分； □中 60分≤得分<80分； □差 得分<60分"


def huangpu_info() -> dict[str, str]:
    """The 部门基本情况 cells of seed 001, read from the seed itself."""
    cells = {}
    for line in seed_text("001").splitlines():
        parts = line.split("\t")
        if parts[0] == "部门名称":
            cells["name"], cells["units"] = parts[1], parts[6]
        elif parts[0] == "年度整体绩效目标":
            cells["goal"], cells["done"] = parts[1], parts[6]
    return cells


def build_huangpu_xlsx(path: Path) -> None:
    """Seed 001 as a one-sheet workbook laid out like the published 自评表.

    The score table is split by a manual page break after 绩效管理制度建设. The header row
    is repeated physically after the break, and the 管理效率 and 绩效管理 cells are two
    merged ranges each: an empty one closing page 1 and a labelled one on page 2, which is
    what the published PDF shows.
    """
    rows = huangpu_rows()
    check_table(rows, 94.2, {"履职效能": 46.38, "管理效率": 47.82})
    info = huangpu_info()
    wb = Workbook()
    ws = wb.active
    ws.title = "部门整体支出绩效自评表"
    thin = Side(style="thin", color="000000")
    grid = Border(left=thin, right=thin, top=thin, bottom=thin)
    base = Font(name=SANS, size=HUANGPU_FONT)
    bold = Font(name=SANS, size=HUANGPU_FONT, bold=True)
    small = Font(name=SANS, size=8)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    top = Alignment(horizontal="center", vertical="top", wrap_text=True)
    ncol = len(HUANGPU_HEADER)

    for i, width in enumerate(HUANGPU_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width

    def put(row: int, col: int, value: object, *, font: Font = base, align=center) -> None:
        cell = ws.cell(row=row, column=col, value=value)
        cell.font, cell.alignment = font, align

    def merge(r1: int, c1: int, r2: int, c2: int) -> None:
        if (r1, c1) != (r2, c2):
            ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)

    # title (no grid), then the 部门基本情况 and budget blocks
    put(1, 1, HUANGPU_TITLE, font=Font(name=SANS, size=16, bold=True))
    merge(1, 1, 1, ncol)
    ws.row_dimensions[1].height = 36
    put(2, 1, "部门基本情况", font=bold, align=left)
    merge(2, 1, 2, ncol)
    put(3, 1, "部门名称", font=bold)
    put(3, 2, info["name"], align=left)
    merge(3, 2, 3, 5)
    put(3, 6, "单位数：", font=bold)
    put(3, 7, int(info["units"]), align=left)
    merge(3, 7, 3, ncol)
    put(4, 1, "年度整体绩效目标", font=bold)
    put(4, 2, info["goal"], font=small, align=Alignment(vertical="top", wrap_text=True))
    merge(4, 2, 4, 5)
    put(4, 6, "整体绩效目标完成情况", font=bold)
    put(4, 7, info["done"], font=small, align=Alignment(vertical="top", wrap_text=True))
    merge(4, 7, 4, 9)
    put(4, 10, "未能完成原因", font=bold)

    put(5, 1, "年度部门预算情况", font=bold)
    merge(5, 1, 8, 1)
    put(5, 2, "总预算 (万元)", font=bold)
    merge(5, 2, 7, 2)
    put(5, 3, "年度预算资金类别", font=bold)
    merge(5, 3, 5, ncol)
    for c1, c2, label in [(3, 4, "部门预算"), (5, 6, "事业发展支出"),
                          (7, 8, "事业发展支出(按预算级次划分)"), (9, 10, "")]:  # fmt: skip
        put(6, c1, label, font=bold)
        merge(6, c1, 6, c2)
    for col, label in enumerate(
        ["基本支出", "项目支出", "专项资金", "其他事业发展支出", "区本级资金", "对下转移支付"],
        start=3,
    ):
        put(7, col, label, font=bold)
    merge(7, 9, 7, 10)
    for col, value, number_format in [
        (2, 11887.73, "#,##0.00"), (3, 3308.06, "0.00"), (4, 8579.68, "0.00"),
        (5, 0, "0.00"), (6, 0, "0.00"), (7, 0, "0.00"), (8, 0, "0.00"),
    ]:  # fmt: skip
        put(8, col, value)
        ws.cell(row=8, column=col).number_format = number_format
    merge(8, 9, 8, 10)

    # the score table, in two parts
    split = next(i for i, r in enumerate(rows) if r.l3 == LAST_PAGE1_ROW) + 1
    parts = [rows[:split], rows[split:]]
    row = 9
    for part_no, part in enumerate(parts):
        for col, label in enumerate(HUANGPU_HEADER, start=1):
            put(row, col, label, font=bold)
        first = row + 1
        for i, r in enumerate(part):
            n = first + i
            values = [None, None, None, None, r.l3 or None, r.w3, r.explanation or None,
                      r.score, r.reason or None, r.measure or None]  # fmt: skip
            for col, value in enumerate(values, start=1):
                put(n, col, value, align=left if col in (7, 9, 10) else center)
        # merged 一级 and 二级 cells. On page 1 the management rows sit under an empty
        # 一级 cell, and 绩效管理's first row under an empty 二级 cell: the labels are
        # printed in the page-2 part only.
        for key, cols in [(lambda r: r.l1, (1, 2)), (lambda r: (r.l1, r.l2), (3, 4))]:
            for a, b in spans([key(r) for r in part]):
                r = part[a]
                label = (r.l1, r.w1) if cols == (1, 2) else (r.l2, r.w2)
                continues = (
                    part_no == 0
                    and b == len(part) - 1
                    and parts[1]
                    and (key(parts[1][0]) == key(r))
                )
                for col, value in zip(cols, label, strict=True):
                    if not continues:  # labels sit at the top of their merged cell
                        put(first + a, col, value, align=top)
                    merge(first + a, col, first + b, col)
        row = first + len(part)
        if part_no == 0:
            ws.row_breaks.append(Break(id=row - 1))
    total_row = row
    put(total_row, 1, "总分", font=bold)
    put(total_row, 2, 100, font=bold)
    merge(total_row, 3, total_row, 7)
    put(total_row, 8, 94.2, font=bold)
    merge(total_row, 9, total_row, ncol)
    put(total_row + 1, 1, "评价等级", font=bold)
    put(total_row + 1, 2, GRADE, align=left)
    merge(total_row + 1, 2, total_row + 1, ncol)

    fit_row_heights(ws, HUANGPU_WIDTHS)
    for r in range(2, total_row + 2):
        for c in range(1, ncol + 1):
            ws.cell(row=r, column=c).border = grid

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.4
    ws.page_margins.header = ws.page_margins.footer = 0.2
    ws.print_area = f"A1:{get_column_letter(ncol)}{total_row + 1}"
    wb.save(path)


def fit_row_heights(ws, widths: list[float]) -> None:
    """Set every row's height from its wrapped text.

    Calc does not auto-fit rows of an imported .xlsx reliably (never for merged cells),
    so estimate: a column of width w holds about 0.95*w half-width cells of 9 pt text;
    a line of Noto CJK is about 1.45 em high.
    """
    merged_width = {}
    skip = set()
    for rng in ws.merged_cells.ranges:
        if rng.min_row == rng.max_row:
            merged_width[(rng.min_row, rng.min_col)] = sum(widths[rng.min_col - 1 : rng.max_col])
        else:
            skip.add((rng.min_row, rng.min_col))  # tall labels: short text, fits
    for row in ws.iter_rows(min_row=1, max_row=ws.max_row):
        height = 0.0
        for cell in row:
            if cell.value is None or (cell.row, cell.column) in skip:
                continue
            width = merged_width.get((cell.row, cell.column), widths[cell.column - 1])
            size = cell.font.size or HUANGPU_FONT
            per_line = max(1.0, 0.95 * width * HUANGPU_FONT / size)
            text = str(cell.value)
            lines = max(1, -(-display_width(text) // int(per_line)))
            height = max(height, lines * size * 1.45 + 5)
        ws.row_dimensions[row[0].row].height = round(max(height, 18), 1)


# --------------------------------------------------------------------------- docx helpers


def set_run_font(run, name: str, size: float | None = None, bold: bool | None = None) -> None:
    """Set Latin and East-Asian font of a run (python-docx only sets the Latin one)."""
    run.font.name = name
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.font.bold = bold


def new_document(size: float = 16, line: float = 28) -> Document:
    """An A4 document set up like a government report (GB/T 9704-ish margins)."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    normal.font.name = SERIF
    normal.font.size = Pt(size)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), SERIF)
    pf = normal.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(line)
    pf.space_before = pf.space_after = Pt(0)
    pf.widow_control = False
    add_page_number(section)
    return doc


def add_page_number(section) -> None:
    """A centered '— N —' page number in the footer, as on printed reports."""
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    set_run_font(p.add_run("— "), SERIF, 12)
    run = p.add_run()
    set_run_font(run, SERIF, 12)
    for tag, text in [("begin", None), (None, "PAGE"), ("end", None)]:
        if tag:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), tag)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._element.append(el)
    set_run_font(p.add_run(" —"), SERIF, 12)


def add_paragraph(doc, text: str, kind: str = "p", size: float | None = None, *, page_break=False):
    """Add one paragraph. ``kind``: title (22 pt unless ``size``), h1 (黑体), h2/h3 (bold
    serif), p (indented body), plain (no indent), cont (body continuing from the previous
    page: no indent); body ``size`` 16 pt (三号) unless given. ``**bold**`` spans become
    bold runs."""
    p = doc.add_paragraph()
    pf = p.paragraph_format
    pf.page_break_before = page_break
    font, bold = SERIF, False
    if kind != "title":
        size = size or 16
    if kind == "title":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        font, bold, size = SERIF, True, size or 22
        pf.line_spacing = Pt(36)
    elif kind == "h1":
        font = SANS
        pf.first_line_indent = Pt(2 * size)
    elif kind in ("h2", "h3"):
        bold = True
        pf.first_line_indent = Pt(2 * size)
    elif kind == "p":
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        pf.first_line_indent = Pt(2 * size)
    elif kind == "cont":
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    for i, piece in enumerate(re.split(r"\*\*", text)):
        if piece:
            set_run_font(p.add_run(piece), font, size, bold or i % 2 == 1)
    return p


def add_score_table(doc, header: list[str], rows: list[ScoreRow], total: float) -> None:
    """A Word 自评表: ruled grid, merged 一级/二级 cells, repeated header row."""
    widths = [Mm(w) for w in (19, 12, 19, 12, 38, 12, 15, 29)]  # 156 mm: the text width
    table = doc.add_table(rows=1 + len(rows) + 1, cols=len(header))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False

    def put(r: int, c: int, text: str, *, bold=False, align=WD_ALIGN_PARAGRAPH.CENTER):
        cell = table.cell(r, c)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        p = cell.paragraphs[0]
        p.alignment = align
        pf = p.paragraph_format
        pf.first_line_indent = Pt(0)
        pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
        if text:
            set_run_font(p.add_run(text), SERIF, 10, bold)

    for c, label in enumerate(header):
        put(0, c, label, bold=True)
    for n, row in enumerate(table.rows):  # rows never split; the header row repeats
        tr_pr = row._tr.get_or_add_trPr()
        for tag in ("w:cantSplit", "w:tblHeader") if n == 0 else ("w:cantSplit",):
            el = OxmlElement(tag)
            el.set(qn("w:val"), "true")
            tr_pr.append(el)
    for i, r in enumerate(rows, start=1):
        put(i, 4, r.l3, align=WD_ALIGN_PARAGRAPH.LEFT)
        put(i, 5, fmt(r.w3))
        put(i, 6, fmt(r.score))
        put(i, 7, r.reason, align=WD_ALIGN_PARAGRAPH.LEFT)
    for key, cols in [(lambda r: r.l1, (0, 1)), (lambda r: (r.l1, r.l2), (2, 3))]:
        for a, b in spans([key(r) for r in rows]):
            r = rows[a]
            label = (r.l1, fmt(r.w1)) if cols == (0, 1) else (r.l2, fmt(r.w2))
            for col, value in zip(cols, label, strict=True):
                cell = table.cell(a + 1, col)
                if b > a:
                    cell = cell.merge(table.cell(b + 1, col))
                put(a + 1, col, value)
    last = len(rows) + 1
    put(last, 0, "总分", bold=True)
    put(last, 1, "100", bold=True)
    table.cell(last, 2).merge(table.cell(last, 5))
    put(last, 6, fmt(total), bold=True)
    for c, column in enumerate(table.columns):  # w:gridCol, which Writer uses
        column.width = widths[c]
    for row in table.rows:
        for c, cell in enumerate(row.cells):
            cell.width = widths[c]


# --------------------------------------------------------------------------- narratives


HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d+[.、．]|[（(]\d+[)）])"
)


def heading_kind(text: str) -> str | None:
    """h1/h2/h3 for short heading-like blocks (一、 / （一） / 1.), else None."""
    plain = text.replace("**", "").strip()
    if len(plain) > 26 or (plain[-1] in TERMINAL and len(plain) > 12):
        return None
    if re.match(r"^[一二三四五六七八九十]+、", plain):
        return "h1"
    if re.match(r"^[（(][一二三四五六七八九十]+[)）]", plain):
        return "h2"
    if HEADING.match(plain) or plain[-1] not in TERMINAL:
        return "h3"
    return None


def paragraphs_from_blocks(text: str) -> list[str]:
    """Non-empty lines of a seed (one per paragraph, markdown list markers dropped); a
    long line that stops without punctuation was cut by a page break in the source PDF
    and is joined with the next one."""
    blocks = [b.strip() for b in text.splitlines() if b.strip()]
    out: list[str] = []
    carry = False
    for b in blocks:
        b = re.sub(r"^- ", "", b)
        if carry:
            out[-1] += b
        else:
            out.append(b)
        plain = b.replace("**", "")
        carry = not b.startswith("#") and len(plain) > 30 and plain[-1] not in TERMINAL
    return out


def build_potou_docx(path: Path) -> None:
    """Seed 002 (坡头区 2022): markdown headings become heading paragraphs."""
    doc = new_document()
    for block in paragraphs_from_blocks(seed_text("002")):
        m = re.match(r"^(#+)\s*(.*)$", block)
        if m:
            level, text = len(m.group(1)), m.group(2).replace("**", "").strip()
            if level == 1:
                add_paragraph(doc, text, "title")
                doc.add_paragraph()
                continue
            kind = "h1" if re.match(r"^[一二三四五六七八九十]+、", text) else "h2"
            add_paragraph(doc, text, kind)
        elif re.fullmatch(r"\*\*[^*]+\*\*", block.strip()):
            add_paragraph(doc, block.strip("* "), "h2")
        elif re.match(r"^(评价年度|评价单位|填报日期)：", block):
            add_paragraph(doc, block, "p")
            if block.startswith("填报日期"):
                doc.add_paragraph()
        else:
            add_paragraph(doc, block, "p")
    doc.save(path)


def build_narrative(doc, text: str, *, title_lines: int = 1) -> None:
    """Blocks of a seed as title, headings and body paragraphs."""
    paras = paragraphs_from_blocks(text)
    for t in paras[:title_lines]:
        add_paragraph(doc, t, "title")
    doc.add_paragraph()
    for t in paras[title_lines:]:
        add_paragraph(doc, t, heading_kind(t) or "p")


def build_baiyun_docx(path: Path) -> None:
    """Seed 003 (白云区 2022) and its 自评表 (99.5) on a new page."""
    check_table(BAIYUN_ROWS, 99.5, {"履职效能": 50, "管理效率": 49.5})
    doc = new_document()
    build_narrative(doc, seed_text("003"))
    add_paragraph(doc, "附件：2022年度部门整体支出绩效自评表", "h1", page_break=True)
    add_paragraph(doc, "填报单位：广州市白云区政务服务数据管理局", "plain", 12)
    header = ["一级指标", "分值", "二级指标", "分值", "三级指标", "分值", "自评得分", "扣分原因"]
    add_score_table(doc, header, BAIYUN_ROWS, 99.5)
    doc.save(path)


def rejoin_wrapped_lines(text: str) -> list[str]:
    """Seed 004 is one printed line per text line: rebuild the paragraphs.

    A printed line ends its paragraph when it is a heading, when the next line opens a
    numbered item or heading, or when it ends with 。/：/； and is visibly shorter than a
    full line (a full line is 52-56 half-width cells; a paragraph's first line is indented).
    """
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    marker = re.compile(
        r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.(?!\d)|（\d+）|[①-⑩])"
    )
    paras: list[str] = []
    current = ""
    for i, line in enumerate(lines):
        current += line
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        short_end = line[-1] in "。：；" and display_width(line) <= 49
        if (
            not nxt
            or (heading_kind(line) is not None and display_width(line) < 40)
            or marker.match(nxt)
            or short_end
            or current.endswith(PARAGRAPH_ENDS_004)
        ):
            paras.append(current)
            current = ""
    return paras


# printed lines of seed 004 that end a paragraph although they run (almost) full width
PARAGRAPH_ENDS_004 = ("有效提升财政资金使用效率和科学管理水平。",)


def build_panyu_2023_docx(path: Path) -> None:
    """Seed 004 (番禺区 2023), paragraphs re-joined, and its 自评表 (94.4) attached."""
    check_table(PANYU_2023_ROWS, 94.4, {"履职效能": 49.4, "管理效能": 45})
    paras = rejoin_wrapped_lines(seed_text("004"))
    doc = new_document()
    add_paragraph(doc, paras[0], "title")
    add_paragraph(doc, paras[1], "title")
    doc.add_paragraph()
    for t in paras[2:]:
        add_paragraph(doc, t, heading_kind(t) if len(t) < 26 else "p")
    add_paragraph(doc, "附件", "h1", page_break=True)
    add_paragraph(doc, paras[-1], "title", 16)
    add_paragraph(doc, "部门名称：广州市番禺区政务服务数据管理局", "plain", 12)
    header = ["一级指标", "分值", "二级指标", "分值", "三级指标", "分值", "评分", "扣分原因"]
    add_score_table(doc, header, PANYU_2023_ROWS, 94.4)
    doc.save(path)


def build_panyu_2024_docx(path: Path) -> None:
    """Seed 000 (番禺区 2024) as typed; the page break inside 增光添/彩 is kept."""
    text = seed_text("000").replace("增光添\n\n彩", "增光添\f彩")
    doc = new_document(size=15, line=26)
    chunks = text.split("\f")
    for n, chunk in enumerate(chunks):
        paras = paragraphs_from_blocks(chunk)
        for j, t in enumerate(paras):
            if n == 0 and j == 0:
                add_paragraph(doc, t, "title")
                continue
            kind = heading_kind(t) or "p"
            if n > 0 and j == 0:
                kind = "cont"
            add_paragraph(doc, t, kind, 15, page_break=n > 0 and j == 0)
    doc.save(path)


# --------------------------------------------------------------------------- scanning


def fake_scan(pdf: Path, out: Path, seed: int = 2024) -> None:
    """Rasterize ``pdf`` at 150 dpi grayscale, skew and speckle each page, JPEG it,
    and wrap the JPEGs into an image-only PDF (no text layer)."""
    import img2pdf  # here: only the scan needs it (the scale corpus imports this module)

    rng = random.Random(seed)
    noise = np.random.default_rng(seed)
    with tempfile.TemporaryDirectory(prefix="scan-") as tmp:
        subprocess.run(
            ["pdftoppm", "-r", "150", "-gray", "-png", str(pdf), f"{tmp}/page"], check=True
        )
        jpegs = []
        for png in sorted(Path(tmp).glob("page-*.png")):
            img = Image.open(png).convert("L")
            angle = rng.choice((-1, 1)) * rng.uniform(0.3, 0.6)
            img = img.rotate(angle, resample=Image.BICUBIC, fillcolor=255)
            img = img.filter(ImageFilter.GaussianBlur(0.6))
            arr = np.asarray(img, dtype=np.float32)
            arr = arr * 0.92 + 8 + noise.normal(0, 7, arr.shape)  # grey paper, sensor noise
            img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "L")
            buf = io.BytesIO()
            img.save(buf, "JPEG", quality=75, dpi=(150, 150))
            jpegs.append(buf.getvalue())

    out.write_bytes(img2pdf.convert(jpegs, nodate=True))


# --------------------------------------------------------------------------- manifest


@dataclass(frozen=True)
class Sample:
    id: str
    seed: str
    title: str
    district_code: str
    district: str
    year: int
    department: str


SAMPLES = [
    Sample("huangpu-2022", "001", HUANGPU_TITLE.replace(" ", ""), "440112", "广州市黄埔区",
           2022, "政务服务数据管理局"),
    Sample("potou-2022", "002", "整体绩效自评报告", "440804", "湛江市坡头区", 2022,
           "政务服务数据管理局"),
    Sample("baiyun-2022", "003", "广州市白云区政务服务数据管理局2022年部门整体支出绩效自评报告",
           "440111", "广州市白云区", 2022, "政务服务数据管理局"),
    Sample("panyu-2023", "004", "广州市番禺区政务服务数据管理局2023年部门整体支出绩效自评报告",
           "440113", "广州市番禺区", 2023, "政务服务数据管理局"),
    Sample("panyu-2024-scan", "000", "部门整体支出绩效自评表说明", "440113", "广州市番禺区",
           2024, "政务服务和数据管理局"),
]  # fmt: skip


def write_manifest(hashes: dict[str, str]) -> None:
    """sources/samples.yaml: one entry per sample, paths relative to the manifest."""
    lines = [
        "# Sample reports built from tests/fixtures/seeds/ by tools/make_samples.py",
        "# (see docs/samples.md). Regenerate with:",
        "#   .venv/bin/python tools/make_samples.py",
        "# which rewrites the PDFs and the sha256 values below.",
    ]
    for s in SAMPLES:
        lines += [
            "",
            f"# seed {s.seed}: {s.district} {s.year}年度",
            f"- id: {s.id}",
            f"  title: {s.title}",
            f'  district_code: "{s.district_code}"',
            f"  year: {s.year}",
            f"  department: {s.department}",
            f"  path: ../data/raw/samples/{s.id}.pdf",
            f"  sha256: {hashes[s.id]}",
        ]
    MANIFEST.parent.mkdir(parents=True, exist_ok=True)
    MANIFEST.write_text("\n".join(lines) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------- main


def main() -> int:
    for tool in ("soffice", "pdftoppm", "pdfinfo"):
        if shutil.which(tool) is None:
            print(f"make_samples: {tool} not found (see the module docstring)", file=sys.stderr)
            return 1
    OUT.mkdir(parents=True, exist_ok=True)
    builders = {
        "huangpu-2022": (build_huangpu_xlsx, ".xlsx"),
        "potou-2022": (build_potou_docx, ".docx"),
        "baiyun-2022": (build_baiyun_docx, ".docx"),
        "panyu-2023": (build_panyu_2023_docx, ".docx"),
        "panyu-2024-scan": (build_panyu_2024_docx, ".docx"),
    }
    hashes = {}
    with tempfile.TemporaryDirectory(prefix="samples-") as tmp:
        work = Path(tmp)
        for sample in SAMPLES:
            build, ext = builders[sample.id]
            src = work / f"{sample.id}{ext}"
            build(src)
            pdf = soffice_to_pdf(src, work)
            target = OUT / f"{sample.id}.pdf"
            if sample.id.endswith("-scan"):
                fake_scan(pdf, target)
            else:
                shutil.copyfile(pdf, target)
            if sample.id == "huangpu-2022" and page_count(target) != 2:
                raise RuntimeError(f"{target}: {page_count(target)} pages, want 2")
            hashes[sample.id] = hashlib.sha256(target.read_bytes()).hexdigest()
            print(f"{target.relative_to(ROOT)}  {page_count(target)} pages  {hashes[sample.id]}")
    write_manifest(hashes)
    print(f"wrote {MANIFEST.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
