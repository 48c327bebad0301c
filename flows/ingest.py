"""The ingest flow: manifests → fetch → extract → normalize → validate → load.

Thin by design: every step is a ``jixiao.ingest`` function; Prefect adds
retries on I/O, concurrency across documents and run history.
"""

from __future__ import annotations

from prefect import flow, get_run_logger, task
from prefect.task_runners import ThreadPoolTaskRunner

from jixiao import ingest, paths
from jixiao.errors import ChecksumMismatch, FetchError, SourceMissing
from jixiao.ingest import Outcome
from jixiao.manifest import Source


def _transient(task, task_run, state) -> bool:
    """Retry a fetch only when trying again could help (not a missing file or bad checksum)."""
    try:
        state.result()
    except (SourceMissing, ChecksumMismatch):
        return False
    except Exception:
        return True
    return False


@task(retries=2, retry_delay_seconds=[2, 10], retry_condition_fn=_transient)
def fetch(source: Source):
    return ingest.fetch(source)


@task
def extract_and_validate(source: Source, fetched) -> ingest.ReportRecord:
    return ingest.extract_and_validate(source, fetched)


@task
def load(db: str, outcomes: list[Outcome], run_id: str) -> None:
    ingest.load(db, outcomes, run_id)


@flow(name="jixiao-ingest", task_runner=ThreadPoolTaskRunner(max_workers=2), log_prints=False)
def ingest_flow(
    sources: list[str] | None = None,
    db: str = str(paths.DEFAULT_DB),
    year: int | None = None,
    only: list[str] | None = None,
) -> list[Outcome]:
    """Ingest every report of the manifests into the warehouse at ``db``."""
    log = get_run_logger()
    run_id = ingest.new_run_id()
    entries, manifest_errors = ingest.read_sources(
        sources or [str(paths.DEFAULT_SOURCES)], year, only
    )
    for error in manifest_errors:
        log.error("manifest: %s", error)
    outcomes = [
        Outcome(None, e.source_id, "fetch", "failed", error_class="manifest", message=str(e))
        for e in manifest_errors
    ]
    pending = []
    for n, source in enumerate(entries, start=1):
        log.info("[%d/%d] %s: fetching %s", n, len(entries), source.id, source.location)
        try:
            fetched = fetch(source)
        except FetchError as e:
            log.error("%s: fetch failed: %s", source.id, e)
            outcomes.append(ingest.fetch_failure(source, e))
            continue
        if ingest.is_unchanged(db, fetched):
            log.info("%s: unchanged (%s…), not extracted again", source.id, fetched.sha256[:12])
            outcomes.append(
                Outcome(source, source.id, "load", "unchanged", report_id=fetched.sha256)
            )
            continue
        pending.append((source, extract_and_validate.submit(source, fetched)))
    for source, future in pending:
        report = future.result()
        outcome = ingest.report_outcome(source, report)
        log.info("%s: %s (%s)", source.id, report.status, report.status_reason or "all checks")
        outcomes.append(outcome)
    load(db, outcomes, run_id)
    return outcomes


if __name__ == "__main__":
    ingest_flow()
