"""Build the corpus of reports without a score (``tests/fixtures/frameworks/``).

Run from anywhere::

    .venv/bin/python tools/make_unscored.py

Two families, four layouts each, from four producers (python-docx → .docx,
openpyxl → .xlsx, a hand-written HTML page, reportlab → PDF), districts and
departments of other provinces, numbers of their own:

* ``grade_only/``: a report that states its grade in words (整体绩效自评结果为
  “优秀”, 自评等级为良好 …) and its budget execution, and no score at all;
* ``unfilled/``: a 自评表 published before anyone filled it in: every 得分 cell
  blank, or a 总分 of 0 with no score above it.

Beside each document, ``<id>.csv`` is the truth, written from what this script
printed (never from jixiao's output): ``what,name,measure,value`` rows —
``report`` (grade, total, status, reason; an empty value means absent),
``budget`` (item, measure, amount in yuan or rate as a fraction) and
```indicator`` (printed name, its weight; its score is absent). ``manifest.yaml``
lists each family's documents.
Needs python-docx, openpyxl and reportlab (all in requirements.lock); no
LibreOffice.
"""

from __future__ import annotations

import csv
import sys
from decimal import Decimal
from html import escape
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_samples import SANS, add_paragraph, new_document, set_run_font

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "fixtures" / "frameworks"
FONT = "STSong-Light"  # reportlab's CID font: no font file needed

# grade word as printed → the grade jixiao stores (reference/grades.yaml)
GRADE_ONLY = [
    {
        "id": "jiangning-2023-docx",
        "producer": "docx",
        "district_code": "320115",
        "place": "南京市江宁区",
        "department": "教育局",
        "year": 2023,
        "sentence": "经综合评价，我局{year}年度部门整体绩效自评结果为“优秀”。",
        "grade": "优",
        "budget": ("12,345.60", "13,020.00", "12,801.35", "98.32"),
    },
    {
        "id": "yuhua-2022-html",
        "producer": "html",
        "district_code": "430111",
        "place": "长沙市雨花区",
        "department": "卫生健康局",
        "year": 2022,
        "sentence": "根据评价指标体系综合评定，{year}年度部门整体支出绩效自评等级为良好。",
        "grade": "良",
        "budget": ("8,410.00", "9,105.72", "8,733.18", "95.91"),
    },
    {
        "id": "wuhou-2023-xlsx",
        "producer": "xlsx",
        "district_code": "510107",
        "place": "成都市武侯区",
        "department": "民政局",
        "year": 2023,
        "sentence": "部门整体绩效自评结果为“优秀”",
        "grade": "优",
        # a 年度部门预算情况 block: 总预算, 基本支出, 项目支出 (万元)
        "block": ("6,880.15", "2,101.40", "4,778.75"),
    },
    {
        "id": "shushan-2022-reportlab",
        "producer": "reportlab",
        "district_code": "340104",
        "place": "合肥市蜀山区",
        "department": "财政局",
        "year": 2022,
        "sentence": "经自评，本单位{year}年度整体绩效评价结果为“合格”。",
        "grade": "中",
        "budget": ("4,120.00", "4,388.60", "3,902.77", "88.93"),
    },
]

# the 部门整体 tree the unfilled forms print: (一级, 二级, 三级, 分值)
TREE = [
    ("产出指标", "数量指标", "重点工作任务完成数", 15),
    ("产出指标", "质量指标", "工作质量达标率", 15),
    ("产出指标", "时效指标", "任务按时完成率", 10),
    ("产出指标", "成本指标", "预算成本控制率", 10),
    ("效益指标", "经济效益指标", "带动社会投资增长率", 10),
    ("效益指标", "社会效益指标", "服务对象覆盖率", 20),
    ("效益指标", "可持续影响指标", "长效机制建立情况", 10),
    ("满意度指标", "服务对象满意度指标", "群众满意度", 10),
]
UNFILLED = [
    {
        "id": "lixia-2023-xlsx",
        "producer": "xlsx",
        "district_code": "370102",
        "place": "济南市历下区",
        "department": "住房和城乡建设局",
        "year": 2023,
        "total": "",  # 总分 blank too
    },
    {
        "id": "wuchang-2022-docx",
        "producer": "docx",
        "district_code": "420106",
        "place": "武汉市武昌区",
        "department": "人力资源和社会保障局",
        "year": 2022,
        "total": "0",  # 总分 0, nothing above it
    },
    {
        "id": "yubei-2023-html",
        "producer": "html",
        "district_code": "500112",
        "place": "重庆市渝北区",
        "department": "交通运输局",
        "year": 2023,
        "total": "0",
    },
    {
        "id": "yanta-2022-reportlab",
        "producer": "reportlab",
        "district_code": "610113",
        "place": "西安市雁塔区",
        "department": "审计局",
        "year": 2022,
        "total": "",
    },
]
HEADER = ["一级指标", "二级指标", "三级指标", "分值", "得分", "扣分原因"]


