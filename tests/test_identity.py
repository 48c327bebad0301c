"""The speed changes keep the warehouse as it was: the same rows, table by table.

The flow's fast path (extraction batched into a few tasks, reports loaded many
per transaction, the skip decision from one read, Great Expectations without
its results store and with each configuration built once per run) against the
plain one (one report at a time through every stage, loaded one transaction
each, Great Expectations exactly as it comes), on a small generated corpus
(``bench/corpus.py``) and the text samples.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest
from snapshot import differences, snapshot

from jixiao import ingest, paths
from jixiao.load import warehouse

BENCH = Path(__file__).resolve().parents[1] / "bench"
SAMPLES = ["huangpu-2022", "potou-2022", "baiyun-2022", "panyu-2023"]  # not the scan: OCR is slow


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[list[str], list[str]]:
    """Manifests and source ids: 6 generated reports (tables, narratives) + 4 samples."""
    sys.path.insert(0, str(BENCH))
    import corpus as generator

    folder = generator.ensure_corpus(6, seed=7, jobs=1, folder=tmp_path_factory.mktemp("corpus"))
    ids = list(generator.read_truth(folder))
    return [str(folder / "sources.yaml"), str(paths.DEFAULT_SOURCES)], ids + SAMPLES


@pytest.fixture(scope="module")
def fast(prefect_harness, corpus, tmp_path_factory) -> tuple[Path, list]:
    from jixiao_flows.ingest import ingest_flow

    manifests, only = corpus
    db = tmp_path_factory.mktemp("fast") / "warehouse.duckdb"
    return db, ingest_flow(sources=manifests, db=str(db), only=only)


def plain_ingest(manifests: list[str], only: list[str], db: Path) -> None:
    """The pipeline one report at a time, every stage as it was before the speed work."""
    sources, errors = ingest.read_sources(manifests, only=only)
    assert not errors
    outcomes = []
    for source in sources:
        fetched = ingest.fetch(source)
        if ingest.is_unchanged(db, fetched):  # one warehouse read per source
            outcomes.append(ingest.unchanged_outcome(db, source, fetched))
            continue
        outcomes.append(ingest.report_outcome(source, ingest.extract_and_validate(source, fetched)))
    build = ingest.start_build(db)
    con = warehouse.connect(build)
    try:
        warehouse.load_dimensions(con)
        for o in outcomes:
            if o.report is not None:
                try:
                    warehouse.load_report(con, o.report)
                except Exception as e:
                    ingest._record_load_failure(con, o, e)
            warehouse.record_source_status(
                con, source_id=o.source_id, run_id="plain", report_id=o.report_id,
                stage=o.stage, status=o.status, error_class=o.error_class, message=o.message,
            )  # fmt: skip
        checks = ingest.validate_warehouse(build, con=con)
        assert all(c.passed for c in checks)
    finally:
        con.close()
    ingest.publish(db)


def test_fast_and_plain_paths_build_the_same_warehouse(fast, corpus, tmp_path, monkeypatch):
    from jixiao.validate import gx_runner

    manifests, only = corpus
    plain_runner = gx_runner.GXRunner(
        gx_runner.default_expectations_dir().resolve(),
        keep_results=True,
        cache_configurations=False,
    )
    monkeypatch.setitem(gx_runner._RUNNERS, plain_runner.expectations_dir, plain_runner)
    plain = tmp_path / "plain.duckdb"
    plain_ingest(manifests, only, plain)

    a, b = snapshot(fast[0]), snapshot(plain)
    assert differences(a, b) == []
    # not vacuous: every report is there with its facts and checks
    assert len(a["dim_report"]) == len(only) == 10
    assert len(a["fact_indicator_score"]) > 200
    assert len(a["check_result"]) > 300
    assert {r[0] for r in a["source_status"]} == set(only)


def test_a_rerun_with_nothing_changed_keeps_every_fact(fast, corpus):
    from jixiao_flows.ingest import ingest_flow

    db, _ = fast
    manifests, only = corpus
    before = snapshot(db)
    outcomes = ingest_flow(sources=manifests, db=str(db), only=only)
    assert [o.status for o in outcomes] == ["unchanged"] * len(only)
    after = snapshot(db)
    # source_status records the latest attempt: now "unchanged", stage and error as they were
    # (columns: source_id, report_id, stage, status, error_class, message)
    now, then = after.pop("source_status"), before.pop("source_status")
    assert {r[3] for r in now} == {"unchanged"}
    assert [r[:3] + r[4:] for r in now] == [r[:3] + r[4:] for r in then]
    assert differences(before, after) == []


def test_a_batch_the_database_refuses_loads_one_by_one(fast, tmp_path):
    """One report with a repeated indicator in a batch: it alone fails, the rest load."""
    _, outcomes = fast
    good = [o for o in outcomes if o.report is not None and o.report.scores][:4]
    bad_report = replace(good[1].report, scores=[*good[1].report.scores, good[1].report.scores[0]])
    batch = [replace(o) for o in good]
    batch[1] = replace(good[1], report=bad_report)
    db = tmp_path / "w.duckdb"
    ingest.load(ingest.start_build(db), batch, "run")
    ingest.publish(db)
    con = duckdb.connect(str(db), read_only=True)
    try:
        status = {
            r[0]: r[1:]
            for r in con.execute(
                "select source_id, status, status_reason from dim_report"
            ).fetchall()
        }
        scored = {
            r[0]
            for r in con.execute("select distinct report_id from fact_indicator_score").fetchall()
        }
    finally:
        con.close()
    assert status[good[1].source_id][0] == "unparsed"
    assert status[good[1].source_id][1].startswith("load_failed: ConstraintException")
    others = [good[0], *good[2:]]
    assert [status[o.source_id][0] for o in others] == [o.report.status for o in others]
    assert scored == {o.report_id for o in others}
    assert batch[1].status == "failed" and batch[1].error_class == "load_failed"
