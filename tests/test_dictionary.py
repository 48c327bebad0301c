"""The indicator dictionary, the DDL and the suites must not drift apart."""

import json
import re
from decimal import Decimal

from jixiao import paths
from jixiao.model import ScoreFact
from jixiao.normalize.indicators import assign_code
from jixiao.reference.indicators import dictionary


def test_codes_levels_and_parents_are_consistent():
    d = dictionary()
    codes = [i.code for i in d.indicators]
    assert len(codes) == len(set(codes))
    for i in d.indicators:
        if i.code == "0":
            assert i.level == 0 and i.parent is None
            continue
        assert i.parent in d.by_code, i.code
        assert d.by_code[i.parent].level == i.level - 1
        assert i.code.startswith(i.parent if i.parent != "0" else "")


def test_standard_weights_add_up_where_all_children_have_one():
    d = dictionary()
    checked = 0
    for parent in d.indicators:
        kids = d.children(parent.code)
        if parent.code == "1" or not kids or any(k.weight is None for k in kids):
            continue  # 履职效能's children are alternatives (整体效能 50, or 25 + 专项效能 25)
        if parent.code == "1.1":
            continue  # 满意度 / 支出率 variants: not all four appear in one framework
        assert sum(k.weight for k in kids) == parent.weight, parent.path
        checked += 1
    assert checked >= 7


def test_aliases_map_printed_names():
    d = dictionary()
    assert d.resolve("管理效能").name == "管理效率"
    assert d.resolve("履职效能方面").name == "履职效能"
    assert d.resolve("部门整体绩效目标产出指标完成情况").code == "1.1.1"
    assert d.resolve("“三公”经费控制情况").code == "2.7.2"
    assert d.resolve("三公经费控制情况").code == "2.7.2"
    assert d.resolve("资产 收益上缴的及时性").code == "2.6.2"  # spaces from OCR
    assert d.resolve("不存在的指标") is None


def test_unknown_and_unnamed_rows_are_kept_and_flagged():
    unnamed = ScoreFact(None, 3, Decimal("1.5"), Decimal("1.5"), 2, "1.5 | 1.5", parent_code="2.5")
    checks = assign_code(unnamed, {})
    assert unnamed.indicator_code == "2.5.unnamed1"
    assert unnamed.path == "管理效率/采购管理/(未命名1)"
    assert [c.check_name for c in checks] == ["unnamed_indicator"]
    odd = ScoreFact("数据共享应用成效", 3, Decimal(2), Decimal(2), 1, "…", parent_code="2.6")
    checks = assign_code(odd, {})
    assert odd.indicator_code.startswith("2.6.x") and odd.canonical_name == "数据共享应用成效"
    assert checks[0].check_name == "unmapped" and checks[0].severity == "warning"


def test_ddl_declares_every_contract_table_and_column():
    ddl = "\n".join(
        p.read_text(encoding="utf-8") for p in sorted((paths.SQL / "ddl").glob("*.sql"))
    )
    contract = {
        "dim_district": ["district_code", "province", "city", "district"],
        "dim_year": ["year"],
        "dim_department": ["department_code", "department_kind"],
        "dim_indicator": ["indicator_code", "name", "level", "parent_code", "path"],
        "dim_report": [
            "report_id",
            "source_id",
            "district_code",
            "year",
            "department_code",
            "department_name",
            "title",
            "source_url",
            "raw_path",
            "n_pages",
            "doc_kind",
            "grade",
            "status",
            "ingested_at",
        ],
        "fact_indicator_score": [
            "report_id",
            "indicator_code",
            "district_code",
            "year",
            "department_code",
            "weight",
            "score",
            "score_rate",
            "is_derived",
            "printed_name",
            "deduction_reason",
            "improvement",
            "source_page",
        ],
        "fact_budget": [
            "report_id",
            "item",
            "measure",
            "district_code",
            "year",
            "department_code",
            "amount_yuan",
            "rate",
            "printed_text",
            "printed_unit",
            "source_page",
        ],
        "check_result": [
            "report_id",
            "check_name",
            "subject",
            "severity",
            "passed",
            "observed",
            "expected",
            "detail",
        ],
        "source_status": [
            "source_id",
            "run_id",
            "report_id",
            "stage",
            "status",
            "error_class",
            "message",
            "attempted_at",
        ],
    }
    for table, columns in contract.items():
        body = re.search(rf"create table if not exists {table} \((.*?)\n\);", ddl, re.S)
        assert body, table
        declared = set(re.findall(r"^\s+(\w+) ", body.group(1), re.M))
        assert set(columns) <= declared, (table, set(columns) - declared)


def test_suites_name_only_columns_the_fact_tables_have():
    for suite_file in paths.EXPECTATIONS.glob("*.json"):
        suite = json.loads(suite_file.read_text(encoding="utf-8"))
        assert suite["expectations"], suite_file.name
