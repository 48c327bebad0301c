"""The scale corpus: N distinct generated reports with their truth, cached outside git.

    python bench/corpus.py N            # prints the corpus folder

Each report is a random county-level district (``reference/districts.csv``), fiscal
year, department kind and set of deductions on one of the Guangdong 部门整体 trees of
``tools/layouts/frameworks.yaml``, drawn by the layout corpus's reportlab producer
(``tools/make_layouts.build_reportlab``: no LibreOffice, about 20 ms a document) in one
of its visual styles (rules, label placement, repeated header, budget block, legend).
About 60 % are a bare 自评表; the others are a narrative report (its own pages, stating
the total, the level-1 scores and the budget in prose) with the 自评表 attached.

The folder (``$JIXIAO_SCALE_CACHE/<N>`` or ``~/.cache/jixiao/scale/<N>``) holds
``pdf/<id>.pdf``, ``sources.yaml`` (a manifest, paths relative to it, with sha256) and
``truth.jsonl`` (per report: district, year, department, kind, pages, total, level-1
scores, budget). Generation is deterministic in (N, seed, GENERATOR_VERSION); a folder
whose ``corpus.json`` matches is reused as it is.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

GENERATOR_VERSION = 1
YEARS = range(2015, 2025)
SCORE_TABLE_SHARE = 0.6
# Visual styles of the layout corpus's reportlab entries (tools/layouts/layouts.yaml);
# names, weights and rows stay canonical so every report should load valid.
STYLES = [
    {"labels": "middle", "rules": "none", "repeat_header": False, "legend": True},
    {"labels": "bottom", "rules": "all", "repeat_header": True},
    {"labels": "next", "rules": "all", "repeat_header": False},
    {"labels": "middle", "rules": "rows", "repeat_header": True},
    {"labels": "next", "rules": "three", "repeat_header": False},
    {"labels": "top", "rules": "all", "repeat_header": True, "legend": True},
]
COLUMN_SETS = [
    ["一级指标:l1", "分值:w1", "二级指标:l2", "分值:w2", "三级指标:l3", "分值:w3", "得分:score",
     "扣分原因:reason"],
    ["一级指标:l1", "分值:w1", "二级指标:l2", "分值:w2", "三级指标:l3", "分值:w3",
     "自评分:score", "扣分原因:reason", "改进措施:measure"],
    ["一级指标:l1", "分值:w1", "二级指标:l2", "分值:w2", "三级指标:l3", "分值:w3",
     "指标解释:explanation", "评分标准:criteria", "自评得分:score", "扣分原因:reason"],
]  # fmt: skip
REASONS = [
    "部分资金支出进度滞后于序时进度，扣{d}分。",
    "个别采购合同签订超过规定时限，扣{d}分。",
    "年末结转结余资金占比偏高，扣{d}分。",
    "服务对象满意度调查样本偏少，扣{d}分。",
    "部分下属单位未按要求开展绩效运行监控，扣{d}分。",
    "部分办公设备闲置，资产使用效率有待提高，扣{d}分。",
]
FILLER = [
    "围绕年度绩效目标，统筹推进各项重点工作，服务质量和管理水平进一步提升。",
    "严格执行预算管理制度，加强资金使用的事前、事中和事后监管。",
    "完善内部控制制度，规范采购、资产和合同管理，做到程序合规、依据充分。",
    "按要求开展绩效运行监控，对发现的问题及时整改，确保绩效目标如期实现。",
    "主动公开部门预决算和绩效信息，自觉接受社会监督。",
    "加强干部队伍建设，组织业务培训，提高依法行政和服务群众的能力。",
    "推进重点项目建设，按计划完成年度任务，项目资金使用规范、效益明显。",
    "落实过紧日子要求，压减一般性支出，三公经费支出控制在预算以内。",
]


@dataclass
class Report:
    """One generated report: what is printed, and the truth the benchmark checks."""

    id: str
    district_code: str
    district_name: str  # city + district, as printed
    year: int
    department: str
    kind: str  # score_table · narrative
    framework: str
    style: dict
    columns: list[str]
    deductions: dict[str, list]
    budget_wan: tuple[float, float, float]  # 总预算, 基本支出, 项目支出 (万元)
    actual_wan: float
    narrative_paragraphs: int


def cache_dir(n: int) -> Path:
    base = os.environ.get("JIXIAO_SCALE_CACHE") or Path.home() / ".cache" / "jixiao" / "scale"
    return Path(base) / str(n)


def plan(n: int, seed: int = 15) -> list[Report]:
    """N distinct reports: (district, year, department) never repeats."""
    from jixiao.reference import department_kinds, districts

    rng = random.Random(seed)
    frameworks = yaml.safe_load((ROOT / "tools/layouts/frameworks.yaml").read_text("utf-8"))
    all_districts = sorted(districts().values(), key=lambda d: d.code)
    kinds = [k.kind for k in department_kinds()]
    seen: set[tuple] = set()
    reports = []
    while len(reports) < n:
        d = rng.choice(all_districts)
        year, department = rng.choice(YEARS), rng.choice(kinds)
        if (d.code, year, department) in seen:
            continue
        seen.add((d.code, year, department))
        framework = "guangzhou-2023" if year >= 2023 else "guangzhou-2022"
        rows = frameworks[framework]
        deductions = {}
        for _l1, _l2, l3, weight in rng.sample(rows, rng.randint(0, 4)):
            lost = min(weight, rng.choice((0.5, 1, 1.5, 2)))
            deductions[l3] = [weight - lost, rng.choice(REASONS).format(d=f"{lost:g}")]
        total = round(rng.uniform(800, 30000), 2)
        basic = round(total * rng.uniform(0.2, 0.6), 2)
        city = "" if d.city in (d.province, "市辖区", "县") else d.city
        reports.append(
            Report(
                id=f"s{len(reports):05d}-{d.code}-{year}",
                district_code=d.code,
                district_name=f"{city}{d.district}",
                year=year,
                department=department,
                kind="score_table" if rng.random() < SCORE_TABLE_SHARE else "narrative",
                framework=framework,
                style=rng.choice(STYLES),
                columns=rng.choice(COLUMN_SETS),
                deductions=deductions,
                budget_wan=(total, basic, round(total - basic, 2)),
                actual_wan=round(total * rng.uniform(0.85, 1.0), 2),
                narrative_paragraphs=rng.randint(50, 180),
            )
        )
    return reports


def _fmt_wan(x: float) -> str:
    return f"{x:,.2f}"


def build_pdf(report: Report, out: Path) -> dict:
    """Draw one report into ``out``; return its truth."""
    from make_layouts import Layout, build_reportlab, build_rows
    from pypdf import PdfReader, PdfWriter

    frameworks = _frameworks()
    total_wan, basic_wan, project_wan = report.budget_wan
    spec = {
        "id": report.id,
        "district": report.district_name,
        "department": report.department,
        "year": report.year,
        "producer": "reportlab",
        "framework": report.framework,
        "columns": report.columns,
        "deductions": report.deductions,
        **report.style,
    }
    if report.kind == "score_table":
        spec["budget"] = {
            "unit": "万元",
            "总预算": _fmt_wan(total_wan),
            "基本支出": _fmt_wan(basic_wan),
            "项目支出": _fmt_wan(project_wan),
        }
    layout = Layout(report.id, spec, build_rows(spec, frameworks))
    table = out.with_name(out.stem + ".table.pdf") if report.kind == "narrative" else out
    build_reportlab(layout, table)  # draws to a file name
    level1 = {}
    for row in layout.rows:
        level1[row.l1] = round(level1.get(row.l1, 0) + row.score, 6)
    if report.kind == "narrative":
        writer = PdfWriter()
        for part in (_narrative(report, layout.total, level1), table):
            for page in PdfReader(part).pages:
                writer.add_page(page)
        with out.open("wb") as f:
            writer.write(f)
        table.unlink()
    n_pages = len(PdfReader(out).pages)
    return {
        "id": report.id,
        "district_code": report.district_code,
        "year": report.year,
        "department": report.department,
        "kind": report.kind,
        "pages": n_pages,
        "total": layout.total,
        "level1": level1,
        "budget_yuan": round(total_wan * 10000, 2),
        "actual_yuan": round(report.actual_wan * 10000, 2) if report.kind == "narrative" else None,
        "deductions": {k: v[0] for k, v in report.deductions.items()},
    }


_FRAMEWORKS: dict | None = None


def _frameworks() -> dict:
    global _FRAMEWORKS
    if _FRAMEWORKS is None:
        _FRAMEWORKS = yaml.safe_load((ROOT / "tools/layouts/frameworks.yaml").read_text("utf-8"))
    return _FRAMEWORKS


def _narrative(report: Report, total: float, level1: dict) -> io.BytesIO:
    """The narrative part: portrait A4 pages of running text stating the figures."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    font = "STSong-Light"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    rng = random.Random(report.id)
    s = report
    total_wan, basic_wan, project_wan = s.budget_wan
    rate = s.actual_wan / total_wan
    grade = "优" if total >= 90 else "良" if total >= 80 else "中" if total >= 60 else "差"
    scores = "，".join(f"{k}得分{v:g}分" for k, v in level1.items())
    paragraphs: list[tuple[str, str]] = [
        ("title", f"{s.district_name}{s.department}{s.year}年度部门整体支出绩效自评报告"),
        ("h", "一、部门基本情况"),
    ]
    body = [rng.choice(FILLER) + rng.choice(FILLER) for _ in range(s.narrative_paragraphs)]
    half = len(body) // 2
    paragraphs += [("p", p) for p in body[:half]]
    paragraphs += [
        ("h", "二、部门预算及执行情况"),
        ("p", f"{s.year}年度，本部门调整后预算{_fmt_wan(total_wan)}万元，实际支出"
              f"{_fmt_wan(s.actual_wan)}万元，预算执行率{rate:.2%}。其中基本支出预算"
              f"{_fmt_wan(basic_wan)}万元，项目支出预算{_fmt_wan(project_wan)}万元。"),
        ("h", "三、绩效自评情况"),
        ("p", f"根据部门整体支出绩效评价指标体系，我局{s.year}年度部门整体支出绩效自评得分为"
              f"{total:g}分，评价等级为{grade}。其中{scores}。具体评分情况详见附件。"),
        ("h", "四、存在的问题及改进措施"),
    ]  # fmt: skip
    paragraphs += [("p", p) for p in body[half:]]
    paragraphs += [("h", f"附件：{s.year}年度部门整体支出绩效自评表")]
    buf = io.BytesIO()
    width, height = A4
    c = Canvas(buf, pagesize=A4)
    left, right, top, bottom, lead = 72, width - 72, height - 72, 72, 22
    y = top
    for kind, text in paragraphs:
        size = {"title": 16, "h": 13}.get(kind, 12)
        lines = _rewrap(text if kind != "p" else "　　" + text, right - left, font, size)
        for line in lines:
            if y < bottom:
                c.showPage()
                y = top
            c.setFont(font, size)
            if kind == "title":
                c.drawCentredString(width / 2, y, line)
            else:
                c.drawString(left, y, line)
            y -= lead
        y -= 6
    c.save()
    buf.seek(0)
    return buf


