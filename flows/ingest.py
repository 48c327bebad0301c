"""The ingest flow: manifests → fetch → extract → normalize → validate → load.

Thin by design: every step is a ``jixiao.ingest`` function; Prefect adds
retries on I/O, concurrency across documents and run history.
"""

from __future__ import annotations

from prefect import allow_failure, flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner

from jixiao import ingest, paths
from jixiao.errors import FetchError
from jixiao.faults import point as fault_point
from jixiao.fetch.politeness import fetch_order
from jixiao.ingest import Outcome
from jixiao.load.publish import exclusive, start_build
from jixiao.manifest import Source


def _transient(task, task_run, state) -> bool:
    """Retry a fetch only on I/O failures that can pass (timeouts, dropped connections, 5xx).

    The HTTP client has already retried with backoff; this is one more try
    a while later. A 404, an unsafe target, a non-PDF or a bad checksum is final.
    """
    try:
        state.result()
    except FetchError as e:
        return e.transient
    except Exception:
        return False
    return False


@task(retries=1, retry_delay_seconds=30, retry_condition_fn=_transient, cache_policy=NO_CACHE)
def fetch(source: Source):
    return ingest.fetch(source)


@task
def extract_and_validate(source: Source, fetched) -> ingest.ReportRecord:
    return ingest.extract_and_validate(source, fetched)


@task
def load(build: str, outcomes: list[Outcome], run_id: str) -> None:
    ingest.load(build, outcomes, run_id)


@task
def publish(db: str) -> None:
    ingest.publish(db)


def _submit_fetches(entries: list[Source]) -> dict:
    """Fetch tasks, hosts in parallel, each host's fetches one after another (politeness)."""
    futures = {}
    for source, previous in fetch_order(entries):
        wait = [allow_failure(futures[previous.id])] if previous else None
        futures[source.id] = fetch.submit(source, wait_for=wait)
    return futures


@flow(name="jixiao-ingest", task_runner=ThreadPoolTaskRunner(max_workers=2), log_prints=False)
def ingest_flow(
    sources: list[str] | None = None,
    db: str = str(paths.DEFAULT_DB),
    year: int | None = None,
    only: list[str] | None = None,
    force: bool = False,
) -> list[Outcome]:
    """Ingest every report of the manifests into the warehouse at ``db``.

    The warehouse is built beside the published file under an OS lock and
    swapped in only when every report is loaded and the warehouse checks pass.
    ``force`` extracts every source again, changed or not.
    """
    log = get_run_logger()
    with exclusive(db, say=log.warning):
        build = start_build(db)
        outcomes = collect(db, sources, year, only, force)
        load(str(build), outcomes, ingest.new_run_id())
        publish(db)
    return outcomes


def collect(
    db: str,
    sources: list[str] | None,
    year: int | None,
    only: list[str] | None,
    force: bool = False,
):
    """Fetch every source and extract the new or changed ones, two at a time."""
    log = get_run_logger()
    entries, manifest_errors = ingest.read_sources(
        sources or [str(paths.DEFAULT_SOURCES)], year, only
    )
    for error in manifest_errors:
        log.error("manifest: %s", error)
    outcomes = [
        Outcome(None, e.source_id, "fetch", "failed", error_class="manifest", message=str(e))
        for e in manifest_errors
    ]
    fetches = _submit_fetches(entries)
    pending = []
    for n, source in enumerate(entries, start=1):
        log.info("[%d/%d] %s: fetching %s", n, len(entries), source.id, source.location)
        try:
            fetched = fetches[source.id].result()
        except Exception as e:  # a failed source never stops the others
            log.error("%s: fetch failed: %s", source.id, e)
            outcomes.append(ingest.fetch_failure(source, e))
            continue
        if not force and ingest.is_unchanged(db, fetched, source):
            log.info("%s: unchanged (%s…), not extracted again", source.id, fetched.sha256[:12])
            outcomes.append(ingest.unchanged_outcome(db, source, fetched))
            continue
        pending.append((source, extract_and_validate.submit(source, fetched)))
    for source, future in pending:
        report = future.result()
        log.info("%s: %s (%s)", source.id, report.status, report.status_reason or "all checks")
        outcomes.append(ingest.report_outcome(source, report))
    fault_point("after_extract")
    return outcomes


if __name__ == "__main__":
    ingest_flow()
