"""End to end: the real ingest flow on the five sample PDFs, into a real DuckDB file.

The numbers are the ones tests/fixtures/seeds/README.md says a correct
pipeline must get from these documents.
"""

from decimal import Decimal

import duckdb
import pytest


@pytest.fixture(scope="module")
def con(ingested):
    c = duckdb.connect(ingested["db"], read_only=True)
    yield c
    c.close()


def scores(con, source_id: str) -> dict[str, tuple]:
    rows = con.execute(
        """
        select i.path, f.weight, f.score, f.is_derived, f.printed_name, f.source_page
        from fact_indicator_score f join dim_report r using (report_id)
        join dim_indicator i using (indicator_code)
        where r.source_id = ?
        """,
        [source_id],
    ).fetchall()
    return {r[0]: r[1:] for r in rows}


def test_every_source_has_one_status_row(ingested, con):
    status = dict(
        con.execute("select source_id, status from source_status order by source_id").fetchall()
    )
    assert status == {
        "baiyun-2022": "loaded",
        "huangpu-2022": "loaded",
        "panyu-2023": "loaded",
        "panyu-2024-scan": "loaded",
        "potou-2022": "loaded",
    }
    assert len(ingested["outcomes"]) == 5


def test_huangpu_2022_table(con):
    s = scores(con, "huangpu-2022")
    assert s["总分"][1] == Decimal("94.200")
    assert s["履职效能"][1] == Decimal("46.380") and s["履职效能"][2]  # derived from rows
    assert s["管理效率"][1] == Decimal("47.820")
    level3 = con.execute(
        """
        select count(*), sum(weight), sum(score)
        from fact_indicator_score f join dim_report r using (report_id)
        join dim_indicator i using (indicator_code)
        where r.source_id = 'huangpu-2022' and i.level = 3
        """
    ).fetchone()
    assert level3 == (26, Decimal("100.000"), Decimal("94.200"))
    for name in (
        "预算编制",
        "预算执行",
        "信息公开",
        "绩效管理",
        "采购管理",
        "资产管理",
        "运行成本",
    ):
        assert f"管理效率/{name}" in s
    assert s["管理效率/预算编制/新增预算项目事前绩效评估"][4] == 1  # page 1, label on page 2
    unnamed = s["管理效率/采购管理/(未命名1)"]
    assert unnamed[0] == Decimal("1.500") and unnamed[3] is None
    flagged = con.execute(
        """
        select severity, passed from check_result c join dim_report r using (report_id)
        where r.source_id = 'huangpu-2022' and c.check_name = 'unnamed_indicator'
        """
    ).fetchall()
    assert flagged == [("warning", False)]
    report = con.execute(
        "select status, doc_kind, grade, n_pages from dim_report where source_id = 'huangpu-2022'"
    ).fetchone()
    assert report == ("valid", "score_table", "优", 2)


def test_huangpu_2022_budget_in_yuan(con):
    budget = dict(
        con.execute(
            """
            select item, amount_yuan from fact_budget f join dim_report r using (report_id)
            where r.source_id = 'huangpu-2022' and measure = 'budget'
            """
        ).fetchall()
    )
    assert budget == {
        "部门预算": Decimal("118877300.00"),
        "基本支出": Decimal("33080600.00"),
        "项目支出": Decimal("85796800.00"),
    }


def test_narrative_totals(con):
    assert scores(con, "baiyun-2022")["总分"][1] == Decimal("99.500")
    assert scores(con, "potou-2022")["总分"][1] == Decimal("96.000")
    panyu = scores(con, "panyu-2023")
    assert panyu["总分"][1] == Decimal("94.400")
    assert panyu["管理效率"][1] == Decimal("45.000")
    assert panyu["管理效率"][3] == "管理效能"  # printed name kept, canonical 管理效率
    assert panyu["履职效能"][1] == Decimal("49.400")


def test_scanned_report_is_read_by_ocr(con):
    report = con.execute(
        "select status, doc_kind, grade, n_pages from dim_report "
        "where source_id = 'panyu-2024-scan'"
    ).fetchone()
    assert report == ("valid", "scanned", "优", 7)
    rows = con.execute(
        """
        select i.path, f.score, f.source_page, f.ocr_confidence
        from fact_indicator_score f join dim_report r using (report_id)
        join dim_indicator i using (indicator_code)
        where r.source_id = 'panyu-2024-scan'
        """
    ).fetchall()
    found = {path: (score, page, conf) for path, score, page, conf in rows}
    for path, score in (("总分", 94), ("履职效能", 49), ("管理效率", 45)):
        got_score, page, confidence = found[path]
        assert (got_score, page) == (Decimal(score), 2), path
        assert confidence is not None and confidence > 0.9, path
    status = con.execute(
        "select stage, status from source_status where source_id = 'panyu-2024-scan'"
    ).fetchone()
    assert status == ("load", "loaded")


def test_keys_are_unique(con):
    for table, key in [
        ("fact_indicator_score", "report_id, indicator_code"),
        ("fact_budget", "report_id, item, measure"),
        ("check_result", "report_id, check_name, subject"),
    ]:
        dupes = con.execute(
            f"select count(*) from (select {key} from {table} group by all having count(*) > 1)"
        ).fetchone()[0]
        assert dupes == 0, table
