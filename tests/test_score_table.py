"""Score tables: real Camelot on the sample PDFs vs the tables printed into them.

The expected tables in fixtures/tables/ come from the rows tools/make_samples.py
printed into each PDF, so every row is checked for name, weight, score and parents.
"""

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.extract import score_table
from jixiao.extract.pdf import read_pdf
from jixiao.normalize.indicators import dictionary
from jixiao.normalize.scores import normalize_scores
from jixiao.paths import RAW

TABLES = Path(__file__).parent / "fixtures" / "tables"


def expected_rows(source_id: str) -> tuple[list[dict], dict]:
    with open(TABLES / f"{source_id}.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return rows[:-1], rows[-1]


def extract(source_id: str):
    path = RAW / "samples" / f"{source_id}.pdf"
    pdf = read_pdf(path)
    grids = score_table.read_tables(path, score_table.table_pages(pdf.lines))
    table, lineage = score_table.parse_score_tables(grids)
    facts, checks = normalize_scores(score_table.to_facts(table), [])
    return table, lineage, facts, checks, grids


@pytest.fixture(scope="module", params=["huangpu-2022", "baiyun-2022", "panyu-2023"])
def case(request):
    return request.param, *extract(request.param)


def test_every_level3_row_has_its_name_weight_score_and_parents(case):
    source_id, _table, _lineage, facts, _checks, _grids = case
    rows, total = expected_rows(source_id)
    d = dictionary()
    level3 = [f for f in facts if f.level == 3]
    assert len(level3) == len(rows)
    for fact, row in zip(sorted(level3, key=lambda f: f.row_index), rows, strict=True):
        assert (fact.printed_name or "") == row["三级指标"]
        assert fact.weight == Decimal(row["分值"]), row
        assert fact.score == Decimal(row["得分"]), row
        level2 = d.by_code.get(fact.parent_code)
        if row["三级指标"]:
            assert level2 is not None, row
        parent = next(f for f in facts if f.indicator_code == fact.parent_code)
        grandparent = next(f for f in facts if f.indicator_code == parent.parent_code)
        assert parent.printed_name == row["二级指标"], row
        assert grandparent.printed_name == row["一级指标"], row
        assert parent.weight == Decimal(row["二级分值"])
        assert grandparent.weight == Decimal(row["一级分值"])
    printed_total = next(f for f in facts if f.level == 0)
    assert printed_total.score == Decimal(total["得分"])
    assert printed_total.weight == Decimal(total["一级分值"])
    assert sum(f.weight for f in level3) == 100
    assert sum(f.score for f in level3) == printed_total.score


def test_lineage_records_camelot_parsing_reports(case):
    _source_id, table, lineage, _facts, _checks, _grids = case
    assert len(lineage) == len(table.pages) == 2
    for entry in lineage:
        assert entry["flavor"] == "lattice" and entry["role"] == "score_table"
        assert 80 <= entry["accuracy"] <= 100
        assert entry["page"] in table.pages


def test_huangpu_page_break_trap_and_unnamed_row():
    _table, _lineage, facts, checks, _grids = extract("huangpu-2022")
    by_name = {f.printed_name: f for f in facts if f.printed_name}
    # printed on page 1 under a blank level-1 cell; 管理效率 is printed on page 2 only
    for name in ("新增预算项目事前绩效评估", "结转结余率", "绩效信息公开情况", "绩效管理制度建设"):
        assert by_name[name].source_page == 1
        assert by_name[name].path.startswith("管理效率/"), name
    assert by_name["绩效管理制度建设"].path == "管理效率/绩效管理/绩效管理制度建设"
    level1 = {f.canonical_name: f for f in facts if f.level == 1}
    assert level1["履职效能"].score == Decimal("46.38") and level1["履职效能"].is_derived
    assert level1["管理效率"].score == Decimal("47.82") and level1["管理效率"].is_derived
    unnamed = [f for f in facts if f.level == 3 and not f.printed_name]
    assert len(unnamed) == 1 and unnamed[0].weight == Decimal("1.5")
    assert unnamed[0].path == "管理效率/采购管理/(未命名1)"
    assert [c.check_name for c in checks] == ["unnamed_indicator"]


def test_huangpu_budget_block_in_yuan():
    *_, grids = extract("huangpu-2022")
    budget = {(b.item, b.measure): b for b in score_table.parse_budget_block(grids)}
    assert budget[("部门预算", "budget")].amount_yuan == Decimal("118877300.00")
    assert budget[("基本支出", "budget")].amount_yuan == Decimal("33080600.00")
    assert budget[("项目支出", "budget")].amount_yuan == Decimal("85796800.00")
    assert budget[("部门预算", "budget")].printed_unit == "万元"
    assert "11,887.73" in budget[("部门预算", "budget")].printed_text


def test_panyu_2023_prints_管理效能_and_maps_to_管理效率():
    _table, _lineage, facts, _checks, _grids = extract("panyu-2023")
    level1 = {f.indicator_code: f for f in facts if f.level == 1}
    assert level1["2"].printed_name == "管理效能"
    assert level1["2"].canonical_name == "管理效率"
    assert level1["2"].score == Decimal("45")
    assert level1["1"].score == Decimal("49.4")


def test_header_roles_accept_variants():
    roles = score_table.header_roles(
        ["一级指标", "权重", "二级指标", "标准分", "三级指标", "分值", "自评 得分", "扣分原因"]
    )
    assert roles["score"] == [6]
    assert roles["weight:name_l1"] == [1] and roles["weight:name_l3"] == [5]
    assert roles["deduction_reason"] == [7]
    assert score_table.header_roles(["序号", "项目", "金额"]) is None
