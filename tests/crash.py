"""Kill the ingest (SIGKILL) at named stage boundaries and at random moments.

Used by tests/test_crash.py (a few trials) and bench/stress.py (`make stress`,
50+ trials). The ingest runs as a separate process, the way a user or a
scheduler runs it; Prefect talks to an already running API (the test
harness's) so each run starts in seconds.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from jixiao.paths import REPO

STAGE_POINTS = ["after_fetch", "after_extract", "mid_load", "before_publish", "after_publish"]

# Tables and the columns that identify their content (run ids and timestamps excluded).
CONTENT = {
    "dim_report": (
        "report_id, source_id, district_code, year, status, status_reason, grade, n_pages"
    ),
    "fact_indicator_score": "report_id, indicator_code, weight, score, is_derived, source_page",
    "fact_budget": "report_id, item, measure, amount_yuan, rate, source_page",
    "check_result": "report_id, check_name, subject, severity, passed, observed, expected",
    "source_status": "source_id, report_id, stage, error_class",
    "table_lineage": "report_id, table_index, page, flavor",
}
KEYS = {
    "dim_report": "report_id",
    "fact_indicator_score": "report_id, indicator_code",
    "fact_budget": "report_id, item, measure",
    "check_result": "report_id, check_name, subject",
    "source_status": "source_id",
}

RUN = (
    "import sys; from jixiao_flows.ingest import ingest_flow; "
    "ingest_flow(sources=[sys.argv[1]], db=sys.argv[2])"
)


def ingest_process(
    manifest: Path, db: Path, api_url: str, crash_at: str | None = None
) -> subprocess.Popen:
    env = dict(os.environ, PREFECT_API_URL=api_url, PYTHONPATH=str(REPO))
    env.pop("JIXIAO_CRASH_AT", None)
    if crash_at:
        env["JIXIAO_CRASH_AT"] = crash_at
    # the child gets its own copy of the descriptor; the parent's is closed at once
    with open(db.with_name(db.name + ".log"), "ab") as log:
        return subprocess.Popen(
            [sys.executable, "-c", RUN, str(manifest), str(db)],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # so the kill reaches its worker processes too
        )


def kill_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def run_to_end(manifest: Path, db: Path, api_url: str, crash_at: str | None = None) -> int:
    process = ingest_process(manifest, db, api_url, crash_at)
    code = process.wait(timeout=600)
    kill_group(process)  # its workers, if the main process was the one killed
    return code


def run_and_kill(manifest: Path, db: Path, api_url: str, after_s: float) -> bool:
    """Start an ingest and SIGKILL it after ``after_s``; True if it was still running."""
    process = ingest_process(manifest, db, api_url)
    try:
        process.wait(timeout=after_s)
        return False
    except subprocess.TimeoutExpired:
        kill_group(process)
        return True


def snapshot(db: Path) -> dict[str, list]:
    """The warehouse's content, table by table, sorted (empty when there is no file)."""
    if not db.exists():
        return {table: [] for table in CONTENT}
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            table: con.execute(f"select {cols} from {table} order by all").fetchall()
            for table, cols in CONTENT.items()
        }
    finally:
        con.close()


def duplicate_keys(db: Path) -> int:
    if not db.exists():
        return 0
    con = duckdb.connect(str(db), read_only=True)
    try:
        return sum(
            con.execute(
                f"select count(*) from (select {key} from {table} group by all having count(*) > 1)"
            ).fetchone()[0]
            for table, key in KEYS.items()
        )
    finally:
        con.close()


def random_delays(n: int, longest_s: float, seed: int = 7) -> list[float]:
    rng = random.Random(seed)
    return [rng.uniform(0.5, longest_s) for _ in range(n)]


def timed(fn, *args) -> tuple[object, float]:
    start = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - start
