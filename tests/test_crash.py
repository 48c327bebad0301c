"""SIGKILL the ingest at every named stage boundary and at random moments.

After each kill: the published warehouse opens, has no duplicate keys and
holds either the previous complete state or the new complete one (never a
half-loaded report); a re-run ends equal to a clean run. `make stress` runs
the same with 50 random kills.
"""

import subprocess
from pathlib import Path

import crash
import pytest
import yaml

from jixiao.paths import DEFAULT_SOURCES


@pytest.fixture(scope="module")
def api_url(prefect_harness):
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value()


@pytest.fixture(scope="module")
def reference(api_url, tmp_path_factory):
    db = Path(tmp_path_factory.mktemp("reference")) / "w.duckdb"
    assert crash.run_to_end(DEFAULT_SOURCES, db, api_url) == 0
    snap = crash.snapshot(db)
    assert len(snap["dim_report"]) == 5 and len(snap["fact_indicator_score"]) > 100
    return snap


EMPTY = {table: [] for table in crash.CONTENT}


@pytest.mark.parametrize("point", crash.STAGE_POINTS)
def test_kill_at_stage_boundary_then_rerun(point, api_url, reference, tmp_path):
    db = tmp_path / "w.duckdb"
    assert crash.run_to_end(DEFAULT_SOURCES, db, api_url, crash_at=point) == -9
    after_kill = crash.snapshot(db)
    assert after_kill == (reference if point == "after_publish" else EMPTY)
    assert crash.duplicate_keys(db) == 0
    assert crash.run_to_end(DEFAULT_SOURCES, db, api_url) == 0
    assert crash.snapshot(db) == reference


def test_kill_during_a_later_run_keeps_the_published_warehouse(api_url, reference, tmp_path):
    first_two = tmp_path / "first-two.yaml"
    entries = yaml.safe_load(DEFAULT_SOURCES.read_text(encoding="utf-8"))[:2]
    for entry in entries:
        entry["path"] = str((DEFAULT_SOURCES.parent / entry["path"]).resolve())
    first_two.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    db = tmp_path / "w.duckdb"
    assert crash.run_to_end(first_two, db, api_url) == 0
    published = crash.snapshot(db)
    assert len(published["dim_report"]) == 2
    for point in ("mid_load", "before_publish"):
        # the full run loads three more reports, then dies
        assert crash.run_to_end(DEFAULT_SOURCES, db, api_url, crash_at=point) == -9
        assert crash.snapshot(db) == published  # the analysts' copy never changed
    assert crash.run_to_end(DEFAULT_SOURCES, db, api_url) == 0
    assert crash.snapshot(db) == reference


def test_random_kills_then_rerun_equals_a_clean_run(api_url, reference, tmp_path):
    db = tmp_path / "w.duckdb"
    for delay in crash.random_delays(4, longest_s=8.0):
        crash.run_and_kill(DEFAULT_SOURCES, db, api_url, delay)
        assert crash.snapshot(db) in (EMPTY, reference)
        assert crash.duplicate_keys(db) == 0
    assert crash.run_to_end(DEFAULT_SOURCES, db, api_url) == 0
    assert crash.snapshot(db) == reference


def test_two_ingests_at_once_one_waits(api_url, reference, tmp_path):
    db = tmp_path / "w.duckdb"
    first = crash.ingest_process(DEFAULT_SOURCES, db, api_url)
    second = crash.ingest_process(DEFAULT_SOURCES, db, api_url)
    try:
        assert first.wait(timeout=300) == 0
        assert second.wait(timeout=300) == 0
    except subprocess.TimeoutExpired:
        crash.kill_group(first)
        crash.kill_group(second)
        raise
    assert crash.snapshot(db) == reference
    assert crash.duplicate_keys(db) == 0


EXPORT = (
    "import sys; from jixiao_flows.export import export_flow; "
    "export_flow(db=sys.argv[1], out=sys.argv[2])"
)


def test_export_killed_mid_write_leaves_the_previous_export(api_url, ingested, tmp_path):
    import os
    import sys

    import duckdb

    from jixiao_flows.export import export_flow

    out = tmp_path / "curated"
    counts = export_flow(db=ingested["db"], out=str(out))
    before = os.readlink(out / "_current")
    env = dict(os.environ, PREFECT_API_URL=api_url, JIXIAO_CRASH_AT="mid_export")
    killed = subprocess.run(
        [sys.executable, "-c", EXPORT, ingested["db"], str(out)], env=env, timeout=300
    )
    assert killed.returncode == -9
    assert os.readlink(out / "_current") == before  # readers still see the whole old export
    scores = f"read_parquet('{out}/scores/**/*.parquet', hive_partitioning = true)"
    assert duckdb.sql(f"select count(*) from {scores}").fetchall()[0][0] == counts["scores"]
    export_flow(db=ingested["db"], out=str(out))  # the next export cleans up and switches
    assert os.readlink(out / "_current") != before
    assert len(list((out / ".exports").iterdir())) == 2  # the current and the previous
