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
from jixiao.normalize.budgets import in_yuan
from jixiao.normalize.scores import normalize_scores
from jixiao.paths import RAW
from jixiao.reference.indicators import dictionary

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
    budget = {(b.item, b.measure): b for b in in_yuan(score_table.parse_budget_block(grids))}
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


# --------------------------------------------------------------------------- hierarchy


def rows_of(spec: list[tuple], *, ruled: bool = False) -> list[score_table.Row]:
    """Inline rows: (page, l1, w1, l2, w2, l3, w3, score[, top edges l1/l2])."""
    rows = []
    for i, (page, l1, w1, l2, w2, l3, w3, score, *edges) in enumerate(spec):
        top = edges[0] if edges else (None, None)
        rows.append(
            score_table.Row(
                page=page,
                index=i,
                names={
                    "name_l1": score_table.Cell(l1, top[0] if ruled else None),
                    "name_l2": score_table.Cell(l2, top[1] if ruled else None),
                    "name_l3": score_table.Cell(l3, True if ruled else None),
                },
                weights={"name_l1": w1, "name_l2": w2, "name_l3": w3},
                score=score,
                extra={},
                raw=[l1, w1, l2, w2, l3, w3, score],
            )
        )
    return rows


def parents(rows) -> list[tuple[str, str]]:
    """(一级, 二级) printed label heading each row, from the reconstructed tree."""
    level1, _checks = score_table.tree(rows)
    return [(s1.label, s2.label) for s1 in level1 for s2 in s1.children for _ in s2.rows]


def test_labels_in_the_middle_or_bottom_head_the_rows_above_them():
    # unruled: 履职效能/整体效能 printed on the middle row, 管理效率/预算执行 on the last;
    # forward-filling would put the first row under nothing and 结转结余率 under 整体效能
    rows = rows_of(
        [
            (1, "", "", "", "", "产出指标完成情况", "20", "20"),
            (1, "履职效能", "50", "整体效能", "50", "效益指标完成情况", "20", "19"),
            (1, "", "", "", "", "满意度指标完成情况", "10", "10"),
            (1, "", "", "", "", "结转结余率", "2", "2"),
            (1, "管理效率", "4", "预算执行", "4", "财务管理合规性", "2", "2"),
        ]
    )
    assert parents(rows) == 3 * [("履职效能", "整体效能")] + 2 * [("管理效率", "预算执行")]
    level1, checks = score_table.tree(rows)
    assert [s.evidence for s in level1] == ["weights", "weights"] and checks == []


def test_a_label_printed_only_on_the_next_page_heads_the_rows_before_the_break():
    rows = rows_of(
        [
            (1, "履职效能", "50", "整体效能", "50", "产出指标完成情况", "50", "48"),
            (1, "", "", "预算编制", "3", "新增预算项目事前绩效评估", "3", "3"),
            (1, "", "", "", "", "结转结余率", "2", "2"),
            (2, "管理效率", "7", "预算执行", "4", "财务管理合规性", "2", "1"),
        ]
    )
    assert parents(rows)[1:] == [("管理效率", "预算编制")] + 2 * [("管理效率", "预算执行")]


def test_without_weights_the_dictionary_places_the_rows():
    rows = rows_of(
        [
            (1, "", "", "", "", "结转结余率", "", "2"),
            (1, "管理效率", "", "预算执行", "", "财务管理合规性", "", "2"),
            (1, "", "", "信息公开", "", "预决算公开合规性", "", "2"),
            (1, "", "", "", "", "绩效信息公开情况", "", "2"),
        ]
    )
    assert parents(rows) == 2 * [("管理效率", "预算执行")] + 2 * [("管理效率", "信息公开")]
    level1, checks = score_table.tree(rows)
    assert level1[0].children[0].evidence == "dictionary" and checks == []


def test_rules_place_rows_when_weights_are_not_printed():
    rows = rows_of(
        [
            (1, "甲类", "", "乙项", "", "未知指标一", "", "2", (True, True)),
            (1, "", "", "", "", "未知指标二", "", "2", (False, False)),
            (1, "", "", "丙项", "", "未知指标三", "", "2", (False, True)),
        ],
        ruled=True,
    )
    assert parents(rows) == 2 * [("甲类", "乙项")] + [("甲类", "丙项")]


def test_no_evidence_is_recorded_not_guessed_silently():
    rows = rows_of(
        [
            (1, "", "", "", "", "未知指标一", "", "2"),
            (1, "甲类", "", "乙项", "", "未知指标二", "", "2"),
            (1, "", "", "丙项", "", "未知指标三", "", "2"),
        ]
    )
    _level1, checks = score_table.tree(rows)
    assert {c.check_name for c in checks} == {"table_hierarchy_unresolved"}
    assert all(c.severity == "error" and not c.passed for c in checks)


def test_rules_that_contradict_the_weights_lose_and_are_reported():
    # the rules draw one 二级 span over three rows, the weights say 2 + 1
    rows = rows_of(
        [
            (1, "管理效率", "7", "预算执行", "4", "结转结余率", "2", "2", (True, True)),
            (1, "", "", "", "", "财务管理合规性", "2", "2", (False, False)),
            (1, "", "", "预算编制", "3", "新增预算项目事前绩效评估", "3", "3", (False, False)),
        ],
        ruled=True,
    )
    assert parents(rows) == 2 * [("管理效率", "预算执行")] + [("管理效率", "预算编制")]
    _level1, checks = score_table.tree(rows)
    assert [c.check_name for c in checks] == ["table_hierarchy_evidence"]
