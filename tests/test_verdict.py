"""End-to-end verdicts on facts extracted from the real sample PDFs, some altered.

Each fixture is what the extractor read from a sample (``extract_document``,
in-process), changed the way a misread would change it, then normalized and
judged exactly as the ingest flow does.
"""

from __future__ import annotations

import copy
import re
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from jixiao.fetch import fetch_source
from jixiao.ingest import read_sources
from jixiao.model import ReportRecord
from jixiao.normalize.report import normalize_document
from jixiao.validate.coverage import expected_children
from jixiao.validate.verdict import inputs_from_warehouse, judge, run_suites

D = Decimal


@pytest.fixture(scope="module")
def samples() -> dict:
    """source id → (source, fetched, DocumentFacts) for the text-layer samples."""
    from jixiao import paths
    from jixiao.extract.document import extract_document

    sources, _ = read_sources([paths.DEFAULT_SOURCES])
    out = {}
    for s in sources:
        if s.id == "panyu-2024-scan":
            continue
        fetched = fetch_source(s)
        out[s.id] = (s, fetched, extract_document(fetched.path))
    return out


def verdict(samples: dict, source_id: str, alter=None) -> ReportRecord:
    source, fetched, facts = samples[source_id]
    facts = copy.deepcopy(facts)
    if alter is not None:
        alter(facts)
    return judge(normalize_document(source, fetched, facts))


def failed(report: ReportRecord, severity: str | None = None) -> dict:
    return {
        (c.check_name, c.subject): c
        for c in report.checks
        if not c.passed and (severity is None or c.severity == severity)
    }


def table_rows(facts, name: str | None = None):
    return [
        f for f in facts.scores if f.origin == "table" and (name is None or f.printed_name == name)
    ]


# ------------------------------------------------------------------ the samples


def test_huangpu_2022_is_valid_with_its_unnamed_row_a_warning(samples):
    r = verdict(samples, "huangpu-2022")
    assert r.status == "valid" and r.status_reason is None
    assert set(failed(r)) == {("unnamed_indicator", "管理效率/采购管理/(未命名1)")}
    checks = {(c.check_name, c.subject): c for c in r.checks}
    coverage = checks[("table_coverage", "管理效率/采购管理")]
    # the six named rows cover the framework; the unnamed row is not coverage
    assert coverage.passed and (coverage.observed, coverage.expected) == ("6", "≥ 6")
    assert checks[("grade_matches_total", "总分")].passed
    assert checks[("table_found", "score table")].observed == "37"


def test_baiyun_2022_is_valid_with_a_warning_on_its_first_project_line(samples):
    r = verdict(samples, "baiyun-2022")
    assert r.status == "valid"
    warnings = failed(r, "warning")
    assert set(warnings) == {
        ("budget_adjustment", "信息化项目管理经费"),
        ("budget_execution_rate", "信息化项目管理经费"),
    }
    detail = warnings[("budget_adjustment", "信息化项目管理经费")].detail
    assert "调整后预算 343.96万元 is probably a typo for 243.96万元" in detail
    assert not failed(r, "error")


def test_panyu_2023_and_potou_2022_are_valid(samples):
    panyu = verdict(samples, "panyu-2023")
    assert panyu.status == "valid" and not failed(panyu, "error")
    potou = verdict(samples, "potou-2022")  # a narrative without a table: no coverage guard
    assert potou.status == "valid" and not failed(potou)
    checks = {(c.check_name, c.subject): c for c in potou.checks}
    assert "no score table" in checks[("table_found", "score table")].detail
    assert not any(c.check_name == "table_coverage" for c in potou.checks)


# -------------------------------------------------------------------- misreads


def test_one_altered_score_names_the_indicator_and_the_difference(samples):
    def alter(facts):
        (row,) = table_rows(facts, "合同备案时效性")
        row.score = D("0.92")  # printed 0.82

    r = verdict(samples, "huangpu-2022", alter)
    assert r.status == "invalid"
    bad = failed(r, "error")
    assert set(bad) == {("level1_sum_to_total", "总分")}
    c = bad[("level1_sum_to_total", "总分")]
    assert (c.observed, c.expected) == ("94.3", "94.2")
    assert "difference +0.1" in c.detail
    assert r.status_reason.startswith("level1_sum_to_total 总分: ")


def test_altered_score_that_prose_also_states_names_the_indicator(samples):
    def alter(facts):
        (row,) = table_rows(facts, "部门整体绩效目标产出指标完成情况")
        row.score = D("19")  # printed 20, and the text says 20

    r = verdict(samples, "baiyun-2022", alter)
    assert r.status == "invalid"
    bad = failed(r, "error")
    prose = bad[("prose_matches_table_score", "履职效能/整体效能/产出指标完成情况")]
    assert prose.detail == "the text says 产出指标完成情况 score 20, the table 19"
    total = bad[("level1_sum_to_total", "总分")]
    assert (total.observed, total.expected) == ("98.5", "99.5")
    assert "产出指标完成情况" in r.status_reason


