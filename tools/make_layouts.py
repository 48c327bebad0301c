"""Build the layout corpus (``tests/fixtures/layouts/``): 自评表 PDFs with known truth.

Run from anywhere::

    /work/main/.venv/bin/python tools/make_layouts.py [ID ...]

Each entry of ``tools/layouts/layouts.yaml`` becomes ``<id>.pdf`` and, beside it,
``<id>.csv``: the expected table, written from the rows this script printed (never
from jixiao's output). Three producers, as published reports are made:

* ``calc``: an .xlsx (openpyxl) exported by LibreOffice Calc: ruled grid, merged
  一级/二级 cells, manual page break, header repeated by print titles or not;
* ``writer``: a .docx (python-docx) exported by LibreOffice Writer: a narrative
  report with the 自评表 attached, ruled, horizontally ruled or unruled;
* ``reportlab``: drawn by the PDF library with a non-embedded CJK font
  (STSong-Light): any rules, labels at any height of their span or only on the next
  page, a row cut by the page break.

Needs what ``tools/make_samples.py`` needs (soffice, fonts-noto-cjk, the ``samples``
extra) plus reportlab 5.1.
"""

from __future__ import annotations

import csv
import shutil
import sys
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_samples import (
    SANS,
    SERIF,
    add_paragraph,
    display_width,
    fmt,
    new_document,
    page_count,
    set_run_font,
    soffice_to_pdf,
    spans,
)

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "layouts"
OUT = ROOT / "tests" / "fixtures" / "layouts"
GRADE_TEXT = "√优 90分≤得分≤100分；□良 80分≤得分<90分；□中 60分≤得分<80分；□差 得分<60分"
LEGEND = [
    ["评价等级", "分值区间", "说明"],
    ["优", "90（含）-100分", "绩效目标全面完成"],
    ["良", "80（含）-90分", "绩效目标基本完成"],
    ["中", "60（含）-80分", "绩效目标部分完成"],
    ["差", "60分以下", "绩效目标未完成"],
]


@dataclass(frozen=True)
class Row:
    """One level-3 row as printed (``base`` is the framework's name, for lookups)."""

    l1: str
    w1: float
    l2: str
    w2: float
    l3: str
    w3: float
    score: float
    base: str = ""
    reason: str = ""
    explanation: str = ""
    criteria: str = ""
    measure: str = ""

    def text(self, role: str) -> str:
        return {
            "l1": self.l1,
            "w1": fmt(self.w1),
            "l2": self.l2,
            "w2": fmt(self.w2),
            "l3": self.l3,
            "w3": fmt(self.w3),
            "score": fmt(self.score),
            "reason": self.reason,
            "explanation": self.explanation,
            "criteria": self.criteria,
            "measure": self.measure,
        }[role]


@dataclass
class Layout:
    id: str
    spec: dict
    rows: list[Row] = field(default_factory=list)

    @property
    def columns(self) -> list[tuple[str, str]]:
        return [tuple(c.split(":")) for c in self.spec["columns"]]

    @property
    def total(self) -> float:
        return round(sum(r.score for r in self.rows), 6)

    @property
    def title(self) -> str:
        s = self.spec
        return f"{s['year']}年度{s['district']}{s['department']}部门整体支出绩效自评表"


# --------------------------------------------------------------------------- truth


def build_rows(spec: dict, frameworks: dict) -> list[Row]:
    """The printed rows of one layout: framework, then renames, weights, deductions."""
    weights = spec.get("weights", {})
    deductions = spec.get("deductions", {})
    rename = spec.get("rename", {})
    rows = []
    for l1, l2, l3, w3 in frameworks[spec["framework"]]:
        w3 = float(weights.get(l3, w3))
        score, reason = deductions.get(l3, [w3, ""])
        rows.append(
            Row(
                rename.get(l1, l1), 0, rename.get(l2, l2), 0, rename.get(l3, l3), w3,
                float(score), base=l3, reason=reason,
                explanation=f"考察{l3}情况，按评分标准计分。",
                criteria=f"{l3}符合要求的得满分，每发现一处问题扣0.5分，扣完为止。",
                measure="持续完善相关制度，加强日常监督。" if reason else "",
            )
        )  # fmt: skip
    for blank in spec.get("blank_rows", []):
        at = next(i for i, r in enumerate(rows) if r.base == blank["after"]) + 1
        prev = rows[at - 1]
        rows.insert(
            at,
            replace(
                prev, l3="", base="", w3=float(blank["weight"]), score=float(blank["score"]),
                reason="", explanation="", criteria="", measure="",
            ),
        )  # fmt: skip
    w1 = {k: sum(r.w3 for r in rows if r.l1 == k) for k in {r.l1 for r in rows}}
    w2 = {k: sum(r.w3 for r in rows if (r.l1, r.l2) == k) for k in {(r.l1, r.l2) for r in rows}}
    rows = [replace(r, w1=w1[r.l1], w2=w2[(r.l1, r.l2)]) for r in rows]
    assert round(sum(r.w3 for r in rows), 6) == 100, f"{spec['id']}: weights must sum to 100"
    return rows


