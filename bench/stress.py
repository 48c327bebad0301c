"""`make stress`: hostile inputs, kill -9 at random moments, concurrent ingests, injection.

Prints the figures; asserts nothing (tests/test_hostile.py, test_crash.py and
test_sql_safety.py hold the same properties as pass/fail with fewer trials).
Takes about 15 minutes on 2 cores.
"""

from __future__ import annotations

import collections
import os
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

import crash  # noqa: E402
import hostile  # noqa: E402

from jixiao.paths import DEFAULT_SOURCES, RAW  # noqa: E402

KILLS = int(os.environ.get("STRESS_KILLS", 50))
CONCURRENT = int(os.environ.get("STRESS_CONCURRENT", 20))


def hostile_inputs(tmp: Path) -> None:
    import duckdb

    from jixiao.extract import worker
    from jixiao_flows.ingest import ingest_flow

    cases = hostile.corpus(bomb_mb=1800)
    entries = []
    for name, _kind, data in cases:
        (tmp / f"{name}.pdf").write_bytes(data)
        entries.append(_entry(name, str(tmp / f"{name}.pdf")))
    for name in hostile.TEXT_SAMPLES:
        entries.append(_entry(f"good-{name}", str(RAW / "samples" / f"{name}.pdf")))
    manifest = tmp / "hostile.yaml"
    manifest.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    db = tmp / "hostile.duckdb"
    worker.configure(memory_mb=2048, timeout_s=60)
    start = time.perf_counter()
    crashed = 0
    try:
        ingest_flow(sources=[str(manifest)], db=str(db))
    except Exception as e:
        crashed = 1
        print(f"  the run crashed: {type(e).__name__}: {e}")
    seconds = time.perf_counter() - start
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute(
        "select source_id, status, status_reason from dim_report order by source_id"
    ).fetchall()
    per_source = collections.Counter(r[0] for r in rows)
    kinds = {n.lower(): k for n, k, _ in cases}
    by_class = collections.Counter()
    statuses = collections.Counter()
    for source_id, status, reason in rows:
        if source_id.startswith("good-"):
            continue
        statuses[status] += 1
        if status == "unparsed":
            by_class[(kinds.get(source_id, "?"), reason.partition(":")[0])] += 1
    good = con.execute(
        "select count(*) from dim_report where source_id like 'good-%' and status = 'valid'"
    ).fetchone()[0]
    bomb = con.execute("select status_reason from dim_report where source_id = 'bomb'").fetchone()
    con.close()
    print(f"  files tried: {len(cases)} bad + {len(hostile.TEXT_SAMPLES)} good in one run")
    print(f"  run crashes: {crashed}; seconds: {seconds:.1f}")
    print(f"  report rows per bad file: {set(per_source.values())} (exactly one each)")
    print(f"  bad files by status: {dict(statuses)}; good files valid: {good}/4")
    print(f"  bomb (1.8 GB content stream, 2048 MB limit): {bomb[0] if bomb else '-'}")
    for (kind, error_class), n in sorted(by_class.items()):
        print(f"    {kind:16} {error_class:32} {n}")


def _entry(source_id: str, path: str) -> dict:
    return {
        "id": source_id.lower(),
        "district_code": "440112",
        "year": 2022,
        "department": "政务服务数据管理局",
        "path": path,
    }