def _yuan(printed: str) -> str:
    return str((Decimal(printed.replace(",", "")) * 10000).quantize(Decimal("0.01")))


def _rate(printed: str) -> str:
    return str(Decimal(printed) / 100)


def title(spec: dict, form: bool) -> str:
    what = "部门整体支出绩效自评表" if form else "部门整体支出绩效自评报告"
    return f"{spec['place']}{spec['department']}{spec['year']}年度{what}"


def grade_only_paragraphs(spec: dict) -> list[tuple[str, str]]:
    """The narrative of a grade-only report: (kind, text)."""
    a, b, c, r = spec["budget"]
    year = spec["year"]
    return [
        ("h1", "一、部门基本情况"),
        ("p", f"{spec['place']}{spec['department']}是区政府工作部门，内设机构6个，下属单位3个。"),
        ("h1", "二、预算执行情况"),
        (
            "p",
            f"{year}年度，部门整体年初预算数为{a}万元，全年预算数为{b}万元，"
            f"全年执行数为{c}万元，预算执行率为{r}%。",
        ),
        ("h1", "三、绩效目标完成情况"),
        ("p", "年度重点工作任务全部按计划完成，服务对象满意度较上年有所提升。"),
        ("h1", "四、自评结论"),
        ("p", spec["sentence"].format(year=year)),
        ("h1", "五、存在的问题及改进措施"),
        ("p", "部分项目前期论证不够充分，下一步将加强预算编制的科学性。"),
    ]


def grade_only_truth(spec: dict) -> list[list[str]]:
    head = [
        ["report", "grade", "", spec["grade"]],
        ["report", "total", "", ""],
        ["report", "status", "", "valid"],
    ]
    if "block" in spec:
        items = ("部门预算", "基本支出", "项目支出")
        return [
            *head,
            *[
                ["budget", item, "budget", _yuan(v)]
                for item, v in zip(items, spec["block"], strict=True)
            ],
        ]
    a, b, c, r = spec["budget"]
    return [
        *head,
        ["budget", "部门预算", "initial_budget", _yuan(a)],
        ["budget", "部门预算", "budget", _yuan(b)],
        ["budget", "部门预算", "actual", _yuan(c)],
        ["budget", "部门预算", "execution_rate", _rate(r)],
    ]


def unfilled_truth(spec: dict) -> list[list[str]]:
    rows = [
        ["report", "grade", "", ""],
        ["report", "total", "", ""],
        ["report", "status", "", "invalid"],
        ["report", "reason", "", "scores_not_filled"],
    ]
    return rows + [["indicator", l3, "weight", str(w)] for _, _, l3, w in TREE]


def unfilled_rows(spec: dict) -> list[list[str]]:
    """The form's printed rows: the tree with blank 得分, then 总分."""
    rows = [[l1, l2, l3, str(w), "", ""] for l1, l2, l3, w in TREE]
    return [*rows, ["总分", "", "", "100", spec["total"], ""]]


# --------------------------------------------------------------------------- producers


def build_docx(spec: dict, path: Path, family: str) -> None:
    doc = new_document()
    if family == "grade_only":
        add_paragraph(doc, title(spec, form=False), "title")
        for kind, text in grade_only_paragraphs(spec):
            add_paragraph(doc, text, kind)
    else:
        add_paragraph(doc, title(spec, form=True), "title", 18)
        rows = unfilled_rows(spec)
        table = doc.add_table(rows=len(rows) + 1, cols=len(HEADER))
        table.style = "Table Grid"
        for r, line in enumerate([HEADER, *rows]):
            for c, text in enumerate(line):
                cell = table.cell(r, c)
                cell.text = ""
                set_run_font(cell.paragraphs[0].add_run(text), SANS, 10, r == 0)
        add_paragraph(doc, "评价等级：□优  □良  □中  □差", "plain", 12)
    doc.save(path)


def build_xlsx(spec: dict, path: Path, family: str) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Border, Side

    wb = Workbook()
    ws = wb.active
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws.append([title(spec, form=True)])
    ws.append([])
    if family == "grade_only":
        total, basic, project = spec["block"]
        lines = [
            ["部门名称", f"{spec['place']}{spec['department']}"],
            ["年度部门预算情况", "总预算（万元）", "基本支出", "项目支出"],
            ["", total, basic, project],
            ["年度总体目标完成情况", "年度重点工作任务全部按计划完成。"],
            ["自评结论", spec["sentence"]],
        ]
        widths = [22, 30, 18, 18, 12]
    else:
        lines = [HEADER, *unfilled_rows(spec)]
        widths = [12, 16, 22, 8, 8, 20]
    for line in lines:
        ws.append(line)
        for cell in ws[ws.max_row]:
            cell.border = box
    for i, w in enumerate(widths):
        ws.column_dimensions["ABCDEF"[i]].width = w
    wb.save(path)