def write_truth(layout: Layout) -> None:
    """``<id>.csv``: one row per level-3 row, then the 总分 row; ``flag`` names the check
    the pipeline must raise for that row (empty when the row maps cleanly)."""
    path = OUT / f"{layout.id}.csv"
    fields = ["一级指标", "一级分值", "二级指标", "二级分值", "三级指标", "分值", "得分", "flag"]
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(fields)
        for r in layout.rows:
            flag = "unnamed_indicator" if not r.l3 else ("unmapped" if r.l3 != r.base else "")
            w.writerow([r.l1, fmt(r.w1), r.l2, fmt(r.w2), r.l3, fmt(r.w3), fmt(r.score), flag])
        w.writerow(["总分", "100", "", "", "", "", fmt(layout.total), ""])
    if "budget" in layout.spec:
        b = layout.spec["budget"]
        with (OUT / f"{layout.id}.budget.csv").open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(["label", "printed", "unit"])
            for label in ("总预算", "基本支出", "项目支出"):
                w.writerow([label, b[label], b["unit"]])


# --------------------------------------------------------------------------- calc


def build_calc(layout: Layout, path: Path) -> None:
    """An .xlsx: title, optional budget block, score table (merged 一级/二级 cells), total,
    grade row, optional legend; a manual page break after ``break_after``."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.pagebreak import Break
    from openpyxl.worksheet.properties import PageSetupProperties

    spec, cols, rows = layout.spec, layout.columns, layout.rows
    roles = [role for _, role in cols]
    widths = {"l1": 8, "w1": 5, "l2": 8, "w2": 5, "l3": 16, "w3": 5, "score": 7,
              "reason": 26, "explanation": 24, "criteria": 28, "measure": 20}  # fmt: skip
    widths.update(spec.get("widths", {}))
    size = spec.get("font_size", 9)
    wb = Workbook()
    ws = wb.active
    thin = Side(style="thin", color="000000")
    grid = {
        "all": Border(left=thin, right=thin, top=thin, bottom=thin),
        "rows": Border(top=thin, bottom=thin),
        "none": Border(),
    }[spec.get("rules", "all")]
    base, bold = Font(name=SANS, size=size), Font(name=SANS, size=size, bold=True)
    valign = {"top": "top", "middle": "center", "bottom": "bottom", "next": "top"}[spec["labels"]]
    n = len(cols)
    for i, role in enumerate(roles, start=1):
        ws.column_dimensions[get_column_letter(i)].width = widths[role]

    def put(r, c, value, font=base, h="center", v="center", border=True):
        cell = ws.cell(row=r, column=c, value=value)
        cell.font = font
        cell.alignment = Alignment(horizontal=h, vertical=v, wrap_text=True)
        if border:
            cell.border = grid

    def merge(r1, c1, r2, c2, border=True):
        if (r1, c1) != (r2, c2):
            ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
            for r in range(r1, r2 + 1 if border else r1):
                for c in range(c1, c2 + 1):
                    ws.cell(row=r, column=c).border = grid

    put(1, 1, layout.title, Font(name=SANS, size=14, bold=True), border=False)
    merge(1, 1, 1, n, border=False)
    ws.row_dimensions[1].height = 30
    r = 3
    if "budget" in spec and spec["budget"].get("layout") == "nested":
        r = _calc_nested_budget(spec["budget"], r, put, merge, bold, base, ws)
    elif "budget" in spec:
        b = spec["budget"]
        put(r, 1, "年度部门预算情况", bold)
        merge(r, 1, r + 1, 2)
        for k, label in enumerate((f"总预算（{b['unit']}）", "基本支出", "项目支出")):
            c = 3 + 2 * k
            put(r, c, label, bold)
            put(r + 1, c, b[label if k else "总预算"])
            merge(r, c, r, c + 1)
            merge(r + 1, c, r + 1, c + 1)
        ws.row_dimensions[r].height = ws.row_dimensions[r + 1].height = 20
        r += 3
    header_row = r
    for c, (label, _) in enumerate(cols, start=1):
        put(r, c, label, bold)
    ws.row_dimensions[r].height = 30
    first = r + 1
    for i, row in enumerate(rows):
        for c, role in enumerate(roles, start=1):
            if role not in ("l1", "w1", "l2", "w2"):
                value = row.text(role)
                num = role in ("w3", "score")
                put(first + i, c, float(value) if num else (value or None),
                    h="center" if num or role == "l3" else "left")  # fmt: skip
        lines = max(
            -(-display_width(row.text(role)) // int(0.95 * widths[role]))
            for role in roles
            if role not in ("l1", "w1", "l2", "w2")
        )
        ws.row_dimensions[first + i].height = max(18, 12.5 * lines + 6) * size / 9
    brk = spec.get("break_after")
    cut = next(i for i, x in enumerate(rows) if x.base == brk) + 1 if brk else None
    for name_role, weight_role, key in (
        ("l1", "w1", lambda x: x.l1),
        ("l2", "w2", lambda x: (x.l1, x.l2)),
    ):
        if name_role not in roles:
            continue
        for a, b in spans([key(x) for x in rows]):
            parts = [(a, b)]
            if cut is not None and a < cut <= b:  # two merged ranges, one per page
                parts = [(a, cut - 1), (cut, b)]
            label_part = parts[-1] if spec["labels"] == "next" else parts[0]
            for pa, pb in parts:
                for role in (name_role, weight_role):
                    if role not in roles:
                        continue
                    c = roles.index(role) + 1
                    value = rows[a].text(role) if (pa, pb) == label_part else None
                    if value is not None and role.startswith("w"):
                        value = float(value)
                    put(first + pa, c, value, v=valign)
                    merge(first + pa, c, first + pb, c)
    last = first + len(rows)
    score_col = roles.index("score") + 1
    put(last, 1, "总分", bold)
    put(last, 2, 100.0, bold)
    merge(last, 3, last, score_col - 1)
    put(last, score_col, layout.total, bold)
    if score_col < n:
        merge(last, score_col + 1, last, n)
    put(last + 1, 1, "评价等级", bold)
    put(last + 1, 2, GRADE_TEXT, h="left")
    merge(last + 1, 2, last + 1, n)
    end = last + 1
    if spec.get("legend"):
        end += 2
        for i, line in enumerate(LEGEND):
            for c, text in enumerate(line, start=1):
                put(end + i, c, text, bold if i == 0 else base)
        end += len(LEGEND) - 1
    if cut is not None:
        ws.row_breaks.append(Break(id=first + cut - 1))
    if spec.get("repeat_header"):
        ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = spec.get("orientation", "landscape")
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_area = f"A1:{get_column_letter(n)}{end}"
    wb.save(path)


NESTED_BUDGET = [
    # (label, row, col, rows, cols) of seed 001's block: the label, 总预算 and six leaves
    # under a two-level header; the amounts sit in whatever columns the score table has
    ("年度部门预算情况", 0, 0, 4, 1),
    ("总预算 ({unit})", 0, 1, 3, 1),
    ("年度预算资金类别", 0, 2, 1, 6),
    ("部门预算", 1, 2, 1, 2),
    ("事业发展支出", 1, 4, 1, 2),
    ("事业发展支出(按预算级次划分)", 1, 6, 1, 2),
    ("基本支出", 2, 2, 1, 1),
    ("项目支出", 2, 3, 1, 1),
    ("专项资金", 2, 4, 1, 1),
    ("其他事业发展支出", 2, 5, 1, 1),
    ("区本级资金", 2, 6, 1, 1),
    ("对下转移支付", 2, 7, 1, 1),
]
NESTED_VALUES = ["总预算", "基本支出", "项目支出", "专项资金", "其他事业发展支出", "区本级资金",
                 "对下转移支付"]  # fmt: skip


def nested_values(b: dict) -> list[str]:
    """The value row of the nested block: 总预算 … 对下转移支付 (zeros where not given)."""
    return [b.get(k, "0.00") for k in NESTED_VALUES]


def _calc_nested_budget(b, r, put, merge, bold, base, ws) -> int:
    """Seed 001's budget block (nested header, 8 columns) at row ``r``; the next free row."""
    for label, dr, dc, nr, nc in NESTED_BUDGET:
        put(r + dr, dc + 1, label.format(unit=b["unit"]), bold)
        merge(r + dr, dc + 1, r + dr + nr - 1, dc + nc)
    for k, value in enumerate(nested_values(b)):
        put(r + 3, 2 + k, value, base)
    for k in range(4):  # header rows tall enough for their wrapped labels
        ws.row_dimensions[r + k].height = 24 if k < 3 else 28
    return r + 5