def kills(tmp: Path, api_url: str) -> None:
    ref_db = tmp / "reference.duckdb"
    _, clean_s = crash.timed(crash.run_to_end, DEFAULT_SOURCES, ref_db, api_url)
    reference = crash.snapshot(ref_db)
    empty = {table: [] for table in crash.CONTENT}
    facts = len(reference["fact_indicator_score"])
    print(f"  a clean run: {clean_s:.1f} s, {facts} score facts")
    stage_ok = 0
    for point in crash.STAGE_POINTS:
        db = tmp / f"stage-{point}.duckdb"
        crash.run_to_end(DEFAULT_SOURCES, db, api_url, crash_at=point)
        mid = crash.snapshot(db)
        crash.run_to_end(DEFAULT_SOURCES, db, api_url)
        ok = mid in (empty, reference) and crash.snapshot(db) == reference
        stage_ok += ok
        print(f"    killed at {point:15} -> published state {'ok' if ok else 'WRONG'}")
    # each trial ingests into a new warehouse and is killed while it works; every
    # tenth is then re-run to the end and compared with a clean run
    killed = opened = duplicates = partial = reruns = equal = lost = 0
    for n, delay in enumerate(crash.random_delays(KILLS, longest_s=clean_s * 0.9)):
        db = tmp / f"random-{n}.duckdb"
        killed += crash.run_and_kill(DEFAULT_SOURCES, db, api_url, delay)
        snap = crash.snapshot(db)
        opened += 1
        duplicates += crash.duplicate_keys(db)
        partial += snap not in (empty, reference)
        if n % 10 == 9:
            crash.run_to_end(DEFAULT_SOURCES, db, api_url)
            final = crash.snapshot(db)
            reruns += 1
            equal += final == reference
            lost += len(set(reference["fact_indicator_score"]) - set(final["fact_indicator_score"]))
    print(f"  stage boundaries: {stage_ok}/{len(crash.STAGE_POINTS)} recovered to a clean run")
    print(
        f"  random kills: {KILLS} runs ({killed} killed while working), database opened "
        f"{opened}/{KILLS}, duplicate keys {duplicates}, half-loaded states {partial}"
    )
    print(f"  re-runs after a kill: {reruns}, equal to a clean run {equal}, lost facts {lost}")


def concurrent(tmp: Path, api_url: str) -> None:
    identical = 0
    reference = None
    waited = 0
    for trial in range(CONCURRENT):
        db = tmp / f"concurrent-{trial}.duckdb"
        first = crash.ingest_process(DEFAULT_SOURCES, db, api_url)
        second = crash.ingest_process(DEFAULT_SOURCES, db, api_url)
        codes = (first.wait(timeout=600), second.wait(timeout=600))
        log = db.with_name(db.name + ".log").read_text(encoding="utf-8", errors="replace")
        waited += "waiting for it to finish" in log
        snap = crash.snapshot(db)
        reference = reference or snap
        identical += codes == (0, 0) and snap == reference and crash.duplicate_keys(db) == 0
    print(
        f"  {CONCURRENT} trials of two ingests at once: {identical} identical results, "
        f"{waited} where the second said it was waiting for the lock"
    )


def injection() -> None:
    import test_sql_safety as t

    from jixiao_flows.ingest import ingest_flow

    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "w.duckdb")
        ingest_flow(db=db)
        before = t.fingerprint(db)
        calls = (
            [["--db", db, "sql", p] for p in t.SQL_PAYLOADS + t.HARMLESS_SQL]
            + [
                ["--db", db, "compare", "--year", "2022", "--indicator", p]
                for p in t.COMPARE_PAYLOADS
            ]
            + [["--db", db, "checks", "--report", p] for p in t.CHECKS_PAYLOADS]
            + [["--db", db, "compare", "--year", p] for p in t.YEAR_PAYLOADS]
        )
        import contextlib
        import io

        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            for args in calls:
                t.run(args)
        same = t.fingerprint(db) == before
        files = list(t.PROBE.parent.glob(t.PROBE.name + "*"))
    print(
        f"  {len(calls)} payloads: schema and data unchanged: {same}; files written: {len(files)}"
    )


def main() -> None:
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    start = time.perf_counter()
    with prefect_test_harness(server_startup_timeout=90), tempfile.TemporaryDirectory() as tmp:
        api_url = PREFECT_API_URL.value()
        tmp = Path(tmp)
        print("== hostile inputs")
        (tmp / "hostile").mkdir()
        hostile_inputs(tmp / "hostile")
        print("\n== kill -9")
        kills(tmp, api_url)
        print("\n== concurrent ingests")
        concurrent(tmp, api_url)
        print("\n== SQL injection through the CLI")
        injection()
    print(f"\nstress time: {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
