"""The ingest stages as plain functions, for the Prefect flow and for tests.

``prepare`` reads manifests and opens the warehouse; per source, ``process``
runs fetch → extract (isolated worker) → normalize → validate and returns a
``ReportRecord`` or a failure; ``load`` writes it in one transaction. The flow
in ``flows/ingest.py`` only sequences these calls.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path

from jixiao.errors import DocumentError
from jixiao.extract.worker import extract_isolated
from jixiao.faults import point as fault_point
from jixiao.fetch import Fetched, fetch_source
from jixiao.load import warehouse
from jixiao.load.publish import publish as publish_build
from jixiao.manifest import ManifestError, Source, load_manifest
from jixiao.model import CheckResult, ReportRecord
from jixiao.normalize.report import normalize_document, unparsed_report
from jixiao.validate import validate_warehouse
from jixiao.validate.verdict import judge
from jixiao.version import EXTRACTOR_VERSION


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
    fetched = fetch_source(source)
    fault_point("after_fetch")
    return fetched


def is_unchanged(db_path: str | Path, fetched: Fetched, source: Source | None = None) -> bool:
    """Whether this exact document was loaded by this extractor version from this entry.

    The skip key is the document's sha256, the extractor version and, given
    ``source``, the manifest entry's content (id, district code, year,
    department, url or path): a corrected entry is loaded again.
    """
    if not Path(db_path).exists():
        return False
    con = warehouse.connect(db_path, read_only=True)
    try:
        loaded = warehouse.loaded_entry(con, fetched.sha256)
    finally:
        con.close()
    if loaded is None or loaded["extractor_version"] != EXTRACTOR_VERSION:
        return False
    return source is None or all(loaded[k] == v for k, v in entry_fields(source, fetched).items())


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


def unchanged_outcome(db_path: str | Path, source: Source, fetched: Fetched) -> Outcome:
    """An unchanged source keeps the stage and error its last real attempt recorded."""
    outcome = Outcome(source, source.id, "load", "unchanged", report_id=fetched.sha256)
    con = warehouse.connect(db_path, read_only=True)
    try:
        row = con.execute(
            "select stage, error_class, message from source_status where source_id = ?",
            [source.id],
        ).fetchone()
    finally:
        con.close()
    if row:
        outcome.stage, outcome.error_class, outcome.message = row
    return outcome


def extract_and_validate(source: Source, fetched: Fetched) -> ReportRecord:
    """Extract in an isolated worker, normalize, validate; never raises for bad input."""
    try:
        facts = extract_isolated(fetched.path)
    except DocumentError as e:
        return unparsed_report(source, fetched, e)
    report = normalize_document(source, fetched, facts)
    judge(report)
    return report


def load(build_path: str | Path, outcomes: list[Outcome], run_id: str) -> None:
    """Write every outcome into the build: one transaction per report, then source_status.

    Raises:
        IntegrityError: the built warehouse fails a warehouse suite (keys,
            references, domains); it is then not published.
    """
    con = warehouse.connect(build_path)
    try:
        warehouse.load_dimensions(con)
        loaded = 0
        for o in outcomes:
            if o.report is not None:
                try:
                    warehouse.load_report(con, o.report)
                    loaded += 1
                except Exception as e:  # a database error: recorded, the run goes on
                    _record_load_failure(con, o, e)
                if loaded == 1:
                    fault_point("mid_load")
            if o.source is not None:
                warehouse.record_source_status(
                    con,
                    source_id=o.source_id,
                    run_id=run_id,
                    report_id=o.report_id,
                    stage=o.stage,
                    status=o.status,
                    error_class=o.error_class,
                    message=o.message,
                )
        # only loaded reports can break a key or a reference; a run of unchanged
        # sources writes nothing but source_status
        checks = validate_warehouse(build_path, con=con) if loaded else []
        failed = [c for c in checks if not c.passed]
        if failed:  # the build is not published: analysts keep the last good warehouse
            raise warehouse.IntegrityError(
                "; ".join(f"{c.check_name} {c.subject}: {c.detail}" for c in failed[:5])
            )
    finally:
        con.close()


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


def publish(db: str | Path) -> None:
    """Swap the finished build in as the warehouse analysts read."""
    fault_point("before_publish")
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