def test_weights_read_as_scores_are_invalid(samples):
    def alter(facts):
        for row in table_rows(facts):
            row.score = row.weight

    r = verdict(samples, "huangpu-2022", alter)
    assert r.status == "invalid"
    bad = failed(r, "error")
    assert {s for c, s in bad if c == "full_marks_with_deduction"} == {
        "履职效能/整体效能/产出指标完成情况",
        "履职效能/整体效能/效益指标完成情况",
        "履职效能/整体效能/部门预算资金支出率",
        "管理效率/绩效管理/绩效管理制度执行",
        "管理效率/采购管理/合同备案时效性",
        "管理效率/资产管理/资产配置合规性",
    }
    c = bad[("full_marks_with_deduction", "管理效率/资产管理/资产配置合规性")]
    assert c.observed == "2 of 2" and "分值 column" in c.detail
    warn = failed(r, "warning")[("scores_equal_weights", "score vs weight column")]
    assert warn.observed == "37 of 37 rows equal"


def test_weights_read_as_scores_where_the_text_states_subtotals(samples):
    def alter(facts):
        for row in table_rows(facts):
            row.score = row.weight

    r = verdict(samples, "baiyun-2022", alter)
    assert r.status == "invalid"
    bad = failed(r, "error")
    assert (
        bad[("prose_matches_table_score", "总分")].detail
        == "the text says 总分 score 99.5, the table 100"
    )
    assert ("prose_matches_table_score", "管理效率") in bad


def test_a_year_read_as_the_total_is_invalid(samples):
    def alter(facts):
        (total,) = [f for f in facts.scores if f.level == 0]
        total.score = D("2022")

    r = verdict(samples, "potou-2022", alter)  # prose only: no weight to compare with
    assert r.status == "invalid"
    bad = failed(r, "error")
    assert set(bad) == {("score_not_a_year", "总分"), ("score_plausible", "总分")}
    assert bad[("score_not_a_year", "总分")].detail == (
        "总分: score 2022 is a year, not a score: the wrong cell was read"
    )


def test_row_numbers_read_as_scores_are_invalid(samples):
    def alter(facts):
        leaves = [f for f in table_rows(facts) if f.level == 3]
        for i, row in enumerate(leaves, start=1):
            row.score = D(i)

    r = verdict(samples, "huangpu-2022", alter)
    assert r.status == "invalid"
    bad = failed(r, "error")
    c = bad[("scores_not_row_numbers", "score column (the table)")]
    assert c.observed.startswith("1, 2, 3, 4, 5, 6, 7, 8")
    assert "26 consecutive whole numbers" in c.detail
    assert ("score_within_weight", "管理效率/资产管理/固定资产利用率") in bad  # 26 > 2


def test_a_half_read_table_fails_the_coverage_guard(samples):
    def alter(facts):  # page 2 of the table lost (its rows and the total)
        facts.scores = [f for f in facts.scores if not (f.origin == "table" and f.source_page == 2)]

    r = verdict(samples, "huangpu-2022", alter)
    assert r.status == "invalid"
    bad = failed(r, "error")
    assert {s for c, s in bad if c == "table_coverage"} == {"管理效率", "管理效率/绩效管理"}
    c = bad[("table_coverage", "管理效率")]
    assert (c.observed, c.expected) == ("4", "≥ 7")
    assert "part of the table was not read" in c.detail


def test_a_table_that_yields_nothing_is_invalid(samples):
    def alter(facts):  # Camelot found the table, the parser read no row of it
        facts.scores = [f for f in facts.scores if f.origin != "table"]

    r = verdict(samples, "panyu-2023", alter)
    assert r.status == "invalid"
    bad = failed(r, "error")
    assert bad[("table_found", "score table")].observed == "0"
    assert "no score row was read" in bad[("table_found", "score table")].detail


def test_grade_outside_the_totals_band_is_invalid(samples):
    def alter(facts):
        facts.grade_printed = "良"

    r = verdict(samples, "huangpu-2022", alter)
    bad = failed(r, "error")
    assert bad[("grade_matches_total", "总分")].detail == (
        "grade 良 printed, but the total 94.2 is 优 (优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 ≥ 0)"
    )


def test_normalization_changes_nothing_it_is_given(samples):
    """normalize_document returns new facts: the extracted ones stay as printed (amounts
    not in yuan, no unit fixed), whatever the samples hold (tables, prose, 元 fixed)."""
    for source_id, (source, fetched, facts) in samples.items():
        before = copy.deepcopy(facts)
        record = normalize_document(source, fetched, facts)
        assert facts == before, source_id
        assert all(b.amount_yuan is None for b in facts.budgets), source_id
        assert any(b.amount_yuan is not None for b in record.budgets), source_id
    corrected = [b for b in verdict(samples, "panyu-2023").budgets if b.unit_corrected]
    assert {(b.item, b.measure) for b in corrected} == {
        ("基本支出", "budget"),
        ("项目支出", "actual"),
    }


