"""Build the MoF form corpus (``tests/fixtures/frameworks/<family>/``) with known truth.

The Ministry of Finance 2020 standard forms, filled in with districts and numbers
of our own: the 部门整体支出绩效自评表 (family ``mof-dept``) and documents with
several 项目支出绩效自评表 (family ``mof-project``). Specs in
``tools/layouts/forms.yaml``; run from anywhere::

    /work/main/.venv/bin/python tools/make_forms.py [ID ...]

Each spec becomes ``<id>.pdf`` (or ``.xlsx`` / ``.docx`` for a document published as
such) and, beside it, ``<id>.csv`` (every indicator row, each form's 总分) and
``<id>.budget.csv`` (every budget figure), written from what this script printed,
never from jixiao's output. Producers: ``calc`` (openpyxl → LibreOffice Calc),
``writer`` (python-docx → LibreOffice Writer, the forms attached to a narrative),
``reportlab`` (platypus tables, fonts not embedded), ``chromium`` (an HTML page
printed by Chromium), ``xlsx`` / ``docx`` (the openpyxl / python-docx file itself).
Needs what ``tools/make_layouts.py`` needs.
"""

from __future__ import annotations

import csv
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_layouts import CHROMIUM, chromium_to_pdf
from make_samples import SANS, SERIF, add_paragraph, new_document, soffice_to_pdf

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "layouts" / "forms.yaml"
OUT = ROOT / "tests" / "fixtures" / "frameworks"
NCOL = 9
CENT = Decimal("0.01")
assert CHROMIUM


def q2(x: Decimal) -> Decimal:
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


def wan(x: Decimal) -> str:
    return f"{x:,.2f}" if x >= 1000 else f"{x:.2f}"


@dataclass
class Place:
    """One cell of the 9-column form grid: text at (row, col) spanning rows × cols."""

    r: int
    c: int
    text: str
    rs: int = 1
    cs: int = 1
    bold: bool = False
    left: bool = False


@dataclass
class Form:
    """One filled-in form: its title, the grid, and the truth it prints."""

    title: str
    project: str  # "" for the 部门整体 form
    places: list[Place] = field(default_factory=list)
    n_rows: int = 0
    scores: list[dict] = field(default_factory=list)
    budgets: list[dict] = field(default_factory=list)


