"""The per-report suites: one call each, a frame in, every check's result out.

Great Expectations is imported on first use only (through ``gx_runner``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from jixiao.model import CheckResult


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
