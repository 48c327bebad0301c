"""328 bad inputs made from the real samples, with the good samples, in one real flow run.

Bar: the run does not crash; every bad file gets exactly one report row that
is unparsed (with an error class and a readable message) or invalid, or, for
a damaged copy the parser could still read, valid with exactly the original's
facts; the good files in the same run all load.
"""

import collections
from decimal import Decimal
from pathlib import Path

import duckdb
import hostile
import pytest
import yaml

from jixiao.extract import worker
from jixiao.paths import RAW
from jixiao_flows.ingest import ingest_flow

EXPECTED_CLASS = {
    "truncated": {"truncated_pdf", "not_a_pdf"},
    "zero": {"not_a_pdf"},
    "html": {"not_a_self_evaluation_report"},  # an HTML page is read; a 404 page is "other"
    "image": {"not_a_pdf"},
    "zip": {"not_a_pdf"},
    "encrypted_user": {"encrypted_pdf"},
    "cid_text": {"unreadable_text"},
    "bomb": {"worker_died", "worker_timeout"},
    "many_pages": {"too_many_pages"},
    "not_a_report": {"not_a_self_evaluation_report"},
}
MEMORY_MB = 2048
TIMEOUT_S = 60


@pytest.fixture(scope="module")
def hostile_run(prefect_harness, tmp_path_factory):
    folder = Path(tmp_path_factory.mktemp("hostile"))
    cases = hostile.corpus(bomb_mb=1800)
    entries = []
    for name, _kind, data in cases:
        (folder / f"{name}.pdf").write_bytes(data)
        entries.append(_entry(name, f"{name}.pdf"))
    for name in hostile.TEXT_SAMPLES:
        entries.append(_entry(f"good-{name}", str(RAW / "samples" / f"{name}.pdf")))
    manifest = folder / "hostile.yaml"
    manifest.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    db = folder / "w.duckdb"
    worker.configure(memory_mb=MEMORY_MB, timeout_s=TIMEOUT_S)
    try:
        outcomes = ingest_flow(sources=[str(manifest)], db=str(db))
    finally:
        worker.configure()  # back to the defaults for the other tests
    con = duckdb.connect(str(db), read_only=True)
    yield {"cases": cases, "outcomes": outcomes, "con": con}
    con.close()


def _entry(source_id: str, path: str) -> dict:
    return {
        "id": source_id.lower().replace("_", "-"),
        "district_code": "440112",
        "year": 2022,
        "department": "政务服务数据管理局",
        "path": path,
    }


def facts_of(con, source_id: str) -> set:
    return set(
        con.execute(
            """
            select indicator_code, weight, score from fact_indicator_score
            join dim_report using (report_id) where source_id = ?
            """,
            [source_id],
        ).fetchall()
    )


def test_no_crash_and_one_outcome_per_source(hostile_run):
    cases, outcomes = hostile_run["cases"], hostile_run["outcomes"]
    assert len(cases) >= 300
    assert len(outcomes) == len(cases) + len(hostile.TEXT_SAMPLES)
    assert len({o.source_id for o in outcomes}) == len(outcomes)


def test_every_bad_file_is_recorded_once_and_never_silently_wrong(hostile_run):
    con = hostile_run["con"]
    rows = {
        source_id: (status, reason, n)
        for source_id, status, reason, n in con.execute(
            """
            select source_id, any_value(status), any_value(status_reason), count(*)
            from dim_report group by source_id
            """
        ).fetchall()
    }
    classes = collections.Counter()
    for name, kind, _data in hostile_run["cases"]:
        source_id = name.lower().replace("_", "-")
        status, reason, n = rows[source_id]
        assert n == 1, source_id
        if kind in EXPECTED_CLASS:
            assert status == "unparsed", (source_id, status, reason)
        if status == "unparsed":
            error_class, _, message = reason.partition(": ")
            assert len(message) > 15, reason
            classes[(kind, error_class)] += 1
            if kind in EXPECTED_CLASS:
                assert error_class in EXPECTED_CLASS[kind], (source_id, reason)
        elif status == "valid":
            original = "good-" + source_id.split("-cut")[0].split("-flip")[0].split("-enc")[0]
            assert facts_of(con, source_id) == facts_of(con, original), source_id
    print(dict(classes))


def test_source_status_names_stage_class_and_message(hostile_run):
    con = hostile_run["con"]
    rows = con.execute("select source_id, stage, status, error_class, message from source_status")
    rows = rows.fetchall()
    assert len(rows) == len(hostile_run["cases"]) + len(hostile.TEXT_SAMPLES)
    failed = [r for r in rows if r[2] == "failed"]
    assert len(failed) >= 200
    for _source_id, stage, _status, error_class, message in failed:
        assert stage in {"extract", "load"} and error_class and message


def test_good_files_in_the_same_run_all_load(hostile_run):
    con = hostile_run["con"]
    totals = dict(
        con.execute(
            """
            select source_id, score from fact_indicator_score join dim_report using (report_id)
            where source_id like 'good-%' and indicator_code = '0' and status = 'valid'
            """
        ).fetchall()
    )
    assert totals == {
        "good-huangpu-2022": Decimal("94.200"),
        "good-potou-2022": Decimal("96.000"),
        "good-baiyun-2022": Decimal("99.500"),
        "good-panyu-2023": Decimal("94.400"),
    }


def test_memory_limit_holds_for_the_bomb(hostile_run):
    con = hostile_run["con"]
    reason = con.execute("select status_reason from dim_report where source_id = 'bomb'").fetchone()
    assert reason[0].startswith(("worker_died", "worker_timeout")), reason
    assert f"{MEMORY_MB} MB" in reason[0] or f"{TIMEOUT_S} s" in reason[0]


def test_time_limit_stops_a_slow_parse(tmp_path):
    pool = worker.WorkerPool(size=1, timeout_s=0.05)
    try:
        with pytest.raises(Exception) as caught:
            pool.extract(RAW / "samples" / "panyu-2023.pdf")
        assert caught.value.error_class == "worker_timeout"
        # the pool replaces the killed worker and goes on
        pool.timeout_s = 120
        facts = pool.extract(RAW / "samples" / "potou-2022.pdf")
        assert any(f.level == 0 and f.score == Decimal("96") for f in facts.scores)
    finally:
        pool.close()
