"""Issue 14's families outside Guangdong as PDFs with known truth: flat lists (重庆) and
common-indicator trees (决策/过程/产出/效益, 投入/过程/产出/效果, 规划/执行/效果).

Run from the worktree::

    .venv/bin/python tools/make_families.py [ID ...]            # the committed corpus
    .venv/bin/python tools/make_families.py --random N --seed S --out DIR   # variants

Each entry of ``tools/layouts/families.yaml`` becomes
``tests/fixtures/frameworks/<family>/<id>.pdf`` and, beside it, ``<id>.csv``: the
expected rows, written from what this script printed (never from jixiao's output).
``--random`` draws variants (tree, deductions, producer, columns, rules, narrative
pages, font size, orientation, name-weight style) into ``DIR`` with the same truth
files; ``tools/read_families.py`` reads them through the pipeline and scores them.

Producers, as published reports are made: ``calc`` (openpyxl → LibreOffice Calc),
``writer`` (python-docx → LibreOffice Writer, a narrative with the table after it),
``reportlab`` (drawn by the PDF library, non-embedded STSong-Light), ``chromium`` (an
HTML table printed by headless Chromium). Needs soffice, fonts-noto-cjk and chromium
(not the tests: they read the committed PDFs).
"""

from __future__ import annotations

import argparse
import csv
import html as h
import random
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_layouts import chromium_to_pdf
from make_samples import (
    SANS,
    SERIF,
    add_paragraph,
    display_width,
    fmt,
    new_document,
    set_run_font,
    soffice_to_pdf,
    spans,
)

ROOT = Path(__file__).resolve().parents[1]
SPEC = Path(__file__).resolve().parent / "layouts" / "families.yaml"
OUT = ROOT / "tests" / "fixtures" / "frameworks"
TEXT_ROLES = ("explanation", "criteria", "reason", "target", "actual")
NARRATIVE = (
    "{district}{department}认真贯彻落实预算绩效管理要求，对照年初设定的绩效目标，"
    "从预算执行、产出和效益等方面开展了部门整体支出绩效自评。本年度部门围绕中心工作，"
    "统筹资金安排，强化过程监控，各项重点工作有序推进，绩效目标总体完成较好。"
)


@dataclass
class Printed:
    """One 自评表 as printed: header, body rows, vertically merged cells, total row."""

    title: str
    header: list[str]
    roles: list[str]
    body: list[list[str]]
    merges: list[tuple[int, int, int]] = field(default_factory=list)  # col, first, last row
    total: list[str] = field(default_factory=list)
    truth: list[dict] = field(default_factory=list)
    total_score: float = 0.0


# --------------------------------------------------------------------------- truth