def build_form(spec: dict, part: dict, sets: dict) -> Form:
    """The grid of one form (department or one project) and its truth rows."""
    project = part.get("project", "")
    dept = spec["department"]
    year = spec["year"]
    kind = "项目支出绩效自评表" if project else "部门整体支出绩效自评表"
    form = Form(f"{year}年度{kind}", project)
    places = form.places
    r = 0
    if project:
        places += [Place(r, 0, "项目名称", cs=2), Place(r, 2, project, cs=7, left=True)]
        r += 1
        places += [
            Place(r, 0, "主管部门", cs=2),
            Place(r, 2, dept, cs=3, left=True),
            Place(r, 5, "实施单位", cs=1),
            Place(r, 6, part.get("unit", dept), cs=3, left=True),
        ]
        r += 1
        items = ["年度资金总额", "其中：财政拨款", "其他资金"]
        item_names = dict(zip(items, ["年度资金总额", "财政拨款", "其他资金"], strict=True))
    else:
        places += [Place(r, 0, "部门（单位）名称", cs=2), Place(r, 2, dept, cs=7, left=True)]
        r += 1
        items = ["年度资金总额", "其中：基本支出", "项目支出"]
        item_names = dict(zip(items, ["部门预算", "基本支出", "项目支出"], strict=True))
    # ---- budget execution block
    b = part["budget"]
    parts = [[Decimal(str(v)) for v in b[k]] for k in ("a", "b")]
    rows = [[parts[0][i] + parts[1][i] for i in range(3)], *parts]
    places.append(Place(r, 0, "年度预算执行情况（万元）", rs=4))
    heads = ["", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
    places.append(Place(r, 1, heads[0], cs=2))
    for i, h in enumerate(heads[1:]):
        places.append(Place(r, 3 + i, h))
    exec_weight = Decimal(str(part.get("exec_weight", 10)))
    exec_score = None
    for k, (label, (ini, bud, act)) in enumerate(zip(items, rows, strict=True)):
        rr = r + 1 + k
        rate = q2(act / bud * 100) if bud else None
        places.append(Place(rr, 1, label, cs=2, left=k > 0))
        places += [Place(rr, 3, wan(ini)), Place(rr, 4, wan(bud)), Place(rr, 5, wan(act))]
        places.append(Place(rr, 7, f"{rate}%" if rate is not None else "—"))
        item = item_names[label]
        for measure, v in (("initial_budget", ini), ("budget", bud), ("actual", act)):
            form.budgets.append({"project": project, "item": item, "measure": measure,
                                 "amount_yuan": str(q2(v * 10000)), "rate": ""})  # fmt: skip
        if rate is not None:
            form.budgets.append({"project": project, "item": item, "measure": "execution_rate",
                                 "amount_yuan": "", "rate": str(rate / 100)})  # fmt: skip
        if k == 0:
            exec_score = q2(min(rate / 100, Decimal(1)) * exec_weight)
            places += [Place(rr, 6, f"{exec_weight:g}"), Place(rr, 8, str(exec_score))]
        else:
            places += [Place(rr, 6, "—"), Place(rr, 8, "—")]
    r += 4
    # ---- 年度总体目标
    places.append(Place(r, 0, "年度总体目标", rs=2))
    places += [Place(r, 1, "预期目标", cs=4), Place(r, 5, "实际完成情况", cs=4)]
    places += [
        Place(r + 1, 1, part.get("goal", "按计划完成年度各项工作任务。"), cs=4, left=True),
        Place(r + 1, 5, part.get("done", "年度各项工作任务已按计划完成。"), cs=4, left=True),
    ]
    r += 2
    # ---- 年度绩效指标
    indicators = sets[part["indicators"]]
    scores = part.get("scores", {})
    n = len(indicators)
    places.append(Place(r, 0, "年度绩效指标", rs=n + 1))
    for i, h in enumerate(
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
         "偏差原因分析及改进措施"]
    ):  # fmt: skip
        places.append(Place(r, 1 + i, h))
    r += 1
    form.scores.append({"project": project, "l1": "预算执行率", "l2": "", "l3": "",
                        "weight": f"{exec_weight:g}", "score": str(exec_score)})  # fmt: skip
    total_w, total_s = exec_weight, exec_score
    merge = spec.get("labels", "merged") == "merged"
    for col, key in ((1, 0), (2, 1)):  # 一级 and 二级 label spans
        start = 0
        for i in range(1, n + 1):
            if (
                i == n
                or indicators[i][key] != indicators[start][key]
                or (key == 1 and indicators[i][0] != indicators[start][0])
            ):
                if merge:
                    places.append(Place(r + start, col, indicators[start][key], rs=i - start))
                else:
                    for j in range(start, i):
                        places.append(Place(r + j, col, indicators[j][key]))
                start = i
    for i, (l1, l2, l3, target, weight) in enumerate(indicators):
        w = Decimal(str(weight))
        got = scores.get(l3)
        s = Decimal(str(got[0])) if got else w
        reason = got[1] if got else ""
        actual = got[2] if got and len(got) > 2 else target
        places += [
            Place(r + i, 3, l3, left=True),
            Place(r + i, 4, str(target)),
            Place(r + i, 5, str(actual)),
            Place(r + i, 6, f"{w:g}"),
            Place(r + i, 7, f"{s:g}"),
            Place(r + i, 8, reason, left=True),
        ]
        form.scores.append({"project": project, "l1": l1, "l2": l2, "l3": l3,
                            "weight": f"{w:g}", "score": f"{s:g}"})  # fmt: skip
        total_w, total_s = total_w + w, total_s + s
    r += n
    places += [Place(r, 0, "总分", cs=6), Place(r, 6, f"{total_w:g}"), Place(r, 7, f"{total_s:g}"),
               Place(r, 8, "")]  # fmt: skip
    form.scores.append({"project": project, "l1": "总分", "l2": "", "l3": "",
                        "weight": f"{total_w:g}", "score": f"{total_s:g}"})  # fmt: skip
    form.n_rows = r + 1
    return form


def matrix(form: Form) -> list[list[Place | None]]:
    """Each grid position → the place whose top-left it is (None inside a span or empty)."""
    m: list[list[Place | None]] = [[None] * NCOL for _ in range(form.n_rows)]
    for p in form.places:
        m[p.r][p.c] = p
    return m


WIDTHS = [12, 9, 9, 22, 12, 12, 6, 7, 22]  # relative column widths


# --------------------------------------------------------------------------- producers