def build_html(spec: dict, path: Path, family: str) -> None:
    parts = [
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{escape(title(spec, form=family != 'grade_only'))}</title></head><body>",
        '<div class="nav">首页 &gt; 政府信息公开 &gt; 财政信息</div><div class="article">',
    ]
    if family == "grade_only":
        parts.append(f"<h1>{escape(title(spec, form=False))}</h1>")
        for kind, text in grade_only_paragraphs(spec):
            tag = "h2" if kind == "h1" else "p"
            parts.append(f"<{tag}>{escape(text)}</{tag}>")
    else:
        parts.append(f"<h1>{escape(title(spec, form=True))}</h1>")
        parts.append('<table border="1" cellspacing="0">')
        for r, line in enumerate([HEADER, *unfilled_rows(spec)]):
            cell = "th" if r == 0 else "td"
            parts.append("<tr>" + "".join(f"<{cell}>{escape(t)}</{cell}>" for t in line) + "</tr>")
        parts.append("</table><p>评价等级：□优 □良 □中 □差</p>")
    parts.append("</div></body></html>")
    path.write_text("\n".join(parts), encoding="utf-8")


def build_reportlab(spec: dict, path: Path, family: str) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    w, h = A4
    c = Canvas(str(path), pagesize=A4)
    c.setTitle(title(spec, form=family != "grade_only"))
    y = h - 80
    c.setFont(FONT, 15)
    c.drawCentredString(w / 2, y, title(spec, form=family != "grade_only"))
    y -= 40
    if family == "grade_only":
        for kind, text in grade_only_paragraphs(spec):
            size = 12 if kind == "h1" else 11
            c.setFont(FONT, size)
            for line in _wrap_at_commas(text, 38):
                c.drawString(60 if kind == "h1" else 82, y, line)
                y -= 20
            y -= 6
    else:
        widths = [65, 110, 130, 40, 40, 90]
        x0 = (w - sum(widths)) / 2
        xs = [x0 + sum(widths[:i]) for i in range(len(widths) + 1)]
        rows = [HEADER, *unfilled_rows(spec)]
        top = y + 14
        for line in rows:
            c.setFont(FONT, 10)
            for i, text in enumerate(line):
                c.drawCentredString((xs[i] + xs[i + 1]) / 2, y, text)
            y -= 24
        bottom = y + 14
        for k in range(len(rows) + 1):
            c.line(xs[0], top - 24 * k, xs[-1], top - 24 * k)
        for x in xs:
            c.line(x, top, x, bottom)
        c.setFont(FONT, 11)
        c.drawString(x0, bottom - 30, "评价等级：□优  □良  □中  □差")
    c.showPage()
    c.save()


def _wrap_at_commas(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` characters, broken after a comma where one fits."""
    lines, line = [], ""
    for clause in text.replace("，", "，\n").split("\n"):
        if line and len(line) + len(clause) > width:
            lines.append(line)
            line = ""
        line += clause
    return [*lines, line] if line else lines


PRODUCERS = {
    "docx": (build_docx, "docx"),
    "xlsx": (build_xlsx, "xlsx"),
    "html": (build_html, "html"),
    "reportlab": (build_reportlab, "pdf"),
}


def main() -> int:
    for family, specs, truth in (
        ("grade_only", GRADE_ONLY, grade_only_truth),
        ("unfilled", UNFILLED, unfilled_truth),
    ):
        folder = OUT / family
        folder.mkdir(parents=True, exist_ok=True)
        entries = []
        for spec in specs:
            build, ext = PRODUCERS[spec["producer"]]
            build(spec, folder / f"{spec['id']}.{ext}", family)
            with (folder / f"{spec['id']}.csv").open("w", encoding="utf-8", newline="") as f:
                out = csv.writer(f)
                out.writerow(["what", "name", "measure", "value"])
                out.writerows(truth(spec))
            entries.append(
                {
                    "id": spec["id"],
                    "district_code": spec["district_code"],
                    "year": spec["year"],
                    "department": spec["department"],
                    "path": f"{spec['id']}.{ext}",
                }
            )
            print(f"{family}/{spec['id']}.{ext}")
        text = yaml.safe_dump(entries, allow_unicode=True, sort_keys=False)
        (folder / "manifest.yaml").write_text(
            f"# {family}: written by tools/make_unscored.py\n{text}", encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