# --------------------------------------------------------------------------- writer


def _borders(table, rules: str) -> None:
    """Table borders as Word prints them: all, rows (horizontal only) or none."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    edges = {"all": ("top", "left", "bottom", "right", "insideH", "insideV"),
             "rows": ("top", "bottom", "insideH"), "none": ()}[rules]  # fmt: skip
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single" if edge in edges else "nil")
        if edge in edges:
            el.set(qn("w:sz"), "4")
            el.set(qn("w:color"), "000000")
        borders.append(el)
    tbl_pr.append(borders)


def build_writer(layout: Layout, path: Path) -> None:
    """A .docx narrative report with the 自评表 (and budget table) attached."""
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT as VA
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    spec, cols, rows = layout.spec, layout.columns, layout.rows
    roles = [role for _, role in cols]
    doc = new_document()
    s = spec
    add_paragraph(doc, f"{s['district']}{s['department']}{s['year']}年度部门整体支出绩效自评报告",
                  "title")  # fmt: skip
    add_paragraph(doc, "一、部门基本情况", "h1")
    add_paragraph(
        doc,
        f"{s['district']}{s['department']}是负责全区政务服务和数据管理工作的政府工作部门。"
        f"{s['year']}年，我局围绕年度绩效目标，统筹推进政务服务标准化、规范化、便利化建设。",
    )
    add_paragraph(doc, "二、绩效自评情况", "h1")
    add_paragraph(
        doc,
        f"根据部门整体支出绩效评价指标体系，我局{s['year']}年度部门整体支出绩效自评得分为"
        f"{fmt(layout.total)}分，评价等级为优。具体评分情况详见附件。",
    )
    add_paragraph(doc, f"附件：{s['year']}年度部门整体支出绩效自评表", "h1", page_break=True)
    for _ in range(s.get("lead_lines", 0)):  # moves where the table's page break falls
        add_paragraph(doc, "本表根据部门整体支出绩效评价指标体系填报。", "plain", 10)

    size = spec.get("font_size", 9)
    if spec.get("orientation") == "landscape":
        from docx.enum.section import WD_ORIENT

        section = doc.add_section()
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.left_margin = section.right_margin = Mm(20)
        section.top_margin = section.bottom_margin = Mm(20)
    text_width = 257 if spec.get("orientation") == "landscape" else 156

    def fill(table, r, c, text, bold=False, left=False, valign=VA.CENTER):
        cell = table.cell(r, c)
        cell.vertical_alignment = valign
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.first_line_indent = Pt(0)
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        if text:
            set_run_font(p.add_run(text), SERIF, size, bold)

    def no_split(table, header_rows: int) -> None:
        for n, row in enumerate(table.rows):
            tr_pr = row._tr.get_or_add_trPr()
            tags = ["w:cantSplit"] + (["w:tblHeader"] if n < header_rows else [])
            for tag in tags:
                el = OxmlElement(tag)
                el.set(qn("w:val"), "true")
                tr_pr.append(el)

    if "budget" in spec and spec["budget"].get("layout") == "nested":
        b = spec["budget"]
        bt = doc.add_table(rows=4, cols=8)
        _borders(bt, "all")
        for label, dr, dc, nr, nc in NESTED_BUDGET:
            if nr > 1 or nc > 1:
                bt.cell(dr, dc).merge(bt.cell(dr + nr - 1, dc + nc - 1))
            fill(bt, dr, dc, label.format(unit=b["unit"]), bold=True)
        for k, value in enumerate(nested_values(b)):
            fill(bt, 3, 1 + k, value)
        bw = b.get("widths_mm", [18] + [19] * 7)
        for c, column in enumerate(bt.columns):
            column.width = Mm(bw[c])
            for cell in column.cells:
                cell.width = Mm(bw[c])
        add_paragraph(doc, "", "plain", 9)
    elif "budget" in spec:
        b = spec["budget"]
        bt = doc.add_table(rows=2, cols=3)
        _borders(bt, "all")
        for c, label in enumerate((f"总预算（{b['unit']}）", "基本支出", "项目支出")):
            fill(bt, 0, c, label, bold=True)
            fill(bt, 1, c, b[label if c else "总预算"])
        add_paragraph(doc, "", "plain", 9)

    widths_mm = {"l1": 14, "w1": 9, "l2": 14, "w2": 9, "l3": 30, "w3": 9, "score": 12,
                 "reason": 34, "explanation": 28, "criteria": 30, "measure": 24}  # fmt: skip
    widths_mm.update(spec.get("widths", {}))
    scale = text_width / sum(widths_mm[r] for r in roles)
    table = doc.add_table(rows=len(rows) + 2, cols=len(cols))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _borders(table, spec["rules"])
    valign = {"top": VA.TOP, "middle": VA.CENTER, "bottom": VA.BOTTOM}[spec["labels"]]
    for c, (label, _) in enumerate(cols):
        fill(table, 0, c, label, bold=True)
    for i, row in enumerate(rows, start=1):
        for c, role in enumerate(roles):
            if role not in ("l1", "w1", "l2", "w2"):
                fill(table, i, c, row.text(role), left=role in ("reason", "measure",
                     "explanation", "criteria"))  # fmt: skip
    for name_role, weight_role, key in (
        ("l1", "w1", lambda x: x.l1),
        ("l2", "w2", lambda x: (x.l1, x.l2)),
    ):
        for a, b in spans([key(x) for x in rows]):
            for role in (name_role, weight_role):
                if role not in roles:
                    continue
                c = roles.index(role)
                if b > a:
                    table.cell(a + 1, c).merge(table.cell(b + 1, c))
                fill(table, a + 1, c, rows[a].text(role), valign=valign)
    last = len(rows) + 1
    score_col = roles.index("score")
    fill(table, last, 0, "总分", bold=True)
    fill(table, last, 1, "100", bold=True)
    table.cell(last, 2).merge(table.cell(last, score_col - 1))
    fill(table, last, score_col, fmt(layout.total), bold=True)
    no_split(table, 1 if spec.get("repeat_header") else 0)
    for c, column in enumerate(table.columns):
        column.width = Mm(widths_mm[roles[c]] * scale)
    for row in table.rows:
        for c, cell in enumerate(row.cells):
            cell.width = Mm(widths_mm[roles[c]] * scale)
    add_paragraph(doc, f"评价等级：{GRADE_TEXT}", "plain", 10)

    doc.save(path)


# --------------------------------------------------------------------------- reportlab

FONT, SIZE, LEAD, PAD = "STSong-Light", 8.5, 11.0, 3.0


def wrap(text: str, width: float, size: float = SIZE) -> list[str]:
    """Lines of ``text`` that fit ``width`` points (CJK text breaks anywhere)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, line = [], ""
    for ch in text:
        if line and stringWidth(line + ch, FONT, size) > width - 2 * PAD:
            lines.append(line)
            line = ""
        line += ch
    return [*lines, line] if line else lines


