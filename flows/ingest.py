"""The ingest flow: manifests → fetch → extract → normalize → validate → load.

Thin by design: every step is a ``jixiao.ingest`` function; Prefect adds
retries on I/O, concurrency across documents and run history.

Orchestration is paid per task (a task run is recorded through the Prefect
API), so the flow makes tasks where they buy something: one ``fetch`` task
per URL (retries, the per-host chain), none for a local file (hashing it takes
a millisecond); one ``extract_and_validate`` task per batch of documents
(``batch_size``), enough tasks to keep every worker busy. Loading and
publishing run in the flow's own process: one writer, fed as each task's
results arrive (``ingest.Loader``: a batch of reports is written as soon as
it is complete), so a run never holds every report's facts. Any task runner
works; ``DaskTaskRunner`` spreads the batches over a cluster (docs/schedule.md).
"""

from __future__ import annotations

import math

from prefect import allow_failure, flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.task_runners import ThreadPoolTaskRunner

from jixiao import artifacts, ingest, paths
from jixiao.errors import FetchError
from jixiao.faults import point as fault_point
from jixiao.fetch.politeness import fetch_order
from jixiao.ingest import Outcome
from jixiao.load.publish import exclusive
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
def extract_and_validate_batch(batch: list[tuple[Source, object]]) -> list[ingest.ReportRecord]:
    """Several documents in one task run: extracted one after another, validated together
    (never raises for bad input)."""
    return ingest.extract_and_validate_many(batch)


# Tasks per worker thread: enough that the last ones finish close together.
TASKS_PER_WORKER = 8
MAX_BATCH = 10  # documents per task: more saves little and coarsens progress


def batch_size(n_documents: int, workers: int) -> int:
    """Documents per extraction task: 1 for a handful, up to ``MAX_BATCH`` for thousands."""
    return max(1, min(MAX_BATCH, math.ceil(n_documents / (workers * TASKS_PER_WORKER))))


@task(cache_policy=NO_CACHE)
def finish_load(loader: ingest.Loader) -> None:
    """The rest of the reports, every source's status, the warehouse checks of this run."""
    loader.finish()


@task
def publish(db: str) -> None:
    ingest.publish(db)


def _submit_fetches(entries: list[Source]) -> dict:
    """Fetch tasks for URLs, hosts in parallel, each host's fetches one after another
    (politeness). Local files get no task: they are hashed in place by ``collect``."""
    futures = {}
    for source, previous in fetch_order([e for e in entries if e.url]):
        wait = [allow_failure(futures[previous.id])] if previous else None
        futures[source.id] = fetch.submit(source, wait_for=wait)
    return futures


def _fetched(source: Source, futures: dict):
    """The fetched file: a URL's task result, or a local file read here."""
    if source.id in futures:
        return futures[source.id].result()
    return ingest.fetch(source)


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
        build = ingest.start_build(db)
        loader = ingest.Loader(str(build), ingest.new_run_id())
        try:
            outcomes = collect(db, sources, year, only, force, loader)
            finish_load(loader)
        finally:
            loader.close()
        publish(db)
    create_markdown_artifact(
        key=artifacts.INGEST_KEY,
        markdown=artifacts.ingest_markdown(db, outcomes),
        description="jixiao ingest: per report district, year, kind, total, grade, status",
    )
    return outcomes


def collect(
    db: str,
    sources: list[str] | None,
    year: int | None,
    only: list[str] | None,
    force: bool = False,
    loader: ingest.Loader | None = None,
):
    """Fetch every source and extract the new or changed ones, two at a time; each
    task's reports go to ``loader`` as soon as the task is done."""
    log = get_run_logger()
    entries, manifest_errors = ingest.read_sources(
        sources or [str(paths.DEFAULT_SOURCES)], year, only
    )
    for error in manifest_errors:
        log.error("manifest: %s", error)
    outcomes: list[Outcome] = []
    done_outcomes = _Outcomes(outcomes, loader)
    done_outcomes.add(
        [
            Outcome(None, e.source_id, "fetch", "failed", error_class="manifest", message=str(e))
            for e in manifest_errors
        ]
    )
    fetches = _submit_fetches(entries)
    loaded = ingest.read_loaded(db)
    changed = []
    for n, source in enumerate(entries, start=1):
        if source.url:  # a local file is read in a millisecond: no line of its own
            log.info("[%d/%d] %s: fetching %s", n, len(entries), source.id, source.location)
        try:
            fetched = _fetched(source, fetches)
        except Exception as e:  # a failed source never stops the others
            log.error("%s: fetch failed: %s", source.id, e)
            done_outcomes.add([ingest.fetch_failure(source, e)])
            continue
        if not force and ingest.is_unchanged(db, fetched, loaded, source):
            log.info(
                "[%d/%d] %s: unchanged (%s…), not extracted again",
                n, len(entries), source.id, fetched.sha256[:12],
            )  # fmt: skip
            done_outcomes.add([ingest.unchanged_outcome(db, source, fetched, loaded)])
            continue
        changed.append((source, fetched))
    size = batch_size(len(changed), _workers())
    batches = [changed[i : i + size] for i in range(0, len(changed), size)]
    futures = [extract_and_validate_batch.submit(batch) for batch in batches]
    done = len(entries) - len(changed)
    for batch, future in zip(batches, futures, strict=True):
        reports = future.result()
        arrived = []
        for (source, _), report in zip(batch, reports, strict=True):
            done += 1
            reason = report.status_reason or "all checks"
            log.info("[%d/%d] %s: %s (%s)", done, len(entries), source.id, report.status, reason)
            arrived.append(ingest.report_outcome(source, report))
        done_outcomes.add(arrived)  # loaded as soon as a load batch is full
        # the task's future and state keep this list while the run goes on: emptied, the
        # reports it held go once loaded (the loader keeps them lightened: no check
        # results, no lineage); tests/test_flow_memory.py
        reports.clear()
    fault_point("after_extract")
    return outcomes


class _Outcomes:
    """The run's outcomes, each handed to the loader (if any) when it is known."""

    def __init__(self, outcomes: list[Outcome], loader: ingest.Loader | None) -> None:
        self.outcomes, self.loader = outcomes, loader

    def add(self, new: list[Outcome]) -> None:
        if self.loader is not None:
            self.loader.add(new)  # keeps them in loader.outcomes too
        self.outcomes += new


def _workers() -> int:
    """How many tasks the flow's task runner runs at once (2 when it cannot tell)."""
    from prefect.context import FlowRunContext

    context = FlowRunContext.get()
    runner = getattr(context, "task_runner", None)
    workers = getattr(runner, "_max_workers", None)
    return workers if isinstance(workers, int) and workers > 0 else 2


if __name__ == "__main__":
    ingest_flow()
