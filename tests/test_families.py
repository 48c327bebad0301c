"""Issue 14's families outside Guangdong: flat lists (重庆) and common-indicator trees.

tests/fixtures/frameworks/<family>/ holds PDFs made by tools/make_families.py
(LibreOffice Calc and Writer, reportlab, headless Chromium; committed, so this test
needs none of them) and, beside each, the expected rows written from what the
generator printed. Every row is checked: a flat list's indicators (name, weight,
score; level 1 under 总分), a tree's level-3 rows with both parents (printed name
without the weight printed inside it, and that weight); and the total.
"""

from __future__ import annotations

import csv
import sys
import tempfile
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from jixiao.extract import score_table
from jixiao.extract.pdf import read_pdf
from jixiao.extract.tables.text import name_and_weight
from jixiao.model import DocumentFacts
from jixiao.normalize.report import report_framework
from jixiao.normalize.scores import normalize_scores

FIXTURES = Path(__file__).parent / "fixtures" / "frameworks"
FLAT = sorted(p.stem for p in (FIXTURES / "flat").glob("*.pdf"))
TREES = sorted(p.stem for p in (FIXTURES / "common_tree").glob("*.pdf"))
TOOLS = Path(__file__).parents[1] / "tools"
ALL = [("flat", d) for d in FLAT] + [("common_tree", d) for d in TREES]
# the tree each layout prints (tools/layouts/families.yaml) → the framework it reads as
FRAMEWORK_OF_TREE = {"cq-health": "chongqing", "cq-education": "chongqing",
                     "cq-civil": "chongqing", "jgcx": "common-jgcx", "tgcx": "common-tgcx",
                     "ghzx": "printed"}  # fmt: skip