def build_xlsx(spec: dict, forms: list[Form], path: Path) -> None:
    """One sheet per form, merged cells, thin borders, fit to one page wide."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    size = spec.get("font_size", 9)
    for k, form in enumerate(forms):
        ws = wb.active if k == 0 else wb.create_sheet()
        ws.title = (form.project or "部门整体支出绩效自评表")[:28]
        ws.cell(1, 1, form.title).font = Font(name=SANS, size=14, bold=True)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=NCOL)
        ws.cell(1, 1).alignment = Alignment(horizontal="center")
        ws.cell(2, 1, f"（{spec['year']}年度）").alignment = Alignment(horizontal="center")
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=NCOL)
        top = 3
        for r in range(form.n_rows):
            for c in range(NCOL):
                cell = ws.cell(top + r, c + 1)
                cell.border = border
                cell.font = Font(name=SANS, size=size)
                cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        for p in form.places:
            cell = ws.cell(top + p.r, p.c + 1, p.text)
            cell.alignment = Alignment(
                wrap_text=True, vertical="center", horizontal="left" if p.left else "center"
            )
            if p.rs > 1 or p.cs > 1:
                ws.merge_cells(
                    start_row=top + p.r, start_column=p.c + 1,
                    end_row=top + p.r + p.rs - 1, end_column=p.c + p.cs,
                )  # fmt: skip
        for c, w in enumerate(WIDTHS):
            ws.column_dimensions[get_column_letter(c + 1)].width = w * spec.get("width_scale", 1)
        lines: dict[int, int] = {}
        for p in form.places:  # Calc does not grow a row for wrapped text: set its height
            width = sum(WIDTHS[p.c : p.c + p.cs]) * spec.get("width_scale", 1)
            need = -(-len(p.text) * 2 // max(int(width) - 1, 1))
            per_row = -(-need // p.rs)
            lines[p.r] = max(lines.get(p.r, 1), per_row)
        for r, n in lines.items():
            ws.row_dimensions[top + r].height = 14 * n
        ws.page_setup.orientation = spec.get("orientation", "landscape")
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    wb.save(path)


def build_docx(spec: dict, forms: list[Form], path: Path) -> None:
    """A narrative report with the forms attached (附件), each a Word table with merges."""
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt
    from make_samples import set_run_font

    doc = new_document()
    dept = spec["department"]
    add_paragraph(doc, f"{dept}{spec['year']}年度部门整体支出绩效自评报告", "title")
    for text in spec.get("narrative", []):
        add_paragraph(doc, text)
    section = doc.add_section()
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Mm(15)
    section.top_margin = section.bottom_margin = Mm(15)
    size = spec.get("font_size", 9)
    for k, form in enumerate(forms):
        add_paragraph(doc, f"附件{k + 1}", "plain", size=12, page_break=k > 0)
        add_paragraph(doc, form.title, "title", size=16)
        table = doc.add_table(rows=form.n_rows, cols=NCOL)
        table.style = "Table Grid"
        total = sum(WIDTHS)
        for c, w in enumerate(WIDTHS):
            for cell in table.columns[c].cells:
                cell.width = Mm(267 * w / total)
        for p in form.places:
            cell = table.cell(p.r, p.c)
            if p.rs > 1 or p.cs > 1:
                cell = cell.merge(table.cell(p.r + p.rs - 1, p.c + p.cs - 1))
            para = cell.paragraphs[0]
            para.paragraph_format.first_line_indent = Pt(0)
            para.paragraph_format.line_spacing = Pt(size * 1.3)
            para.alignment = WD_ALIGN_PARAGRAPH.LEFT if p.left else WD_ALIGN_PARAGRAPH.CENTER
            set_run_font(para.add_run(p.text), SERIF, size)
    doc.save(path)


def build_reportlab(spec: dict, forms: list[Form], path: Path) -> None:
    """platypus tables: rules ``all`` (a grid) or ``rows`` (horizontal rules only)."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table

    font = "STSong-Light"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    size = spec.get("font_size", 8.5)
    centre = ParagraphStyle("c", fontName=font, fontSize=size, leading=size * 1.3, alignment=1)
    left = ParagraphStyle("l", parent=centre, alignment=0)
    title = ParagraphStyle("t", fontName=font, fontSize=14, leading=20, alignment=1)
    page = landscape(A4)
    doc = SimpleDocTemplate(str(path), pagesize=page, leftMargin=30, rightMargin=30,
                            topMargin=30, bottomMargin=30, title=forms[0].title)  # fmt: skip
    total = sum(WIDTHS)
    widths = [(page[0] - 60) * w / total for w in WIDTHS]
    story = []
    for k, form in enumerate(forms):
        if k:
            story.append(PageBreak())
        story += [Paragraph(form.title, title), Spacer(1, 8)]
        data = [["" for _ in range(NCOL)] for _ in range(form.n_rows)]
        style = [("FONT", (0, 0), (-1, -1), font, size), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
        for p in form.places:
            data[p.r][p.c] = Paragraph(p.text, left if p.left else centre) if p.text else ""
            if p.rs > 1 or p.cs > 1:
                style.append(("SPAN", (p.c, p.r), (p.c + p.cs - 1, p.r + p.rs - 1)))
        if spec.get("rules", "all") == "all":
            style.append(("GRID", (0, 0), (-1, -1), 0.5, "black"))
        else:
            style += [("LINEABOVE", (0, 0), (-1, 0), 1, "black"),
                      ("LINEBELOW", (0, 0), (-1, -1), 0.4, "black")]  # fmt: skip
        story.append(Table(data, colWidths=widths, style=style, repeatRows=0))
    doc.build(story)


def build_html(spec: dict, forms: list[Form], path: Path) -> None:
    """An HTML page as district sites publish them: rowspan/colspan tables."""
    import html

    out = ["<!doctype html><html><head><meta charset='utf-8'><style>",
           "body{font-family:'Noto Serif CJK SC',serif;font-size:11px}",
           "table{border-collapse:collapse;width:100%;margin-bottom:24px}",
           "td{border:1px solid #000;padding:3px;text-align:center}",
           "td.l{text-align:left} h2{text-align:center;font-size:18px}",
           "@page{size:A4 landscape;margin:12mm}</style></head><body>"]  # fmt: skip
    for text in spec.get("narrative", []):
        out.append(f"<p>{html.escape(text)}</p>")
    for k, form in enumerate(forms):
        brk = " style='page-break-before:always'" if k else ""
        out.append(f"<h2{brk}>{html.escape(form.title)}</h2><table>")
        m = matrix(form)
        for row in m:
            out.append("<tr>")
            for p in row:
                if p is None:
                    continue
                attrs = (f" rowspan={p.rs}" if p.rs > 1 else "") + (
                    f" colspan={p.cs}" if p.cs > 1 else ""
                )
                cls = " class=l" if p.left else ""
                out.append(f"<td{attrs}{cls}>{html.escape(p.text)}</td>")
            out.append("</tr>")
        out.append("</table>")
    out.append("</body></html>")
    path.write_text("\n".join(out), encoding="utf-8")


# --------------------------------------------------------------------------- main


def write_truth(spec: dict, forms: list[Form], out: Path) -> None:
    with open(out / f"{spec['id']}.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, ["project", "l1", "l2", "l3", "weight", "score"])
        w.writeheader()
        for form in forms:
            w.writerows(form.scores)
    with open(out / f"{spec['id']}.budget.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, ["project", "item", "measure", "amount_yuan", "rate"])
        w.writeheader()
        for form in forms:
            w.writerows(form.budgets)


def build(spec: dict, sets: dict, work: Path) -> Path:
    forms = [build_form(spec, part, sets) for part in spec["forms"]]
    out = OUT / spec["family"]
    out.mkdir(parents=True, exist_ok=True)
    producer = spec["producer"]
    stem = spec["id"]
    if producer in ("xlsx", "calc"):
        src = (out if producer == "xlsx" else work) / f"{stem}.xlsx"
        build_xlsx(spec, forms, src)
    elif producer in ("docx", "writer"):
        src = (out if producer == "docx" else work) / f"{stem}.docx"
        build_docx(spec, forms, src)
    elif producer == "reportlab":
        src = out / f"{stem}.pdf"
        build_reportlab(spec, forms, src)
    elif producer == "chromium":
        html = work / f"{stem}.html"
        build_html(spec, forms, html)
        src = chromium_to_pdf(html, out / f"{stem}.pdf")
    else:
        raise ValueError(f"unknown producer {producer}")
    if producer in ("calc", "writer"):
        src = Path(shutil.copyfile(soffice_to_pdf(src, work), out / f"{stem}.pdf"))
    write_truth(spec, forms, out)
    return src


def main(argv: list[str]) -> int:
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory(prefix="forms-") as tmp:
        for spec in data["documents"]:
            if argv and spec["id"] not in argv:
                continue
            path = build(spec, data["indicator_sets"], Path(tmp))
            print(f"{path.relative_to(ROOT)}  {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
