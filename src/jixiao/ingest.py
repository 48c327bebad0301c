"""The ingest stages as plain functions, for the Prefect flow and for tests.

``read_sources`` reads manifests; per source, ``fetch`` gets the bytes,
``is_unchanged`` skips a PDF already loaded, ``extract_and_validate`` runs
extract (isolated worker) → normalize → validate and returns a ``ReportRecord``
(``extract_and_validate_many``: several documents, validated together);
``load`` writes the run into the build (one transaction per report) and
``publish`` swaps it in. The flow in ``flows/ingest.py`` only sequences these
calls. ``STAGES`` adds up the seconds each stage took in this process.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from jixiao.errors import DocumentError
from jixiao.extract.worker import extract_isolated
from jixiao.faults import point as fault_point
from jixiao.fetch import Fetched, fetch_source
from jixiao.load import warehouse
from jixiao.load.publish import publish as publish_build
from jixiao.load.publish import start_build as start_build_file
from jixiao.manifest import ManifestError, Source, load_manifest
from jixiao.model import CheckResult, ReportRecord
from jixiao.normalize.report import normalize_document, unparsed_report
from jixiao.validate import validate_warehouse
from jixiao.validate.verdict import judge, judge_many
from jixiao.version import EXTRACTOR_VERSION


class StageClock:
    """Seconds and calls per stage, summed over a process's documents (thread-safe).

    ``make scale`` and the logs read it; ``reset()`` starts a new tally.
    """

    def __init__(self) -> None:
        self.seconds: Counter[str] = Counter()
        self.calls: Counter[str] = Counter()
        self._lock = threading.Lock()

    @contextmanager
    def timing(self, stage: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.add(stage, time.perf_counter() - start)

    def add(self, stage: str, seconds: float, calls: int = 1) -> None:
        with self._lock:
            self.seconds[stage] += seconds
            self.calls[stage] += calls

    def reset(self) -> None:
        with self._lock:
            self.seconds.clear()
            self.calls.clear()


STAGES = StageClock()


@dataclass
class Outcome:
    """What happened to one source in one run."""

    source: Source | None
    source_id: str
    stage: str  # fetch · extract · validate · load
    status: str  # loaded · unchanged · failed
    report: ReportRecord | None = None
    report_id: str | None = None
    error_class: str | None = None
    message: str | None = None
    seconds: dict[str, float] = field(default_factory=dict)


def read_sources(
    manifests: list[str | Path], year: int | None = None, only: list[str] | None = None
) -> tuple[list[Source], list[ManifestError]]:
    """All valid entries of the manifests (filtered by year / ids) and the invalid ones."""
    sources, errors = [], []
    for manifest in manifests:
        s, e = load_manifest(manifest)
        sources += s
        errors += e
    if year is not None:
        sources = [s for s in sources if s.year == year]
    if only:
        sources = [s for s in sources if s.id in set(only)]
    return sources, errors


def fetch(source: Source) -> Fetched:
    with STAGES.timing("fetch"):
        fetched = fetch_source(source)
    fault_point("after_fetch")
    return fetched


@dataclass(frozen=True)
class Loaded:
    """What the published warehouse already holds, read once per run.

    ``entries``: report id (sha256) → the extractor version and manifest
    fields (``warehouse.ENTRY_FIELDS``) it was loaded with; ``statuses``:
    source id → (stage, error_class, message) of its last recorded attempt.
    """

    entries: dict[str, dict] = field(default_factory=dict)
    statuses: dict[str, tuple] = field(default_factory=dict)


def read_loaded(db_path: str | Path) -> Loaded:
    """One read of the published warehouse for every skip decision of a run."""
    if not Path(db_path).exists():
        return Loaded()
    with STAGES.timing("unchanged check"):
        con = warehouse.connect(db_path, read_only=True)
        try:
            entries = warehouse.loaded_entries(con)
            statuses = {
                r[0]: tuple(r[1:])
                for r in con.execute(
                    "select source_id, stage, error_class, message from source_status"
                ).fetchall()
            }
        finally:
            con.close()
    return Loaded(entries, statuses)


def entry_fields(source: Source, fetched: Fetched) -> dict:
    """The manifest entry as the warehouse records it in ``dim_report``."""
    return {
        "source_id": source.id,
        "district_code": source.district_code,
        "year": source.year,
        "department_code": source.department_code,
        "source_url": source.url,
        "raw_path": str(fetched.path),
    }


def is_unchanged(
    db_path: str | Path,
    fetched: Fetched,
    loaded: Loaded | None = None,
    source: Source | None = None,
) -> bool:
    """Whether this exact document was loaded by this extractor version from this entry.

    The skip key is the document's sha256, the extractor version and, given
    ``source``, the manifest entry's content (id, district code, year,
    department, url or path): a corrected entry is loaded again. Pass
    ``loaded`` (``read_loaded``) to decide many sources with one read.
    """
    loaded = loaded if loaded is not None else read_loaded(db_path)
    entry = loaded.entries.get(fetched.sha256)
    if entry is None or entry["extractor_version"] != EXTRACTOR_VERSION:
        return False
    return source is None or all(entry[k] == v for k, v in entry_fields(source, fetched).items())


def unchanged_outcome(
    db_path: str | Path, source: Source, fetched: Fetched, loaded: Loaded | None = None
) -> Outcome:
    """An unchanged source keeps the stage and error its last real attempt recorded."""
    outcome = Outcome(source, source.id, "load", "unchanged", report_id=fetched.sha256)
    loaded = loaded if loaded is not None else read_loaded(db_path)
    row = loaded.statuses.get(source.id)
    if row:
        outcome.stage, outcome.error_class, outcome.message = row
    return outcome


def extract_and_validate(source: Source, fetched: Fetched) -> ReportRecord:
    """Extract in an isolated worker, normalize, validate; never raises for bad input."""
    try:
        with STAGES.timing("extract (worker)"):
            facts = extract_isolated(fetched.path)
    except DocumentError as e:
        return unparsed_report(source, fetched, e)
    with STAGES.timing("normalize"):
        report = normalize_document(source, fetched, facts)
    with STAGES.timing("validate"):
        judge(report)
    return report


def extract_and_validate_many(pairs: list[tuple[Source, Fetched]]) -> list[ReportRecord]:
    """:func:`extract_and_validate` for several documents: each extracted and normalized
    in turn, then all validated together (``judge_many``: each Great Expectations suite
    runs once for the lot, the same verdicts); never raises for bad input."""
    reports, parsed = [], []
    for source, fetched in pairs:
        try:
            with STAGES.timing("extract (worker)"):
                facts = extract_isolated(fetched.path)
        except DocumentError as e:
            reports.append(unparsed_report(source, fetched, e))
            continue
        with STAGES.timing("normalize"):
            reports.append(normalize_document(source, fetched, facts))
        parsed.append(reports[-1])
    if parsed:
        start = time.perf_counter()
        judge_many(parsed)
        STAGES.add("validate", time.perf_counter() - start, calls=len(parsed))
    return reports


# Reports per load transaction: the batch's rows go in with one insert per table.
LOAD_BATCH = 200


def load(build_path: str | Path, outcomes: list[Outcome], run_id: str) -> None:
    """Write every outcome into the build, then source_status, then check the warehouse.

    Reports go in batches of ``LOAD_BATCH``, one transaction each
    (``warehouse.load_reports``); a batch the database refuses is split in
    halves and tried again, down to single reports, so only the report at
    fault is recorded as failed and the others load. Either way a report is
    in whole or not at all. The same as feeding a :class:`Loader` and finishing it.

    Raises:
        IntegrityError: the built warehouse fails a warehouse suite (keys,
            references, domains); it is then not published.
    """
    loader = Loader(build_path, run_id, lighten=False)
    try:
        loader.add(outcomes)
        loader.finish()
    finally:
        loader.close()


class Loader:
    """The one writer of a run, fed as extraction results arrive (streaming load).

    ``add`` keeps the outcomes and loads their reports once ``LOAD_BATCH`` are
    waiting, so a run holds at most one batch of facts it has not written;
    ``finish`` loads the rest, records ``source_status`` and runs the warehouse
    checks on the rows of the reports this run loaded (``validate_warehouse``
    with ``report_ids``); ``close`` closes the build. With ``lighten`` (the flow),
    a loaded report keeps its scores and budget lines but drops its check results
    and table lineage, which the warehouse now holds (``check_result``,
    ``table_lineage``): the outcomes a long run returns stay small.
    """

    def __init__(self, build_path: str | Path, run_id: str, *, lighten: bool = True) -> None:
        self.build_path = build_path
        self.run_id = run_id
        self.lighten = lighten
        self.outcomes: list[Outcome] = []
        self.loaded = 0
        self.report_ids: set[str] = set()
        self._pending: list[Outcome] = []
        self.con = warehouse.connect(build_path)
        try:
            warehouse.load_dimensions(self.con)
        except BaseException:
            self.con.close()
            raise

    def add(self, outcomes: list[Outcome]) -> None:
        """Keep these outcomes; load the waiting reports when a batch is full."""
        self.outcomes += outcomes
        self._pending += [o for o in outcomes if o.report is not None]
        while len(self._pending) >= LOAD_BATCH:
            batch, self._pending = self._pending[:LOAD_BATCH], self._pending[LOAD_BATCH:]
            self._load(batch)

    def _load(self, batch: list[Outcome]) -> None:
        start = time.perf_counter()
        self.loaded += _load_reports(self.con, batch)
        # the seconds of every batch count; the call is the run's one load (``finish``)
        STAGES.add("load", time.perf_counter() - start, calls=0)
        self.report_ids.update(o.report_id for o in batch if o.report_id)
        if self.lighten:
            for o in batch:
                o.report = replace(o.report, checks=[], tables=[])

    def finish(self) -> None:
        """Load what waits, record every source's status, check this run's rows.

        Raises:
            IntegrityError: a warehouse suite fails; the build is not to be published.
        """
        if self._pending:
            batch, self._pending = self._pending, []
            self._load(batch)
        with STAGES.timing("load"):
            warehouse.record_source_statuses(
                self.con,
                [
                    {
                        "source_id": o.source_id,
                        "run_id": self.run_id,
                        "report_id": o.report_id,
                        "stage": o.stage,
                        "status": o.status,
                        "error_class": o.error_class,
                        "message": o.message,
                    }
                    for o in self.outcomes
                    if o.source is not None
                ],
            )
        # only loaded reports can break a key or a reference; a run of unchanged
        # sources writes nothing but source_status
        with STAGES.timing("warehouse checks"):
            checks = (
                validate_warehouse(self.build_path, con=self.con, report_ids=self.report_ids)
                if self.loaded
                else []
            )
        failed = [c for c in checks if not c.passed]
        if failed:  # the build is not published: analysts keep the last good warehouse
            raise warehouse.IntegrityError(
                "; ".join(f"{c.check_name} {c.subject}: {c.detail}" for c in failed[:5])
            )

    def close(self) -> None:
        self.con.close()


def _load_reports(con, outcomes: list[Outcome]) -> int:
    """Load the outcomes' reports in batches; returns how many loaded."""
    loaded = 0
    for start in range(0, len(outcomes), LOAD_BATCH):
        loaded += _load_batch(con, outcomes[start : start + LOAD_BATCH])
        if loaded:
            fault_point("mid_load")
    return loaded