def _rewrap(text: str, width: float, font: str, size: float) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, line = [], ""
    for ch in text:
        if line and stringWidth(line + ch, font, size) > width:
            lines.append(line)
            line = ""
        line += ch
    return [*lines, line] if line else lines


def _build_chunk(args: tuple[list[Report], str]) -> list[dict]:
    reports, folder = args
    return [build_pdf(r, Path(folder) / "pdf" / f"{r.id}.pdf") for r in reports]


def ensure_corpus(n: int, seed: int = 15, jobs: int = 2, folder: Path | None = None) -> Path:
    """The corpus folder for N reports (default ``cache_dir(n)``), generated unless a
    matching one is there already."""
    folder = Path(folder) if folder else cache_dir(n)
    stamp = folder / "corpus.json"
    want = {"n": n, "seed": seed, "generator_version": GENERATOR_VERSION}
    if stamp.exists() and json.loads(stamp.read_text()) == want:
        return folder
    (folder / "pdf").mkdir(parents=True, exist_ok=True)
    stamp.unlink(missing_ok=True)
    reports = plan(n, seed)
    chunks = [(reports[i : i + 25], str(folder)) for i in range(0, n, 25)]
    if jobs > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            parts = list(pool.map(_build_chunk, chunks))
    else:
        parts = [_build_chunk(c) for c in chunks]
    truths = [t for part in parts for t in part]
    entries = []
    for r, truth in zip(reports, truths, strict=True):
        pdf = folder / "pdf" / f"{r.id}.pdf"
        truth["sha256"] = hashlib.sha256(pdf.read_bytes()).hexdigest()
        entries.append(
            {
                "id": r.id,
                "district_code": r.district_code,
                "year": r.year,
                "department": r.department,
                "path": f"pdf/{r.id}.pdf",
                "sha256": truth["sha256"],
            }
        )
    (folder / "sources.yaml").write_text(
        yaml.safe_dump(entries, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    with (folder / "truth.jsonl").open("w", encoding="utf-8") as f:
        for t in truths:
            f.write(json.dumps(t, ensure_ascii=False) + "\n")
    stamp.write_text(json.dumps(want))
    return folder


def read_truth(folder: Path) -> dict[str, dict]:
    with (folder / "truth.jsonl").open(encoding="utf-8") as f:
        return {t["id"]: t for t in map(json.loads, f)}


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    print(ensure_corpus(n))
