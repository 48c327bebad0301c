"""Validation: Great Expectations suites over one report's scores and budget.

    validate_scores(scores)  -> list[CheckResult]   (sums, bounds, coverage, plausibility)
    validate_budget(budget)  -> list[CheckResult]   (reconciliations: warnings; amounts: errors)
    validate_report(header)  -> list[CheckResult]   (year, has scores, table found, grade band)
    validate_warehouse(db)   -> list[CheckResult]   (keys and references of the contract tables)
    build_data_docs(out_dir) -> Path                (Great Expectations' HTML, offline)

The suites are JSON files in ``<repo>/expectations/``: per report
``fact_indicator_score``, ``fact_budget`` and ``dim_report`` (``meta.scope``
"report"), per warehouse table ``warehouse_<table>`` ("warehouse"); checks
across rows run through jixiao's custom expectations
(:mod:`jixiao.validate.expectations`); the per-report calls are in
:mod:`jixiao.validate.suites`. :mod:`jixiao.validate.verdict` turns a
report's results into its status. Every check on every
subject comes back, passed or not. Great Expectations is imported on first use
only, and its context is built once per process.
"""

from __future__ import annotations

from pathlib import Path

from jixiao.model import CheckResult
from jixiao.validate.suites import validate_budget, validate_report, validate_scores

__all__ = [
    "build_data_docs",
    "default_expectations_dir",
    "validate_budget",
    "validate_report",
    "validate_scores",
    "validate_warehouse",
]


def default_expectations_dir() -> Path:
    from jixiao.validate.gx_runner import default_expectations_dir as _default

    return _default()


def validate_warehouse(db_path: str | Path, **kwargs) -> list[CheckResult]:
    """Key uniqueness and references of every contract table of a loaded warehouse."""
    from jixiao.validate.warehouse import validate_warehouse as _validate

    return _validate(db_path, **kwargs)


def build_data_docs(out_dir: str | Path | None = None, **kwargs) -> Path:
    """Great Expectations' Data Docs as offline HTML (see :mod:`jixiao.validate.docs`)."""
    from jixiao.validate.docs import build_data_docs as _build

    return _build(out_dir, **kwargs)
