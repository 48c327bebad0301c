"""Budget measures are data (reference/measures.yaml): the readers, checks and suites agree."""

from __future__ import annotations

import json

from jixiao import paths
from jixiao.load import warehouse
from jixiao.normalize import budgets
from jixiao.reference import load_yaml, measures
from jixiao.validate import results


def test_the_measures_file():
    """The contract's measures (DESIGN.md) with their labels; more may be added."""
    contract = {
        "initial_budget": ("年初预算", True),
        "adjustment": ("年中调整", True),
        "budget": ("预算数", True),
        "actual": ("实际支出", True),
        "execution_rate": ("执行率", False),
    }
    assert {c: (m.label, m.amount) for c, m in measures().items() if c in contract} == contract
    assert tuple(c for c, m in measures().items() if m.amount) == budgets.AMOUNT_MEASURES
    assert {"initial_budget", "adjustment", "budget", "actual"} <= set(budgets.AMOUNT_MEASURES)
    assert "execution_rate" not in budgets.AMOUNT_MEASURES
    assert results.MEASURE_LABELS["adjustment"] == "年中调整"


def test_every_measure_a_reader_or_a_suite_names_is_in_the_file():
    known = set(measures())
    in_prose = {m["measure"] for m in load_yaml("prose_patterns.yaml")["budget"]["measures"]}
    in_tables = {v["measure"] for v in load_yaml("table_headers.yaml")["budget_labels"].values()}
    assert in_prose == known  # every measure has prose words
    assert in_tables <= known
    suite = json.loads((paths.EXPECTATIONS / "fact_budget.json").read_text(encoding="utf-8"))
    named = set()
    for e in suite["expectations"]:
        kw = e["kwargs"]
        if kw.get("name_column") == "measure":
            named |= {*kw["operands"], kw["target"]}
    assert named and named <= known


def test_the_warehouse_refuses_a_measure_the_file_does_not_know(tmp_path):
    from jixiao.validate import validate_warehouse

    db = tmp_path / "w.duckdb"
    con = warehouse.connect(db)
    con.execute("insert into dim_year values (2022)")
    con.execute(
        "insert into dim_report (report_id, source_id, district_code, year, department_code,"
        " status, ingested_at) values ('r1', 's1', '440112', 2022, 'zwfw-data', 'valid', now())"
    )
    warehouse.load_dimensions(con)
    for measure in ("budget", "not_a_measure"):
        con.execute(
            "insert into fact_budget (report_id, item, measure, district_code, year,"
            " department_code) values ('r1', '部门预算', ?, '440112', 2022, 'zwfw-data')",
            [measure],
        )
    con.close()
    checks = [c for c in validate_warehouse(db) if c.subject == "fact_budget.measure"]
    checks = [c for c in checks if c.check_name == "domain"]
    assert [(c.check_name, c.passed, c.observed) for c in checks] == [
        ("domain", False, "1 of 2 rows: not_a_measure")
    ]
    assert checks[0].expected == "a measure of reference/measures.yaml"