def printed(spec: dict, trees: dict) -> Printed:
    """The table one layout prints, and its truth rows."""
    cols = [c.rsplit(":", 1) for c in spec["columns"]]
    header, roles = [c[0] for c in cols], [c[1] for c in cols]
    deductions = spec.get("deductions", {})
    title = f"{spec['district']}{spec['department']}{spec['year']}年度部门整体支出绩效自评表"
    rows, truth = [], []
    if spec["family"] == "flat":
        for n, (name, core, weight, target, actual) in enumerate(trees[spec["tree"]], start=1):
            score, reason = deductions.get(name, [weight, ""])
            values = {"no": str(n), "name": name, "core": core, "weight": fmt(weight),
                      "target": target, "actual": actual, "score": fmt(score),
                      "reason": reason}  # fmt: skip
            rows.append([values[r] for r in roles])
            truth.append({"指标名称": name, "权重": fmt(weight), "得分": fmt(score),
                          "目标值": target, "完成值": actual, "是否核心指标": core})  # fmt: skip
        merges = []
    else:
        tree = trees[spec["tree"]]
        w1 = {}
        w2 = {}
        for l1, l2, _l3, w in tree:
            w1[l1] = w1.get(l1, 0) + w
            w2[(l1, l2)] = w2.get((l1, l2), 0) + w
        style = spec.get("name_weight", "{name}（{w}分）")
        for n, (l1, l2, l3, w) in enumerate(tree, start=1):
            score, reason = deductions.get(l3, [w, ""])
            values = {
                "no": str(n), "l1": style.format(name=l1, w=fmt(w1[l1])),
                "l2": style.format(name=l2, w=fmt(w2[(l1, l2)])), "l3": l3, "w3": fmt(w),
                "explanation": f"考察{l3}情况。",
                "criteria": f"{l3}达到目标的得满分，每低1个百分点扣0.5分，扣完为止。",
                "score": fmt(score), "reason": reason,
            }  # fmt: skip
            rows.append([values[r] for r in roles])
            truth.append({"一级指标": l1, "一级分值": fmt(w1[l1]), "二级指标": l2,
                          "二级分值": fmt(w2[(l1, l2)]), "三级指标": l3, "分值": fmt(w),
                          "得分": fmt(score)})  # fmt: skip
        merges = []
        for role, key in (("l1", lambda t: t[0]), ("l2", lambda t: (t[0], t[1]))):
            if role in roles:
                for a, b in spans([key(t) for t in tree]):
                    merges.append((roles.index(role), a, b))
    total_score = round(sum(float(t["得分"]) for t in truth), 4)
    weight_col = roles.index("weight" if "weight" in roles else "w3")
    total = [""] * len(roles)
    total[0] = spec.get("total_label", "总分")
    total[weight_col] = "100"
    total[roles.index("score")] = fmt(total_score)
    weights = sum(float(t["权重" if "权重" in t else "分值"]) for t in truth)
    assert round(weights, 6) == 100, f"{spec['id']}: weights add up to {weights}"
    return Printed(title, header, roles, rows, merges, total, truth, total_score)


def write_truth(p: Printed, family: str, path: Path) -> None:
    """``<id>.csv``: the expected rows, then the total row (name 总分)."""
    with path.open("w", encoding="utf-8", newline="") as f:
        fields = list(p.truth[0])
        w = csv.DictWriter(f, fields)
        w.writeheader()
        w.writerows(p.truth)
        key = "指标名称" if family == "flat" else "一级指标"
        score = "得分"
        weight = "权重" if family == "flat" else "一级分值"
        w.writerow({key: "总分", weight: "100", score: fmt(p.total_score)})


# --------------------------------------------------------------------------- producers

WIDTH = {"no": 5, "name": 26, "core": 8, "weight": 7, "target": 14, "actual": 14, "score": 8,
         "reason": 24, "l1": 11, "l2": 12, "l3": 18, "w3": 7, "explanation": 22,
         "criteria": 30}  # fmt: skip


def build_calc(spec: dict, p: Printed, path: Path) -> None:
    """An .xlsx: title, table with merged 一级/二级 cells, total row; fit to one page wide."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    size = spec.get("font_size", 9)
    wb = Workbook()
    ws = wb.active
    thin = Side(style="thin", color="000000")
    border = {
        "all": Border(left=thin, right=thin, top=thin, bottom=thin),
        "rows": Border(top=thin, bottom=thin),
        "none": Border(),
    }[spec.get("rules", "all")]
    base, bold = Font(name=SANS, size=size), Font(name=SANS, size=size, bold=True)
    n = len(p.roles)
    widths = [WIDTH[r] for r in p.roles]
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w

    def put(r, c, value, font=base, left=False):
        cell = ws.cell(row=r, column=c + 1, value=value)
        cell.font = font
        cell.alignment = Alignment(horizontal="left" if left else "center", vertical="center",
                                   wrap_text=True)  # fmt: skip
        cell.border = border

    ws.cell(row=1, column=1, value=p.title).font = Font(name=SANS, size=14, bold=True)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n)
    ws.row_dimensions[1].height = 30
    top = 3
    for c, label in enumerate(p.header):
        put(top, c, label, bold)
    for i, row in enumerate(p.body):
        r = top + 1 + i
        for c, text in enumerate(row):
            number = p.roles[c] in ("weight", "w3", "score", "no")
            put(r, c, float(text) if number and text else text or None,
                left=p.roles[c] in TEXT_ROLES)  # fmt: skip
        lines = max(-(-display_width(t) // int(0.95 * widths[c])) for c, t in enumerate(row))
        ws.row_dimensions[r].height = max(18, 12.5 * lines + 6) * size / 9
    for c, a, b in p.merges:
        ws.merge_cells(start_row=top + 1 + a, start_column=c + 1, end_row=top + 1 + b,
                       end_column=c + 1)  # fmt: skip
        for r in range(top + 1 + a, top + 2 + b):
            ws.cell(row=r, column=c + 1).border = border
    last = top + 1 + len(p.body)
    for c, text in enumerate(p.total):
        number = c > 0 and text
        put(last, c, float(text) if number else text or None, bold)
    ws.page_setup.orientation = spec.get("orientation", "landscape")
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_area = f"A1:{get_column_letter(n)}{last}"
    wb.save(path)


def _borders(table, rules: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

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
    table._tbl.tblPr.append(borders)


def narrative_pages(spec: dict) -> list[str]:
    """The narrative report's paragraphs: about one A4 page each ``narrative`` page."""
    text = NARRATIVE.format(**spec)
    return [text] * (4 * spec.get("narrative", 0))


