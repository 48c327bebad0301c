"""The ingest stages as plain functions, for the Prefect flow and for tests.

``prepare`` reads manifests and opens the warehouse; per source, ``process``
runs fetch → extract (isolated worker) → normalize → validate and returns a
``ReportRecord`` or a failure; ``load`` writes it in one transaction. The flow
in ``flows/ingest.py`` only sequences these calls.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path

from jixiao.errors import DocumentError, FetchError
from jixiao.extract.worker import extract_isolated
from jixiao.fetch import Fetched, fetch_source
from jixiao.load import warehouse
from jixiao.manifest import ManifestError, Source, load_manifest
from jixiao.model import ReportRecord
from jixiao.normalize.report import normalize_document, unparsed_report
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
    return fetch_source(source)


def is_unchanged(db_path: str | Path, fetched: Fetched) -> bool:
    """Whether this exact PDF was already loaded by this extractor version."""
    if not Path(db_path).exists():
        return False
    con = warehouse.connect(db_path, read_only=True)
    try:
        return warehouse.loaded_version(con, fetched.sha256) == EXTRACTOR_VERSION
    finally:
        con.close()


def extract_and_validate(source: Source, fetched: Fetched) -> ReportRecord:
    """Extract in an isolated worker, normalize, validate; never raises for bad input."""
    try:
        facts = extract_isolated(fetched.path)
    except DocumentError as e:
        return unparsed_report(source, fetched, e)
    report = normalize_document(source, fetched, facts)
    judge(report)
    return report


def load(db_path: str | Path, outcomes: list[Outcome], run_id: str) -> None:
    """Write every outcome: reports in one transaction each, then source_status."""
    con = warehouse.connect(db_path)
    try:
        warehouse.load_dimensions(con)
        for o in outcomes:
            if o.report is not None:
                try:
                    warehouse.load_report(con, o.report)
                except Exception as e:
                    o.stage, o.status = "load", "failed"
                    o.error_class, o.message = type(e).__name__, str(e)
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
    finally:
        con.close()


def new_run_id() -> str:
    return uuid.uuid4().hex[:12]


def fetch_failure(source: Source, error: FetchError) -> Outcome:
    return Outcome(
        source, source.id, "fetch", "failed", error_class=error.error_class, message=str(error)
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
