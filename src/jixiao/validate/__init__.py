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
(:mod:`jixiao.validate.expectations`). :mod:`jixiao.validate.verdict` turns a
report's results into its status. Every check on every
subject comes back, passed or not. Great Expectations is imported on first use
only, and its context is built once per process.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from jixiao.model import CheckResult

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


def validate_scores(
    scores: pd.DataFrame,
    *,
    expectations_dir: str | Path | None = None,
    run_name: str | None = None,
    runner: Any = None,
    framework_code: str | None = None,
) -> list[CheckResult]:
    """Check one report's indicator scores (columns as in ``fact_indicator_score``).

    Needs ``indicator_code``, ``parent_code`` (None for the total), ``level``
    (0 = 总分), ``weight`` and ``score`` (Decimal or None); ``path`` names the
    subjects (falls back to ``printed_name`` / the code).
    Optional: ``origin``, ``source_page``, ``deduction_reason`` and
    ``lineage`` (see :func:`frames.score_frame`). ``framework_code`` names the
    report's framework, whose tree ``table_coverage`` expects (Guangdong's
    when not given).
    Checks: score_children_sum, weight_children_sum, level1_sum_to_total,
    weights_total_100, score_within_weight, table_coverage, score_plausible,
    score_not_a_year, scores_not_row_numbers, full_marks_with_deduction,
    scores_equal_weights.
    """
    from jixiao.validate.coverage import framework_parameters
    from jixiao.validate.frames import score_frame
    from jixiao.validate.gx_runner import get_runner
    from jixiao.validate.results import to_check_results

    frame = score_frame(scores)
    if frame.empty:
        return []
    result = (runner or get_runner(expectations_dir)).run(
        "fact_indicator_score",
        frame,
        ["path"],
        parameters=framework_parameters(*([framework_code] if framework_code else [])),
        run_name=run_name,
    )
    return to_check_results(result, frame)


def validate_budget(
    budget: pd.DataFrame,
    *,
    expectations_dir: str | Path | None = None,
    run_name: str | None = None,
    runner: Any = None,
) -> list[CheckResult]:
    """Check one report's budget figures (columns as in ``fact_budget``).

    Needs ``item``, ``measure``, ``amount_yuan`` (Decimal yuan or None) and
    ``rate`` (Decimal fraction or None).
    Checks: budget_parts_sum, budget_adjustment, budget_execution_rate
    (warnings), amount_plausible, adjustment_plausible (errors).
    """
    from jixiao.validate.frames import budget_frame
    from jixiao.validate.gx_runner import get_runner
    from jixiao.validate.results import add_budget_hints, to_check_results

    frame = budget_frame(budget)
    if frame.empty:
        return []
    result = (runner or get_runner(expectations_dir)).run(
        "fact_budget", frame, ["item", "measure"], run_name=run_name
    )
    results = to_check_results(result, frame)
    add_budget_hints(results, frame)
    return results


def validate_report(
    header: dict,
    *,
    expectations_dir: str | Path | None = None,
    run_name: str | None = None,
    runner: Any = None,
) -> list[CheckResult]:
    """Check a report as a whole (keys as in :data:`frames.REPORT_COLUMNS`).

    Checks: year_plausible, has_scores, table_found, grade_matches_total.
    """
    from jixiao.reference import grade_bands
    from jixiao.validate.frames import report_frame
    from jixiao.validate.gx_runner import get_runner
    from jixiao.validate.results import to_check_results

    frame = report_frame(header)
    bands = {g: float(floor) for g, floor in grade_bands().items()}
    result = (runner or get_runner(expectations_dir)).run(
        "dim_report", frame, ["subject"], parameters={"grade_bands": bands}, run_name=run_name
    )
    return to_check_results(result, frame)


def validate_warehouse(db_path: str | Path, **kwargs) -> list[CheckResult]:
    """Key uniqueness and references of every contract table of a loaded warehouse."""
    from jixiao.validate.warehouse import validate_warehouse as _validate

    return _validate(db_path, **kwargs)


def build_data_docs(out_dir: str | Path | None = None, **kwargs) -> Path:
    """Great Expectations' Data Docs as offline HTML (see :mod:`jixiao.validate.docs`)."""
    from jixiao.validate.docs import build_data_docs as _build

    return _build(out_dir, **kwargs)
