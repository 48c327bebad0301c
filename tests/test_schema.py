"""One row shape per warehouse table, read from sql/ddl: load, validation and suites agree."""

from __future__ import annotations

import json
from decimal import Decimal

import duckdb
import pytest

from jixiao import paths, schema
from jixiao.load import warehouse
from jixiao.model import BudgetFact, ScoreFact, table_row
from jixiao.validate import frames, verdict
from jixiao.validate.warehouse import derived_expectations, reference_sets, warehouse_suite


def test_the_shapes_come_from_the_ddl():
    tables = schema.tables()
    assert list(tables)[:3] == ["dim_district", "dim_year", "dim_department"]  # file order
    score = tables["fact_indicator_score"]
    assert score.key == ("report_id", "indicator_code")
    assert score.decimals == {"weight": (9, 3), "score": (9, 3), "score_rate": (9, 4)}
    assert "is_derived" in score.not_null and "weight" not in score.not_null
    assert "source_location" in score.column_names  # added by an `alter table` in the file
    assert tables["fact_budget"].decimals == {"amount_yuan": (18, 2), "rate": (9, 6)}
    assert tables["dim_indicator"].decimals == {"standard_weight": (9, 3)}
    assert tables["check_result"].key == ("report_id", "check_name", "subject")
    assert score.references() == {
        "report_id": ("dim_report", "report_id"),
        "indicator_code": ("dim_indicator", "indicator_code"),
        "district_code": ("dim_district", "district_code"),
        "year": ("dim_year", "year"),
        "department_code": ("dim_department", "department_code"),
    }
    assert tables["dim_indicator"].references() == {
        "parent_code": ("dim_indicator", "indicator_code"),
        "framework_code": ("dim_framework", "framework_code"),
    }
    assert tables["dim_district"].references() == {}
    with pytest.raises(KeyError, match="no table 'fact_nothing' in sql/ddl"):
        schema.table("fact_nothing")


def test_the_shapes_match_a_built_warehouse(tmp_path):
    con = warehouse.connect(tmp_path / "w.duckdb")
    try:
        for table in schema.tables().values():
            built = con.execute(
                "select column_name, data_type from duckdb_columns() where table_name = ?"
                " order by column_index",
                [table.name],
            ).fetchall()
            assert built == [(c.name, c.type) for c in table.columns], table.name
    finally:
        con.close()


def test_every_table_has_its_suite_and_the_suite_follows_the_ddl():
    """Key, key-not-NULL and reference expectations as the DDL gives them; a drift fails
    here (run tools/make_warehouse_suites.py after changing a DDL file)."""
    for table in schema.tables().values():
        path = paths.EXPECTATIONS / f"warehouse_{table.name}.json"
        assert path.exists(), f"{path.name} missing: run tools/make_warehouse_suites.py"
        suite = json.loads(path.read_text(encoding="utf-8"))
        assert suite == warehouse_suite(table, suite), (
            f"{path.name} drifted from sql/ddl: run tools/make_warehouse_suites.py"
        )
        assert suite["meta"] == {**suite["meta"], "scope": "warehouse", "table": table.name}


def test_a_new_table_gets_its_key_and_reference_checks_from_its_ddl_alone():
    con = duckdb.connect(":memory:")
    con.execute(
        "create table fact_project (report_id varchar not null, project_name varchar not null,"
        " year integer not null, budget_yuan decimal(18, 2), primary key (report_id, project_name))"
    )
    columns = tuple(
        schema.Column(n, t, bool(null), p, s)
        for n, t, null, p, s in con.execute(
            "select column_name, data_type, is_nullable, numeric_precision, numeric_scale"
            " from duckdb_columns() where table_name = 'fact_project'"
        ).fetchall()
    )
    table = schema.Table("fact_project", columns, ("report_id", "project_name"))
    checks = [(e["meta"]["check_name"], e["meta"]["subject"]) for e in derived_expectations(table)]
    assert checks == [
        ("key_unique", "fact_project (report_id, project_name)"),
        ("key_not_null", "fact_project.report_id"),
        ("key_not_null", "fact_project.project_name"),
        ("references", "fact_project.report_id → dim_report.report_id"),
        ("references", "fact_project.year → dim_year.year"),
    ]
    suite = warehouse_suite(table)
    assert suite["name"] == "warehouse_fact_project"
    assert suite["meta"]["scope"] == "warehouse" and suite["meta"]["table"] == "fact_project"
    assert table.decimals == {"budget_yuan": (18, 2)}


def test_reference_value_sets_come_from_the_referenced_keys():
    assert reference_sets() == {
        "department_codes": "select department_code from dim_department",
        "district_codes": "select district_code from dim_district",
        "framework_codes": "select framework_code from dim_framework",
        "indicator_codes": "select indicator_code from dim_indicator",
        "report_ids": "select report_id from dim_report",
        "years": "select year from dim_year",
    }


def test_rows_take_their_columns_from_the_ddl():
    fact = ScoreFact("预算执行", 2, Decimal("10"), Decimal("9.5"), 3, "预算执行 10 9.5")
    fact.indicator_code = "2.2"
    row = table_row("fact_indicator_score", fact, report_id="r1", score_rate=Decimal("0.95"))
    assert row["weight"] == Decimal("10") and row["score_rate"] == Decimal("0.95")
    assert set(row) == set(schema.table("fact_indicator_score").column_names) - {
        "district_code", "year", "department_code"
    }  # fmt: skip
    budget = BudgetFact("部门预算", "actual", Decimal("100.00"), None, "支出100元", "元", 2)
    assert table_row("fact_budget", budget, report_id="r1")["printed_unit"] == "元"


def test_load_refuses_a_column_the_ddl_does_not_declare(tmp_path):
    con = warehouse.connect(tmp_path / "w.duckdb")
    try:
        with pytest.raises(ValueError, match="dim_year has no column month"):
            warehouse._insert(con, "dim_year", [{"year": 2022, "month": 1}])
        warehouse._insert(con, "dim_indicator", [
            {"indicator_code": "x", "name": "x", "level": 1, "path": "x", "is_canonical": False,
             "standard_weight": Decimal("2.5")},
        ])  # fmt: skip
        stored = con.execute(
            "select typeof(standard_weight), standard_weight from dim_indicator"
            " where indicator_code = 'x'"
        ).fetchone()
        assert stored == ("DECIMAL(9,3)", Decimal("2.500"))
    finally:
        con.close()


def test_the_suites_read_warehouse_columns_by_their_names():
    facts = schema.table("fact_indicator_score").column_names
    indicators = schema.table("dim_indicator").column_names
    assert set(verdict.SCORE_INPUTS) <= set(facts) | set(indicators)
    assert set(verdict.BUDGET_INPUTS) <= set(schema.table("fact_budget").column_names)
    assert set(frames.SCORE_REQUIRED) <= set(verdict.SCORE_INPUTS)
    assert set(frames.BUDGET_REQUIRED) <= set(verdict.BUDGET_INPUTS)