def _load_batch(con, batch: list[Outcome]) -> int:
    """One transaction for the batch; if refused, each half again, down to single reports
    (a report refused alone is recorded as failed). Returns how many loaded."""
    if len(batch) > 1:
        try:
            warehouse.load_reports(con, [o.report for o in batch])
            return len(batch)
        except Exception:  # a refused row, or repeated ids: halve until it is found
            half = len(batch) // 2
            return _load_batch(con, batch[:half]) + _load_batch(con, batch[half:])
    try:
        warehouse.load_report(con, batch[0].report)
        return 1
    except Exception as e:  # a database error: recorded, the run goes on
        _record_load_failure(con, batch[0], e)
        return 0


def _record_load_failure(con, outcome: Outcome, error: Exception) -> None:
    """A report whose facts the database refused is kept as one unparsed row, facts dropped."""
    message = f"{type(error).__name__}: {error}"
    outcome.stage, outcome.status = "load", "failed"
    outcome.error_class, outcome.message = "load_failed", message
    stub = replace(
        outcome.report,
        status="unparsed",
        status_reason=f"load_failed: {message}",
        scores=[],
        budgets=[],
        tables=[],
        checks=[
            CheckResult(
                "facts_loadable",
                "document",
                "error",
                False,
                observed=type(error).__name__,
                expected="facts the warehouse accepts",
                detail=message,
            )
        ],
    )
    try:
        warehouse.load_report(con, stub)
    except Exception:  # not even the stub: no report row for this source
        outcome.report_id = None