def test_an_implausible_amount_is_an_error(samples):
    def alter(facts):
        facts.budgets[0].printed_amount = D("118877300000")  # 万元: 10^15 yuan, a misread

    r = verdict(samples, "huangpu-2022", alter)
    assert r.status == "invalid"
    (c,) = [c for c in r.checks if c.check_name == "amount_plausible" and not c.passed]
    assert c.subject == "部门预算/budget" and c.severity == "error"


# --------------------------------------------------------------- the machinery


def test_expected_children_come_from_the_dictionarys_weights():
    assert expected_children("1.1")[0] == 3  # 20 + 20 + 10 of the four variants make 50
    assert expected_children("2")[0] == 7
    assert expected_children("2.5")[0] == 6  # 采购意向公开合规性 has no standard weight
    assert expected_children("2.5.5") == (None, None)


def test_the_warehouse_rebuild_gives_the_same_verdict(samples, tmp_path):
    from jixiao.load import warehouse

    report = verdict(samples, "huangpu-2022")
    db = tmp_path / "w.duckdb"
    con = warehouse.connect(db)
    try:
        warehouse.load_dimensions(con)
        warehouse.load_report(con, report)
    finally:
        con.close()
    con = duckdb.connect(str(db), read_only=True)
    try:
        again = run_suites(inputs_from_warehouse(con, report.report_id))
    finally:
        con.close()
    before = {(c.check_name, c.subject, c.passed, c.observed) for c in report.checks}
    after = {(c.check_name, c.subject, c.passed, c.observed) for c in again}
    assert after <= before and len(after) > 60


@pytest.fixture(scope="module")
def loaded(samples, tmp_path_factory) -> Path:
    """A warehouse holding 黄埔区 2022 and 坡头区 2022, loaded as the flow loads them."""
    from jixiao.load import warehouse

    db = tmp_path_factory.mktemp("wh") / "w.duckdb"
    con = warehouse.connect(db)
    try:
        warehouse.load_dimensions(con)
        for source_id in ("huangpu-2022", "potou-2022"):
            warehouse.load_report(con, verdict(samples, source_id))
    finally:
        con.close()
    return db


def test_warehouse_keys_and_references_pass_then_catch_an_orphan(loaded, tmp_path):
    from jixiao.validate import validate_warehouse

    results = validate_warehouse(loaded)
    assert results and all(r.passed for r in results)
    tables = {r.subject.split(" ")[0].split(".")[0] for r in results}
    assert {"dim_report", "fact_indicator_score", "fact_budget", "check_result"} <= tables

    broken = tmp_path / "broken.duckdb"
    broken.write_bytes(loaded.read_bytes())
    con = duckdb.connect(str(broken))
    con.execute(
        "insert into fact_budget (report_id, item, measure, district_code, year, department_code)"
        " values ('feedbeef', '部门预算', 'budget', '440112', 2022, 'zwfw-data')"
    )
    con.close()
    bad = [r for r in validate_warehouse(broken) if not r.passed]
    assert [(r.check_name, r.subject) for r in bad] == [
        ("references", "fact_budget.report_id → dim_report.report_id")
    ]
    assert bad[0].observed == "1 of 9 rows: feedbeef"  # 3 + 5 budget lines + the orphan


def test_data_docs_are_built_and_load_nothing_remote(loaded, tmp_path):
    from jixiao.validate import build_data_docs
    from jixiao.validate.docs import remote_references

    index = build_data_docs(tmp_path / "validation", db_path=loaded)
    site = index.parent
    assert index.exists() and (site / "static" / "styles" / "docs_offline.css").exists()
    pages = {p.relative_to(site).parts[:3] for p in site.rglob("*.html")}
    assert ("validations", "fact_indicator_score", "huangpu-2022") in pages
    assert ("validations", "warehouse_fact_budget", "warehouse") in pages
    assert remote_references(site) == []
    html = index.read_text(encoding="utf-8")
    assert "cdn" not in html.lower() and "docs_offline.css" in html

    # the index links every page of the site (GX fills its tables by script, gone offline)
    every_page = {p.relative_to(site).as_posix() for p in site.rglob("*.html")} - {"index.html"}
    linked = set(re.findall(r'href="([^"#:]+\.html)"', html))
    assert linked == every_page
    # 2 reports x 3 per-report suites + 13 warehouse suites (one per table of sql/ddl)
    # validated; 16 suite pages
    assert sum(p.startswith("validations/") for p in every_page) == 19
    assert sum(p.startswith("expectations/") for p in every_page) == 16
    assert html.count("✔ Success") + html.count("✘ Failed") == 19
