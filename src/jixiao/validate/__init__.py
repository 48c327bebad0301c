"""Validation: Great Expectations suites over one report's scores and budget.

    validate_scores(scores)  -> list[CheckResult]   (severity "error")
    validate_budget(budget)  -> list[CheckResult]   (severity "warning")

The suites are JSON files in ``<repo>/expectations/`` (``fact_indicator_score``
and ``fact_budget``); the sums across rows run through jixiao's custom
expectations (:mod:`jixiao.validate.expectations`). Every check on every
subject comes back, passed or not. Great Expectations is imported on first use
only, and its context is built once per process.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from jixiao.model import CheckResult

__all__ = ["default_expectations_dir", "validate_budget", "validate_scores"]


def default_expectations_dir() -> Path:
    from jixiao.validate.gx_runner import default_expectations_dir as _default

    return _default()


def validate_scores(
    scores: pd.DataFrame, *, expectations_dir: str | Path | None = None
) -> list[CheckResult]:
    """Check one report's indicator scores (columns as in ``fact_indicator_score``).

    Needs ``indicator_code``, ``parent_code`` (None for the total), ``level``
    (0 = 总分), ``weight`` and ``score`` (Decimal or None); ``path`` names the
    subjects (falls back to ``printed_name`` / the code).
    Checks: score_children_sum, weight_children_sum, level1_sum_to_total,
    weights_total_100, score_within_weight.
    """
    from jixiao.validate.frames import score_frame
    from jixiao.validate.gx_runner import get_runner
    from jixiao.validate.results import to_check_results

    frame = score_frame(scores)
    if frame.empty:
        return []
    result = get_runner(expectations_dir).run("fact_indicator_score", frame, ["path"])
    return to_check_results(result, frame)


def validate_budget(
    budget: pd.DataFrame, *, expectations_dir: str | Path | None = None
) -> list[CheckResult]:
    """Check one report's budget figures (columns as in ``fact_budget``).

    Needs ``item``, ``measure``, ``amount_yuan`` (Decimal yuan or None) and
    ``rate`` (Decimal fraction or None).
    Checks: budget_parts_sum, budget_adjustment, budget_execution_rate.
    """
    from jixiao.validate.frames import budget_frame
    from jixiao.validate.gx_runner import get_runner
    from jixiao.validate.results import add_budget_hints, to_check_results

    frame = budget_frame(budget)
    if frame.empty:
        return []
    result = get_runner(expectations_dir).run("fact_budget", frame, ["item", "measure"])
    results = to_check_results(result, frame)
    add_budget_hints(results, frame)
    return results