def start_build(db: str | Path) -> Path:
    """A fresh build beside the published warehouse (a copy of it); call under the lock."""
    with STAGES.timing("start build"):
        return start_build_file(db)


def publish(db: str | Path) -> None:
    """Swap the finished build in as the warehouse analysts read."""
    fault_point("before_publish")
    with STAGES.timing("publish"):
        publish_build(db)
    fault_point("after_publish")


def new_run_id() -> str:
    return uuid.uuid4().hex[:12]


def fetch_failure(source: Source, error: Exception) -> Outcome:
    """A failed fetch; an unexpected exception is recorded by its type name, not raised."""
    error_class = getattr(error, "error_class", None) or type(error).__name__
    return Outcome(
        source, source.id, "fetch", "failed", error_class=error_class, message=str(error)
    )


def report_outcome(source: Source, report: ReportRecord) -> Outcome:
    """Outcome for a processed report: unparsed documents count as failed at extract."""
    if report.status == "unparsed":
        error_class, _, message = (report.status_reason or "").partition(": ")
        return Outcome(
            source,
            source.id,
            "extract",
            "failed",
            report=report,
            report_id=report.report_id,
            error_class=error_class,
            message=message,
        )
    return Outcome(source, source.id, "load", "loaded", report=report, report_id=report.report_id)