def expected(family: str, doc: str) -> tuple[list[dict], dict]:
    with open(FIXTURES / family / f"{doc}.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return rows[:-1], rows[-1]


@cache
def read(family: str, doc: str):
    """Pages → grids → score table → facts → the framework → normalized facts, as the
    pipeline runs them."""
    path = FIXTURES / family / f"{doc}.pdf"
    pdf = read_pdf(path)
    grids = score_table.read_tables(path, score_table.table_pages(pdf.lines))
    table, _lineage = score_table.parse_score_tables(grids)
    raw = score_table.to_facts(table)
    framework, _ = report_framework(DocumentFacts(n_pages=None, doc_kind="score_table", scores=raw))
    facts, checks = normalize_scores(raw, [], framework.code)
    return facts, table.checks + checks


@cache
def through_ingest(family: str, doc: str):
    """The report as ingest makes it: extract → normalize → judge (tools/read_families)."""
    sys.path.insert(0, str(TOOLS))
    from read_families import read_report, spec_of

    pdf = FIXTURES / family / f"{doc}.pdf"
    with tempfile.TemporaryDirectory() as tmp:
        return read_report(pdf, spec_of(pdf), Path(tmp))


def test_corpus_has_four_layouts_per_family_from_three_producers():
    for docs in (FLAT, TREES):
        producers = {d.rsplit("-", 1)[1] for d in docs}
        assert len(docs) >= 4 and len(producers) >= 3


@pytest.mark.parametrize("doc", FLAT)
def test_flat_list_every_row(doc):
    """Every indicator of the list is a level-1 fact under 总分, in printed order, with
    its printed name, weight and score; 预算执行率 is one of them, weight 10."""
    rows, total = expected("flat", doc)
    facts, _checks = read("flat", doc)
    got = sorted((f for f in facts if f.level == 1), key=lambda f: f.row_index)
    assert [(f.printed_name, f.weight, f.score) for f in got] == [
        (r["指标名称"], Decimal(r["权重"]), Decimal(r["得分"])) for r in rows
    ]
    assert all(f.parent_code == "0" for f in got)
    assert got[0].printed_name == "预算执行率" and got[0].weight == 10
    assert not [f for f in facts if f.level in (2, 3)]
    printed_total = next(f for f in facts if f.level == 0)
    assert (printed_total.weight, printed_total.score) == (
        Decimal(total["权重"]),
        Decimal(total["得分"]),
    )
    assert sum(f.score for f in got) == printed_total.score


@pytest.mark.parametrize("doc", TREES)
def test_common_tree_every_row(doc):
    """Every level-3 row with its weight and score, and both parents as printed: the name
    without the weight printed inside it (决策（15分） → 决策) and that weight."""
    rows, total = expected("common_tree", doc)
    facts, _checks = read("common_tree", doc)
    by_code = {f.indicator_code: f for f in facts}
    leaves = sorted((f for f in facts if f.level == 3), key=lambda f: f.row_index)
    got = []
    for f in leaves:
        l2 = by_code.get(f.parent_code)
        l1 = by_code.get(l2.parent_code) if l2 else None
        got.append(
            (
                l1 and l1.printed_name, l1 and l1.weight,
                l2 and l2.printed_name, l2 and l2.weight,
                f.printed_name, f.weight, f.score,
            )
        )  # fmt: skip
    want = [
        (r["一级指标"], Decimal(r["一级分值"]), r["二级指标"], Decimal(r["二级分值"]),
         r["三级指标"], Decimal(r["分值"]), Decimal(r["得分"]))
        for r in rows
    ]  # fmt: skip
    assert got == want
    printed_total = next(f for f in facts if f.level == 0)
    assert printed_total.score == Decimal(total["得分"])
    level1 = [f for f in facts if f.level == 1]
    assert sum(f.score for f in level1) == printed_total.score
    assert sum(f.weight for f in level1) == 100


@pytest.mark.parametrize(("family", "doc"), ALL)
def test_no_table_errors(family, doc):
    """Read as printed: no hierarchy, span-weight, header or number error on any table
    (a 完成值 of 96.8% is the number the page prints)."""
    _facts, checks = read(family, doc)
    assert [c.detail for c in checks if not c.passed and c.severity == "error"] == []


@pytest.mark.parametrize(("family", "doc"), ALL)
def test_through_ingest_valid_in_its_framework(family, doc):
    """Through ingest's path: judged valid, read in the framework of the tree it prints
    (a tree matching none, 规划/执行/效果, as ``printed`` with its warning), every
    indicator under its framework's code, the total as printed."""
    sys.path.insert(0, str(TOOLS))
    from read_families import score_rows, spec_of

    report = through_ingest(family, doc)
    spec = spec_of(FIXTURES / family / f"{doc}.pdf")
    rows, total = expected(family, doc)
    assert report.status == "valid", [c.detail for c in report.checks
                                      if c.severity == "error" and not c.passed]  # fmt: skip
    assert report.framework_code == FRAMEWORK_OF_TREE[spec["tree"]]
    assert score_rows(report, family, rows, total) == ["right"] * len(rows)
    prefix = f"{report.framework_code}:"
    assert all(f.indicator_code.startswith(prefix) for f in report.scores if f.level)
    warned = {c.check_name for c in report.checks if not c.passed}
    assert ("framework_as_printed" in warned) == (report.framework_code == "printed")
    if family == "flat":
        first = next(f for f in report.scores if f.printed_name == "预算执行率")
        assert first.indicator_code == "chongqing:1" and first.level == 1
        level1 = [f for f in report.scores if f.level == 1]
        assert [f.path for f in level1] == [r["指标名称"] for r in rows]


@pytest.mark.parametrize(
    ("text", "name", "weight"),
    [
        ("决策（15分）", "决策", "15"),
        ("决策(15)", "决策", "15"),
        ("过程 （ 20 分 ）", "过程", "20"),
        ("过程（权重20分）", "过程", "20"),
        ("产出（12.5分）", "产出", "12.5"),
        ("“三公”经费控制情况", "“三公”经费控制情况", ""),
        ("满意度（%）", "满意度（%）", ""),
    ],
)
def test_weight_printed_in_the_name_cell(text, name, weight):
    assert name_and_weight(text) == (name, weight)


@pytest.mark.parametrize("doc", FLAT)
def test_flat_list_execution_rate_feeds_fact_budget(doc):
    """The 预算执行率 row's 完成值 is 部门预算's execution rate (fact_budget), read from ruled
    or exact cells; an unruled list (text columns placed by position) gives none rather
    than risk its 目标值."""
    sys.path.insert(0, str(TOOLS))
    from read_families import spec_of

    rows, _total = expected("flat", doc)
    report = through_ingest("flat", doc)
    rates = [b for b in report.budgets if b.measure == "execution_rate"]
    want = Decimal(rows[0]["完成值"].rstrip("%")) / 100
    if spec_of(FIXTURES / "flat" / f"{doc}.pdf")["rules"] == "all":
        assert [(b.item, b.rate, b.amount_yuan) for b in rates] == [("部门预算", want, None)]
    assert all(b.rate == want for b in rates)


HARD = sorted(p.stem for p in (FIXTURES / "hard").glob("*.pdf"))


@pytest.mark.parametrize("doc", HARD)
def test_hard_variants_never_silently_wrong(doc):
    """Variants the reader cannot read whole (tools/make_families.py --random, kept with
    their spec): s1-17, an unruled Writer list whose wrapped names the reading joins into
    one row; s2-53, a total (98.97) wrapped in a narrow score column. Each row is right,
    or the report is invalid saying why; never a wrong number or name in a valid report."""
    sys.path.insert(0, str(TOOLS))
    from read_families import read_report, score_rows, spec_of

    pdf = FIXTURES / "hard" / f"{doc}.pdf"
    with open(pdf.with_suffix(".csv"), encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with tempfile.TemporaryDirectory() as tmp:
        report = read_report(pdf, spec_of(pdf), Path(tmp))
    results = score_rows(report, "flat", rows[:-1], rows[-1])
    assert "silent" not in results
    total = next(f for f in report.scores if f.level == 0)
    if report.status == "valid":
        assert results == ["right"] * (len(rows) - 1)
        assert total.score == Decimal(rows[-1]["得分"])
    else:
        assert report.status == "invalid"
