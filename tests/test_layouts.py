"""Score tables from every layout of the corpus vs the rows printed into each PDF.

tests/fixtures/layouts/ holds PDFs made by tools/make_layouts.py (spreadsheet,
word-processor and PDF-library exports) and, beside each, the expected table
written from the rows the script printed. Every level-3 row is checked for its
name, weight, score and both parents (printed name and weight); rows the
pipeline must flag name the check in the ``flag`` column.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from jixiao.extract import score_table
from jixiao.extract.pdf import read_pdf
from jixiao.normalize.budgets import in_yuan
from jixiao.normalize.scores import normalize_scores

LAYOUTS = Path(__file__).parent / "fixtures" / "layouts"
IDS = sorted(p.stem for p in LAYOUTS.glob("*.pdf"))
FIELDS = ("name", "weight", "score", "parent")


def expected(layout_id: str) -> tuple[list[dict], dict]:
    with open(LAYOUTS / f"{layout_id}.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return rows[:-1], rows[-1]


@cache
def extract(layout_id: str):
    """Pages → grids → score table → facts → normalized facts, as the pipeline runs them."""
    path = LAYOUTS / f"{layout_id}.pdf"
    pdf = read_pdf(path)
    grids = score_table.read_tables(path, score_table.table_pages(pdf.lines))
    table, lineage = score_table.parse_score_tables(grids)
    raw = score_table.to_facts(table)
    facts, checks = normalize_scores(raw, [])
    return table, lineage, facts, table.checks + checks, grids


def row_results(layout_id: str) -> list[dict[str, bool]]:
    """Per expected row: which of name, weight, score, parent came out right."""
    _table, _lineage, facts, _checks, _grids = extract(layout_id)
    rows, _total = expected(layout_id)
    by_code = {f.indicator_code: f for f in facts}
    leaves = sorted((f for f in facts if f.level == 3), key=lambda f: f.row_index)
    out = []
    for k, row in enumerate(rows):
        fact = leaves[k] if k < len(leaves) else None
        if fact is None:
            out.append(dict.fromkeys(FIELDS, False))
            continue
        l2 = by_code.get(fact.parent_code)
        l1 = by_code.get(l2.parent_code) if l2 else None
        out.append(
            {
                "name": (fact.printed_name or "") == row["三级指标"],
                "weight": fact.weight == Decimal(row["分值"]),
                "score": fact.score == Decimal(row["得分"]),
                "parent": l2 is not None
                and l1 is not None
                and l2.printed_name == row["二级指标"]
                and l2.weight == Decimal(row["二级分值"])
                and l1.printed_name == row["一级指标"]
                and l1.weight == Decimal(row["一级分值"]),
            }
        )
    return out


def accuracy(layout_id: str) -> dict[str, float]:
    """Share of rows right, per field and for the whole row (the docs' table)."""
    results = row_results(layout_id)
    n = len(results) or 1
    acc = {f: sum(r[f] for r in results) / n for f in FIELDS}
    acc["row"] = sum(all(r.values()) for r in results) / n
    return acc


def test_corpus_has_twelve_layouts_from_three_producers():
    producers = {i.rsplit("-", 1)[1] for i in IDS}
    assert len(IDS) >= 12 and producers == {"calc", "writer", "reportlab"}
    for layout_id in IDS:
        assert (LAYOUTS / f"{layout_id}.csv").exists()


@pytest.mark.parametrize("layout_id", IDS)
def test_every_row_right(layout_id):
    rows, _total = expected(layout_id)
    _table, _lineage, facts, _checks, _grids = extract(layout_id)
    leaves = sorted((f for f in facts if f.level == 3), key=lambda f: f.row_index)
    assert len(leaves) == len(rows)
    wrong = [(row["三级指标"], r) for row, r in zip(rows, row_results(layout_id), strict=True)
             if not all(r.values())]  # fmt: skip
    assert wrong == []


@pytest.mark.parametrize("layout_id", IDS)
def test_total_and_sums(layout_id):
    _rows, total = expected(layout_id)
    _table, _lineage, facts, _checks, _grids = extract(layout_id)
    printed_total = next(f for f in facts if f.level == 0)
    assert printed_total.score == Decimal(total["得分"])
    assert printed_total.weight == Decimal(total["一级分值"])
    level1 = [f for f in facts if f.level == 1]
    assert sum(f.score for f in level1) == printed_total.score
    assert sum(f.weight for f in level1) == 100


@pytest.mark.parametrize("layout_id", IDS)
def test_flags_are_the_expected_ones(layout_id):
    rows, _total = expected(layout_id)
    _table, _lineage, _facts, checks, _grids = extract(layout_id)
    want = sorted(r["flag"] for r in rows if r["flag"])
    got = sorted(c.check_name for c in checks if not c.passed)
    assert got == want


@pytest.mark.parametrize("layout_id", IDS)
def test_lineage_names_the_chosen_flavor(layout_id):
    """Ruled tables read as lattice; tables without (vertical) rules as stream or network."""
    table, lineage, *_ = extract(layout_id)
    score = [e for e in lineage if e["role"] == "score_table"]
    assert sorted({e["page"] for e in score}) == table.pages
    assert all(0 < e["accuracy"] <= 100 for e in score)
    flavors = {e["flavor"] for e in score}
    if spec(layout_id).get("rules", "all") == "all":
        assert flavors == {"lattice"}
    else:
        assert flavors <= {"stream", "network"}


@pytest.mark.parametrize("layout_id", [i for i in IDS if (LAYOUTS / f"{i}.budget.csv").exists()])
def test_budget_block_feeds_fact_budget(layout_id):
    *_, grids = extract(layout_id)
    with open(LAYOUTS / f"{layout_id}.budget.csv", encoding="utf-8") as f:
        want = {r["label"]: r for r in csv.DictReader(f)}
    got = {(b.item, b.measure): b for b in in_yuan(score_table.parse_budget_block(grids))}
    unit = {"元": 1, "万元": 10000}[want["总预算"]["unit"]]
    for label, item in (("总预算", "部门预算"), ("基本支出", "基本支出"), ("项目支出", "项目支出")):
        amount = Decimal(want[label]["printed"].replace(",", "")) * unit
        assert got[(item, "budget")].amount_yuan == amount, label


@cache
def spec(layout_id: str) -> dict:
    """The layout's entry in tools/layouts/layouts.yaml (calc exports are always ruled)."""
    import yaml

    path = Path(__file__).parents[1] / "tools" / "layouts" / "layouts.yaml"
    specs = yaml.safe_load(path.read_text(encoding="utf-8"))["layouts"]
    return next(s for s in specs if s["id"] == layout_id)


def test_huangpu_2022_as_printed():
    """Seed 001 reproduced: the nested budget header (总预算 | 年度预算资金类别 › 部门预算 ›
    基本支出/项目支出 …) with its amounts in the score table's narrow 分值 columns (11,887.73
    wraps there), 管理效率 printed on page 2 only, the unnamed 1.5 row."""
    _table, _lineage, facts, checks, grids = extract("huangpu-2022-calc")
    got = {
        (b.item, b.measure): b.amount_yuan for b in in_yuan(score_table.parse_budget_block(grids))
    }
    assert got == {
        ("部门预算", "budget"): Decimal("118877300.00"),
        ("基本支出", "budget"): Decimal("33080600.00"),
        ("项目支出", "budget"): Decimal("85796800.00"),
    }
    assert len([f for f in facts if f.level == 3]) == 26
    assert next(f for f in facts if f.level == 0).score == Decimal("94.2")
    level1 = {f.printed_name: f.score for f in facts if f.level == 1}
    assert level1 == {"履职效能": Decimal("46.38"), "管理效率": Decimal("47.82")}
    # 3308.06 + 8579.68 = 11,887.74: the seed's 0.01 of rounding, within the printed precision
    block = next(c for c in checks if c.check_name == "budget_block_sum")
    assert block.passed and (block.observed, block.expected) == ("11,887.73", "11,887.74")
    numbers = [c for c in checks if c.check_name == "table_number_as_printed"]
    assert numbers and all(c.passed for c in numbers)