@dataclass
class Part:
    """A row (or the part of one) placed on a page."""

    row: int  # index into the body rows; -1 = header
    top: float
    height: float
    lines: dict[int, list[str]]  # column → lines printed in this part


def build_reportlab(layout: Layout, path: Path) -> None:
    """Draw the 自评表 with reportlab's canvas: full control over rules and placement."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    size = spec_size = layout.spec.get("font_size", SIZE)
    lead = round(spec_size * LEAD / SIZE, 2)
    spec, cols, rows = layout.spec, layout.columns, layout.rows
    roles = [role for _, role in cols]
    widths = {"l1": 50, "w1": 28, "l2": 50, "w2": 28, "l3": 110, "w3": 28, "score": 36,
              "reason": 150, "explanation": 130, "criteria": 140, "measure": 110}  # fmt: skip
    widths.update(spec.get("widths", {}))
    page_w, page_h = A4 if spec.get("orientation") == "portrait" else landscape(A4)
    ws = [widths[r] for r in roles]
    if sum(ws) > page_w - 60:  # the table fits the page (portrait pages are narrower)
        ws = [w * (page_w - 60) / sum(ws) for w in ws]
    x0 = (page_w - sum(ws)) / 2
    xs = [x0 + sum(ws[:i]) for i in range(len(ws) + 1)]
    merged = [i for i, r in enumerate(roles) if r in ("l1", "w1", "l2", "w2")]
    c = Canvas(str(path), pagesize=(page_w, page_h))
    c.setTitle(layout.title)

    def text_at(x1, x2, y_base, text, left=False):
        c.setFont(FONT, size)
        if left:
            c.drawString(x1 + PAD, y_base, text)
        else:
            c.drawCentredString((x1 + x2) / 2, y_base, text)

    def grid_box(
        top, cells: list[list[str]], widths_: list[float], x: float, spill: bool = False
    ) -> float:
        """A small ruled table (budget block, legend); returns its bottom. Texts wrap in
        their cells, or (``spill``) print whole on one line, wider than a narrow cell."""
        y = top
        for line in cells:
            wrapped = [[text] if spill else wrap(text, w, size)
                       for text, w in zip(line, widths_, strict=True)]  # fmt: skip
            n = max(len(lines) for lines in wrapped)
            h = n * lead + 2 * PAD + 4
            xx = x
            for lines, w in zip(wrapped, widths_, strict=True):
                c.rect(xx, y - h, w, h)
                for j, text in enumerate(lines):  # a wrapped amount: one line under the other
                    base = y - h / 2 + (len(lines) - 1) * lead / 2 - j * lead - size / 3
                    text_at(xx, xx + w, base, text)
                xx += w
            y -= h
        return y

    # ---- the body rows as lines per column
    body = [{i: wrap(r.text(role), ws[i], size) for i, role in enumerate(roles) if i not in merged}
            for r in rows]  # fmt: skip
    header = {i: wrap(label, ws[i], size) for i, (label, _) in enumerate(cols)}

    def height(lines: dict[int, list[str]]) -> float:
        return max(len(v) for v in lines.values()) * lead + 2 * PAD

    top_margin, bottom_margin = 50, 50
    # page 1 starts with the title and the budget block
    c.setFont(FONT, 14)
    c.drawCentredString(page_w / 2, page_h - 40, layout.title)
    y = page_h - top_margin - 10
    if "budget" in spec:
        b = spec["budget"]
        c.setFont(FONT, size)
        c.drawString(x0, y, "年度部门预算情况")
        y = grid_box(
            y - 6,
            [
                [f"总预算（{b['unit']}）", "基本支出", "项目支出"],
                [b["总预算"], b["基本支出"], b["项目支出"]],
            ],
            b.get("widths_pt", [120, 120, 120]),
            x0,
            spill=b.get("spill", False),
        )
        y -= 14  # fmt: skip
    pages: list[list[Part]] = [[]]
    tops = [y]

    def place_header():
        nonlocal y
        h = height(header)
        pages[-1].append(Part(-1, y, h, header))
        y -= h

    def new_page():
        nonlocal y
        pages.append([])
        y = page_h - top_margin
        tops.append(y)
        if spec.get("repeat_header"):
            place_header()

    place_header()
    split_base = spec.get("split_row")
    break_after = spec.get("break_after")
    for i, lines in enumerate(body):
        h = height(lines)
        if rows[i].base == split_base:  # cut this row after its first line
            head = {k: v[:1] for k, v in lines.items()}
            tail = {k: v[1:] for k, v in lines.items()}
            assert any(tail.values()), f"{layout.id}: split row has one line only"
            pages[-1].append(Part(i, y, height(head), head))
            y -= height(head)
            new_page()
            pages[-1].append(Part(i, y, height(tail), tail))
            y -= height(tail)
            continue
        if y - h < bottom_margin:
            new_page()
        pages[-1].append(Part(i, y, h, lines))
        y -= h
        if rows[i].base == break_after:
            new_page()
    # total and grade rows (not merged)
    score_col = roles.index("score")
    total_lines = {0: ["总分"], 1: ["100"], score_col: [fmt(layout.total)]}
    if y - 2 * (lead + 2 * PAD) < bottom_margin:
        new_page()
    pages[-1].append(Part(len(rows), y, height(total_lines), total_lines))
    y -= height(total_lines)
    grade_lines = {0: ["评价等级"], 1: [GRADE_TEXT]}
    pages[-1].append(Part(len(rows) + 1, y, height(grade_lines), grade_lines))
    y -= height(grade_lines)

    rules = spec["rules"]
    key_of = {
        0: lambda r: r.l1,
        1: lambda r: (r.l1, r.l2),
    }

    def span_key(col: int, row: int):
        if row < 0 or row >= len(rows):
            return None
        level = 0 if roles[col] in ("l1", "w1") else 1
        return key_of[level](rows[row])

    # where each merged label is printed: (col, span start) → (page, first part, last part)
    label_at: dict[tuple[int, object], tuple[int, int, int]] = {}
    for col in merged:
        groups: list[tuple[object, int, int, int]] = []  # key, page, first, last part index
        for p, parts in enumerate(pages):
            for k, part in enumerate(parts):
                key = span_key(col, part.row)
                if key is None:
                    continue
                if groups and groups[-1][0] == key and groups[-1][1] == p:
                    groups[-1] = (key, p, groups[-1][2], k)
                else:
                    groups.append((key, p, k, k))
        by_key: dict[object, list[tuple[int, int, int]]] = {}
        for key, p, a, b in groups:
            by_key.setdefault(key, []).append((p, a, b))
        for key, places in by_key.items():
            label_at[(col, key)] = places[-1] if spec["labels"] == "next" else places[0]

    for p, parts in enumerate(pages):
        if p:
            c.showPage()
        table_top = parts[0].top
        table_bottom = parts[-1].top - parts[-1].height
        last_body = [k for k, part in enumerate(parts) if part.row < len(rows)]
        for k, part in enumerate(parts):
            bottom = part.top - part.height
            for col, lines in part.lines.items():
                x2 = xs[-1] if part.row == len(rows) + 1 and col == 1 else xs[col + 1]
                left = (
                    part.row >= 0
                    and roles[col] in ("reason", "explanation", "criteria", "measure", "l3")
                    and part.row < len(rows)
                )
                n = len(lines)
                for j, text in enumerate(lines):
                    base = part.top - PAD - size - j * lead
                    if part.row < 0:  # header: centred vertically
                        base -= (height(header) - 2 * PAD - n * lead) / 2
                    text_at(xs[col], x2, base, text, left=left and col != 1)
            # horizontal rules above this part (merged columns: only where a span starts)
            if rules in ("all", "rows"):
                for col in range(len(roles)):
                    starts = (
                        k == 0
                        or col not in merged
                        or part.row >= len(rows)
                        or (span_key(col, part.row) != span_key(col, parts[k - 1].row))
                    )
                    if starts:
                        c.line(xs[col], part.top, xs[col + 1], part.top)
            if rules == "all":
                if part.row == len(rows) + 1:
                    c.line(xs[0], part.top, xs[0], bottom)
                    c.line(xs[1], part.top, xs[1], bottom)
                    c.line(xs[-1], part.top, xs[-1], bottom)
                else:
                    for x in xs:
                        c.line(x, part.top, x, bottom)
        if rules in ("all", "rows", "three"):
            c.line(xs[0], table_bottom, xs[-1], table_bottom)
        if rules == "three":
            c.line(xs[0], table_top, xs[-1], table_top)
            if parts[0].row < 0:
                c.line(
                    xs[0], parts[0].top - parts[0].height, xs[-1], parts[0].top - parts[0].height
                )
        # merged labels printed on this page
        for col in merged:
            for (lc, key), (lp, a, b) in label_at.items():
                if lc != col or lp != p:
                    continue
                first = next(r for r in rows if span_key(col, rows.index(r)) == key)
                text = first.text(roles[col])
                lines = wrap(text, ws[col], size)
                top, bottom = parts[a].top, parts[b].top - parts[b].height
                block = len(lines) * lead
                where = spec["labels"]
                if where in ("top", "next"):
                    y_top = top - PAD
                elif where == "bottom":
                    y_top = bottom + PAD + block
                else:
                    y_top = (top + bottom) / 2 + block / 2
                for j, line in enumerate(lines):
                    text_at(xs[col], xs[col + 1], y_top - size - j * lead + 1, line)
        del last_body
    if spec.get("legend"):
        y = pages and (table_bottom - 20)
        if y < 150:
            c.showPage()
            y = page_h - top_margin
        c.setFont(FONT, size)
        c.drawString(x0, y, "附：评价等级划分标准")
        grid_box(y - 6, LEGEND, [80, 120, 160], x0)
    c.save()


# --------------------------------------------------------------------------- chromium

CHROMIUM = ["/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--no-pdf-header-footer"]  # fmt: skip


def build_html(layout: Layout, path: Path) -> None:
    """An HTML page with the 自评表 as a <table>, as district sites publish them.

    ``merged``: 一级/二级 cells as rowspans (else the label in its first row only);
    ``rules``: all, rows or none; ``break_all``: numbers may wrap anywhere in their
    cells (CSS ``word-break: break-all``).
    """
    import html as h

    spec, cols, rows = layout.spec, layout.columns, layout.rows
    roles = [role for _, role in cols]
    size = spec.get("font_size", 9)
    widths = {"l1": 60, "w1": 34, "l2": 60, "w2": 34, "l3": 130, "w3": 34, "score": 44,
              "reason": 170, "explanation": 150, "criteria": 160, "measure": 120}  # fmt: skip
    widths.update(spec.get("widths", {}))
    border = {"all": "td,th{border:1px solid #000}",
              "rows": "td,th{border-top:1px solid #000;border-bottom:1px solid #000}",
              "none": ""}[spec.get("rules", "all")]  # fmt: skip
    orient = spec.get("orientation", "landscape")
    valign = {"top": "top", "middle": "middle", "bottom": "bottom", "next": "top"}[spec["labels"]]
    css = (
        f"@page{{size:A4 {orient};margin:15mm}}"
        f"body{{font-family:'{SERIF}';font-size:{size}pt}}"
        "table{border-collapse:collapse;table-layout:fixed;margin-bottom:12pt}"
        f"td,th{{padding:2px 3px;font-size:{size}pt;text-align:center;vertical-align:{valign}}}"
        f"{border}"
        + ("td{word-break:break-all}" if spec.get("break_all") else "")
        + "tr{page-break-inside:avoid}"
    )
    out = [f"<html><head><meta charset='utf-8'><title>{h.escape(layout.title)}</title>"
           f"<style>{css}</style></head><body>",
           f"<h2 style='text-align:center'>{h.escape(layout.title)}</h2>"]  # fmt: skip
    out += ["<p>本表根据部门整体支出绩效评价指标体系填报。</p>"] * spec.get("lead_lines", 0)
    if "budget" in spec:
        b = spec["budget"]
        bw = b.get("widths_px", [80] * 8)
        out.append("<table>" + "".join(f"<col style='width:{w}px'>" for w in bw))
        if b.get("layout") == "nested":
            by_row: dict[int, list[str]] = {}
            for label, dr, _dc, nr, nc in NESTED_BUDGET:
                by_row.setdefault(dr, []).append(
                    f"<td rowspan={nr} colspan={nc}>{h.escape(label.format(unit=b['unit']))}</td>"
                )
            for r in range(3):
                out.append("<tr>" + "".join(by_row.get(r, [])) + "</tr>")
            out.append("<tr>" + "".join(f"<td>{v}</td>" for v in nested_values(b)) + "</tr>")
        else:
            out.append(
                f"<tr><td>总预算（{b['unit']}）</td><td>基本支出</td><td>项目支出</td></tr>"
                f"<tr><td>{b['总预算']}</td><td>{b['基本支出']}</td><td>{b['项目支出']}</td></tr>"
            )
        out.append("</table>")
    out.append("<table>" + "".join(f"<col style='width:{widths[r]}px'>" for r in roles))
    head = "<tr>" + "".join(f"<th>{h.escape(label)}</th>" for label, _ in cols) + "</tr>"
    out.append(f"<thead>{head}</thead><tbody>" if spec.get("repeat_header") else
               f"<tbody>{head}")  # fmt: skip
    merged = spec.get("merged", True)
    starts: dict[str, dict[int, int]] = {}
    for name_role, key in (("l1", lambda x: x.l1), ("l2", lambda x: (x.l1, x.l2))):
        starts[name_role] = {a: b - a + 1 for a, b in spans([key(x) for x in rows])}
    for i, row in enumerate(rows):
        cells = []
        for role in roles:
            text = h.escape(row.text(role))
            group = {"l1": "l1", "w1": "l1", "l2": "l2", "w2": "l2"}.get(role)
            if group is None:
                left = role in ("reason", "explanation", "criteria", "measure")
                cells.append(f"<td style='text-align:{'left' if left else 'center'}'>{text}</td>")
            elif i in starts[group]:
                n = starts[group][i]
                cells.append(f"<td rowspan={n}>{text}</td>" if merged else f"<td>{text}</td>")
            elif not merged:
                cells.append("<td></td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    score_col = roles.index("score")
    rest = len(roles) - score_col - 1
    out.append(
        f"<tr><td>总分</td><td>100</td><td colspan={score_col - 2}></td>"
        f"<td>{fmt(layout.total)}</td>" + (f"<td colspan={rest}></td>" if rest else "") + "</tr>"
    )
    grade = f"<td colspan={len(roles) - 1}>{h.escape(GRADE_TEXT)}</td>"
    out.append(f"<tr><td>评价等级</td>{grade}</tr>")
    out.append("</tbody></table></body></html>")
    path.write_text("\n".join(out), encoding="utf-8")


def chromium_to_pdf(src: Path, target: Path) -> Path:
    """Print an HTML file to PDF with headless Chromium (a private, throwaway profile)."""
    import subprocess

    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        subprocess.run(
            [*CHROMIUM, f"--user-data-dir={profile}", f"--print-to-pdf={target}",
             src.resolve().as_uri()],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
    if not target.exists():
        raise RuntimeError(f"Chromium did not produce {target}")
    return target


# --------------------------------------------------------------------------- main

BUILDERS = {"calc": (build_calc, ".xlsx"), "writer": (build_writer, ".docx")}


def build(layout: Layout, work: Path, out: Path = OUT) -> Path:
    producer = layout.spec["producer"]
    target = out / f"{layout.id}.pdf"
    if producer == "reportlab":
        build_reportlab(layout, target)
        return target
    if producer == "chromium":
        src = work / f"{layout.id}.html"
        build_html(layout, src)
        return chromium_to_pdf(src, target)
    builder, ext = BUILDERS[producer]
    src = work / f"{layout.id}{ext}"
    builder(layout, src)
    shutil.copyfile(soffice_to_pdf(src, work), target)
    return target


def main(argv: list[str]) -> int:
    frameworks = yaml.safe_load((DATA / "frameworks.yaml").read_text(encoding="utf-8"))
    specs = yaml.safe_load((DATA / "layouts.yaml").read_text(encoding="utf-8"))["layouts"]
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="layouts-") as tmp:
        for spec in specs:
            if argv and spec["id"] not in argv:
                continue
            layout = Layout(spec["id"], spec, build_rows(spec, frameworks))
            pdf = build(layout, Path(tmp))
            write_truth(layout)
            print(f"{pdf.relative_to(ROOT)}  {page_count(pdf)} pages  {pdf.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