def build_writer(spec: dict, p: Printed, path: Path) -> None:
    """A .docx: the narrative report (``narrative`` pages), then the table on a new page."""
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT as VA
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = new_document()
    if spec.get("narrative"):
        add_paragraph(doc, p.title.replace("自评表", "自评报告"), "title")
        add_paragraph(doc, "一、部门基本情况", "h1")
        for text in narrative_pages(spec):
            add_paragraph(doc, text)
        add_paragraph(doc, f"附件：{p.title}", "h1", page_break=True)
    else:
        add_paragraph(doc, p.title, "title", 16)
    landscape = spec.get("orientation", "landscape") == "landscape"
    if landscape:
        section = doc.add_section()
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.left_margin = section.right_margin = Mm(20)
        section.top_margin = section.bottom_margin = Mm(20)
    text_width = 257 if landscape else 156
    size = spec.get("font_size", 9)
    table = doc.add_table(rows=len(p.body) + 2, cols=len(p.roles))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _borders(table, spec.get("rules", "all"))

    def fill(r, c, text, bold=False):
        cell = table.cell(r, c)
        cell.vertical_alignment = VA.CENTER
        para = cell.paragraphs[0]
        left = r and p.roles[c] in TEXT_ROLES
        para.alignment = WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.CENTER
        para.paragraph_format.first_line_indent = Pt(0)
        para.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        if text:
            set_run_font(para.add_run(text), SERIF, size, bold)

    for c, label in enumerate(p.header):
        fill(0, c, label, True)
    merged = {(c, r) for c, a, b in p.merges for r in range(a + 1, b + 1)}
    for i, row in enumerate(p.body, start=1):
        for c, text in enumerate(row):
            if (c, i - 1) not in merged:
                fill(i, c, text)
    for c, a, b in p.merges:
        if b > a:
            table.cell(a + 1, c).merge(table.cell(b + 1, c))
    for c, text in enumerate(p.total):
        fill(len(p.body) + 1, c, text, True)
    for n, row in enumerate(table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        for tag in ["w:cantSplit"] + (["w:tblHeader"] if n == 0 else []):
            el = OxmlElement(tag)
            el.set(qn("w:val"), "true")
            tr_pr.append(el)
    scale = text_width / sum(WIDTH[r] for r in p.roles)
    for c, column in enumerate(table.columns):
        column.width = Mm(WIDTH[p.roles[c]] * scale)
        for cell in column.cells:
            cell.width = Mm(WIDTH[p.roles[c]] * scale)
    add_paragraph(doc, "自评等级：优", "plain", 10)
    doc.save(path)


FONT, PAD = "STSong-Light", 3.0


def build_reportlab(spec: dict, p: Printed, path: Path) -> None:
    """Drawn with reportlab: narrative pages, then the table (rules all/rows/none), merged
    labels at the top of their span, natural page breaks with the header repeated."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    size = spec.get("font_size", 8.5)
    lead = size * 1.3
    page_w, page_h = A4 if spec.get("orientation") == "portrait" else landscape(A4)
    ws = [WIDTH[r] for r in p.roles]
    ws = [w * (page_w - 80) / sum(ws) for w in ws]
    xs = [40 + sum(ws[:i]) for i in range(len(ws) + 1)]
    c = Canvas(str(path), pagesize=(page_w, page_h))
    c.setTitle(p.title)

    def wrap(text: str, width: float) -> list[str]:
        lines, line = [], ""
        for ch in text:
            if line and stringWidth(line + ch, FONT, size) > width - 2 * PAD:
                lines.append(line)
                line = ""
            line += ch
        return [*lines, line] if line else []

    if spec.get("narrative"):
        c.setFont(FONT, 16)
        c.drawCentredString(page_w / 2, page_h - 60, p.title.replace("自评表", "自评报告"))
        c.setFont(FONT, 11)
        y = page_h - 100
        for _ in range(spec["narrative"]):
            for text in narrative_pages(spec)[:4]:
                for line in wrap(text, page_w - 120):
                    if y < 60:
                        c.showPage()
                        c.setFont(FONT, 11)
                        y = page_h - 60
                    c.drawString(60, y, line)
                    y -= 18
                y -= 6
        c.showPage()
    rules = spec.get("rules", "all")
    merged_at = {}  # (col, row) → (first, last) of its span
    for col, a, b in p.merges:
        for r in range(a, b + 1):
            merged_at[(col, r)] = (a, b)

    def cells(row: list[str]) -> list[list[str]]:
        return [wrap(t, w) for t, w in zip(row, ws, strict=True)]

    def row_height(lines: list[list[str]], skip: set[int] = frozenset()) -> float:
        return max([1] + [len(v) for i, v in enumerate(lines) if i not in skip]) * lead + 2 * PAD

    def draw_row(y, lines, skip=frozenset(), rule_cols=None):
        hgt = row_height(lines, skip)
        for i, col_lines in enumerate(lines):
            if i in skip:
                continue
            for j, text in enumerate(col_lines):
                base = y - PAD - size - j * lead
                if p.roles[i] in TEXT_ROLES:
                    c.drawString(xs[i] + PAD, base, text)
                else:
                    c.drawCentredString((xs[i] + xs[i + 1]) / 2, base, text)
        if rules in ("all", "rows"):
            for i in rule_cols if rule_cols is not None else range(len(lines)):
                c.line(xs[i], y, xs[i + 1], y)
        if rules == "all":
            for x in xs:
                c.line(x, y, x, y - hgt)
        return y - hgt

    def start_page(first: bool):
        c.setFont(FONT, size)
        y = page_h - 40
        if first:
            c.setFont(FONT, 14)
            c.drawCentredString(page_w / 2, y - 10, p.title)
            c.setFont(FONT, size)
            y -= 40
        return draw_row(y, cells(p.header))

    y = start_page(True)
    bottom = 50
    for r, row in enumerate(p.body):
        lines = cells(row)
        # a merged label prints at the top of its span (or of its part on a new page)
        skip = {col for col in range(len(row)) if (col, r) in merged_at
                and merged_at[(col, r)][0] != r}  # fmt: skip
        hgt = row_height(lines, skip)
        if y - hgt < bottom:
            if rules in ("all", "rows"):
                c.line(xs[0], y, xs[-1], y)
            c.showPage()
            y = start_page(False)
            for col in skip:  # the label again on the new page, as merged cells split
                a, _b = merged_at[(col, r)]
                lines[col] = wrap(p.body[a][col], ws[col])
            skip = set()
        rule_cols = [i for i in range(len(row)) if i not in skip]
        y = draw_row(y, lines, skip, rule_cols)
    y = draw_row(y, cells(p.total))
    if rules in ("all", "rows"):
        c.line(xs[0], y, xs[-1], y)
    c.drawString(xs[0], y - 20, "自评等级：优")
    c.save()


def build_html(spec: dict, p: Printed, path: Path) -> None:
    """An HTML page: narrative paragraphs, then the table (rowspans for merged cells)."""
    size = spec.get("font_size", 9)
    border = {"all": "td,th{border:1px solid #000}",
              "rows": "td,th{border-top:1px solid #000;border-bottom:1px solid #000}",
              "none": ""}[spec.get("rules", "all")]  # fmt: skip
    orient = spec.get("orientation", "landscape")
    css = (
        f"@page{{size:A4 {orient};margin:15mm}}body{{font-family:'{SERIF}';font-size:11pt}}"
        "table{border-collapse:collapse;table-layout:fixed;width:100%}"
        f"td,th{{padding:2px 3px;font-size:{size}pt;text-align:center;vertical-align:middle}}"
        f"{border}tr{{page-break-inside:avoid}}"
    )
    out = [f"<html><head><meta charset='utf-8'><title>{h.escape(p.title)}</title>"
           f"<style>{css}</style></head><body>"]  # fmt: skip
    if spec.get("narrative"):
        out.append(f"<h2 style='text-align:center'>{h.escape(p.title)}报告</h2>")
        out += [f"<p>{h.escape(t)}</p>" for t in narrative_pages(spec)]
        out.append("<div style='page-break-after:always'></div>")
    out.append(f"<h3 style='text-align:center'>{h.escape(p.title)}</h3>")
    out.append("<table>" + "".join(f"<col style='width:{WIDTH[r]}%'>" for r in p.roles))
    out.append("<thead><tr>" + "".join(f"<th>{h.escape(t)}</th>" for t in p.header)
               + "</tr></thead><tbody>")  # fmt: skip
    span_of = {(col, a): b - a + 1 for col, a, b in p.merges}
    inside = {(col, r) for col, a, b in p.merges for r in range(a + 1, b + 1)}
    for r, row in enumerate(p.body):
        tds = []
        for col, text in enumerate(row):
            if (col, r) in inside:
                continue
            n = span_of.get((col, r), 1)
            align = "left" if p.roles[col] in TEXT_ROLES else "center"
            tds.append(f"<td rowspan={n} style='text-align:{align}'>{h.escape(text)}</td>")
        out.append("<tr>" + "".join(tds) + "</tr>")
    out.append("<tr>" + "".join(f"<td>{h.escape(t)}</td>" for t in p.total) + "</tr>")
    out.append("</tbody></table><p>自评等级：优</p></body></html>")
    path.write_text("\n".join(out), encoding="utf-8")


def build(spec: dict, p: Printed, work: Path, target: Path) -> Path:
    producer = spec["producer"]
    if producer == "reportlab":
        build_reportlab(spec, p, target)
        return target
    if producer == "chromium":
        src = work / f"{spec['id']}.html"
        build_html(spec, p, src)
        return chromium_to_pdf(src, target)
    builder, ext = {"calc": (build_calc, ".xlsx"), "writer": (build_writer, ".docx")}[producer]
    src = work / f"{spec['id']}{ext}"
    builder(spec, p, src)
    shutil.copyfile(soffice_to_pdf(src, work), target)
    return target


# --------------------------------------------------------------------------- variants

CQ_DISTRICTS = [("500104", "重庆市大渡口区"), ("500106", "重庆市沙坪坝区"),
                ("500107", "重庆市九龙坡区"), ("500112", "重庆市渝北区"),
                ("500113", "重庆市巴南区"), ("500116", "重庆市江津区")]  # fmt: skip
TREE_DISTRICTS = [("340102", "安徽省合肥市瑶海区"), ("410102", "河南省郑州市中原区"),
                  ("430102", "湖南省长沙市芙蓉区"), ("410305", "河南省洛阳市涧西区"),
                  ("340202", "安徽省芜湖市镜湖区")]  # fmt: skip
FLAT_COLUMNS = [
    ["指标名称:name", "是否核心指标:core", "权重:weight", "目标值:target", "完成值:actual",
     "得分:score"],
    ["序号:no", "指标名称:name", "是否核心指标:core", "权重:weight", "目标值:target",
     "完成值:actual", "得分:score", "偏差原因:reason"],
    ["指标名称:name", "是否核心指标:core", "分值:weight", "目标值:target", "完成值:actual",
     "自评得分:score"],
]  # fmt: skip
TREE_COLUMNS = [
    ["序号:no", "一级指标:l1", "二级指标:l2", "三级指标:l3", "指标分值:w3", "指标解释:explanation",
     "评分标准:criteria", "自评得分:score"],
    ["一级:l1", "二级:l2", "三级:l3", "指标分值:w3", "评分标准:criteria", "自评得分:score"],
    ["一级指标:l1", "二级指标:l2", "三级指标:l3", "分值:w3", "自评得分:score"],
]  # fmt: skip
NAME_WEIGHT = ["{name}（{w}分）", "{name}({w})", "{name}（{w}）", "{name}({w}分)"]
PRODUCERS = ("calc", "writer", "reportlab", "chromium")


def random_spec(rng: random.Random, n: int, trees: dict) -> dict:
    """One variant: family, tree, deductions and layout drawn at random."""
    family = rng.choice(["flat", "common_tree"])
    producer = PRODUCERS[n % len(PRODUCERS)]
    flat = family == "flat"
    tree = rng.choice(["cq-health", "cq-education", "cq-civil"] if flat else
                      ["jgcx", "tgcx", "ghzx"])  # fmt: skip
    code, district = rng.choice(CQ_DISTRICTS if flat else TREE_DISTRICTS)
    deductions = {}
    for row in rng.sample(trees[tree], rng.randint(1, 4)):
        name, weight = (row[0], row[2]) if flat else (row[2], row[3])
        deductions[name] = [round(weight - rng.choice([0.5, 1, 0.2, 0.8, 1.5]), 2), ""]
    if flat:
        deductions["预算执行率"] = [round(rng.uniform(8.5, 10), 2), ""]
    rules = rng.choice(["all", "all", "rows", "none"] if flat else ["all", "all", "rows"])
    if producer == "calc":
        rules = "all"
    return {
        "id": f"v{n:04d}-{family.replace('_', '')}-{producer}",
        "family": family,
        "tree": tree,
        "district_code": code,
        "district": district,
        "department": rng.choice(["民政局", "教育局", "财政局", "卫生健康委员会", "农业农村局"]),
        "year": rng.choice([2021, 2022, 2023, 2024]),
        "producer": producer,
        "columns": rng.choice(FLAT_COLUMNS if flat else TREE_COLUMNS),
        "name_weight": rng.choice(NAME_WEIGHT),
        "deductions": deductions,
        "rules": rules,
        "narrative": rng.choice([0, 0, 1, 2]) if producer != "calc" else 0,
        "total_label": rng.choice(["总分", "合计"]),
        "orientation": rng.choice(["landscape", "landscape", "portrait"]),
        "font_size": rng.choice([8, 9, 10]),
    }


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("ids", nargs="*")
    parser.add_argument("--random", type=int, default=0, help="draw N variants instead")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="where variants go")
    args = parser.parse_args(argv)
    data = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    trees = data["trees"]
    if args.random:
        rng = random.Random(args.seed)
        specs = [random_spec(rng, n, trees) for n in range(args.random)]
    else:
        specs = [s for s in data["layouts"] if not args.ids or s["id"] in args.ids]
    with tempfile.TemporaryDirectory(prefix="families-") as tmp:
        for spec in specs:
            out = args.out if args.random else OUT / spec["family"]
            out.mkdir(parents=True, exist_ok=True)
            p = printed(spec, trees)
            pdf = build(spec, p, Path(tmp), out / f"{spec['id']}.pdf")
            write_truth(p, spec["family"], out / f"{spec['id']}.csv")
            if args.random:
                (out / f"{spec['id']}.yaml").write_text(
                    yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8"
                )
            print(f"{pdf}  {pdf.stat().st_size} bytes", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
