"""The streaming load (``ingest.Loader``) and the warehouse checks of one run's rows.

The flow hands each extraction task's reports to one loader as they arrive: a
batch is written as soon as it is full, and a loaded report keeps its scores
but no longer its check results (the warehouse holds them). At the end the
warehouse suites read only the rows of the reports this run loaded; what older
rows could break (a reference to a dimension row that is gone) is counted in
SQL over the whole table.
"""

from __future__ import annotations

import pytest

from jixiao import ingest
from jixiao.load import warehouse
from jixiao.validate import validate_warehouse

SAMPLES = ["huangpu-2022", "potou-2022", "baiyun-2022"]  # text PDFs: no OCR


@pytest.fixture(scope="module")
def outcomes() -> list[ingest.Outcome]:
    from jixiao import paths

    sources, errors = ingest.read_sources([paths.DEFAULT_SOURCES], only=SAMPLES)
    assert not errors and len(sources) == 3
    return [
        ingest.report_outcome(s, ingest.extract_and_validate(s, ingest.fetch(s))) for s in sources
    ]


def fresh(outcomes: list[ingest.Outcome]) -> list[ingest.Outcome]:
    """Copies, so that lightening one test's outcomes leaves the others' reports whole."""
    from dataclasses import replace

    return [replace(o) for o in outcomes]


def count(con, table: str) -> int:
    return con.execute(f"select count(*) from {table}").fetchone()[0]


def test_a_full_batch_is_written_before_the_run_ends(outcomes, tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "LOAD_BATCH", 2)
    mine = fresh(outcomes)
    checks_before = [len(o.report.checks) for o in mine]
    assert all(n > 10 for n in checks_before)
    loader = ingest.Loader(tmp_path / "build.duckdb", "run-1")
    try:
        loader.add(mine[:1])
        assert count(loader.con, "dim_report") == 0  # one report waits for its batch
        loader.add(mine[1:])
        assert count(loader.con, "dim_report") == 2  # the first batch of two is in
        assert count(loader.con, "check_result") == sum(checks_before[:2])
        # loaded reports keep their scores, not their checks (the warehouse has them)
        assert [len(o.report.checks) for o in mine[:2]] == [0, 0]
        assert all(o.report.scores for o in mine[:2])
        assert len(mine[2].report.checks) == checks_before[2]  # not loaded yet: whole
        loader.finish()
        assert count(loader.con, "dim_report") == 3
        assert count(loader.con, "source_status") == 3
        assert loader.report_ids == {o.report_id for o in outcomes}
    finally:
        loader.close()


def test_checks_of_one_run_pass_as_the_whole_warehouse_does(outcomes, tmp_path):
    db = tmp_path / "w.duckdb"
    ingest.load(db, fresh(outcomes), "run-1")
    con = warehouse.connect(db)
    try:
        whole = validate_warehouse(db, con=con)
        run = validate_warehouse(db, con=con, report_ids={outcomes[0].report_id})
        # the same checks, every one passed
        assert [(c.check_name, c.subject) for c in run] == [
            (c.check_name, c.subject) for c in whole
        ]
        assert all(c.passed for c in whole) and all(c.passed for c in run)
        # the run's check of its own rows reads one report's scores, not all three
        n_scores = con.execute(
            "select count(*) from fact_indicator_score where report_id = ?",
            [outcomes[0].report_id],
        ).fetchone()[0]
        total = count(con, "fact_indicator_score")
        assert 0 < n_scores < total
        assert f"{n_scores} rows" in {c.observed for c in run}
        assert f"{total} rows" not in {c.observed for c in run}
        assert f"{total} rows" in {c.observed for c in whole}
    finally:
        con.close()


def test_an_older_rows_broken_reference_is_still_found(outcomes, tmp_path):
    db = tmp_path / "w.duckdb"
    ingest.load(db, fresh(outcomes), "run-1")
    old, new = outcomes[0].report_id, outcomes[1].report_id
    con = warehouse.connect(db)
    try:
        # an older report's scores point at a district the dimension no longer has
        con.execute(
            "update fact_indicator_score set district_code = '999999' where report_id = ?", [old]
        )
        run = validate_warehouse(db, con=con, report_ids={new})
        failed = [c for c in run if not c.passed]
        assert len(failed) == 1
        assert "rows loaded by earlier runs" in failed[0].detail
        assert "999999" in failed[0].detail
        # checked as a run's own rows, Great Expectations finds the same
        own = [c for c in validate_warehouse(db, con=con, report_ids={old}) if not c.passed]
        assert [c.check_name for c in own] == [failed[0].check_name]
        assert "999999" in own[0].detail
    finally:
        con.close()
