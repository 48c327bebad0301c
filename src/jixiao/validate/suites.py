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

    Checks: year_plausible, has_scores, table_found, total_read, grade_matches_total.
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


# ----------------------------------------------- several reports in one run each


def validate_scores_many(
    scores: list[pd.DataFrame], *, framework_code: str | None = None, runner: Any = None
) -> list[list[CheckResult]]:
    """:func:`validate_scores` for several reports of one framework, in one suite run.

    One list of results per frame, in order, each the same as
    :func:`validate_scores` gives that frame alone (``GXRunner.run_many``).
    """
    from jixiao.validate.coverage import framework_parameters
    from jixiao.validate.frames import score_frame
    from jixiao.validate.results import to_check_results

    frames = [score_frame(s) for s in scores]
    return _many(
        frames,
        runner,
        lambda r, fs: r.run_many(
            "fact_indicator_score",
            fs,
            ["path"],
            parameters=framework_parameters(*([framework_code] if framework_code else [])),
        ),
        to_check_results,
    )


def validate_budget_many(
    budgets: list[pd.DataFrame], *, runner: Any = None
) -> list[list[CheckResult]]:
    """:func:`validate_budget` for several reports, in one suite run."""
    from jixiao.validate.frames import budget_frame
    from jixiao.validate.results import add_budget_hints, to_check_results

    def checks(result: Any, frame: pd.DataFrame) -> list[CheckResult]:
        results = to_check_results(result, frame)
        add_budget_hints(results, frame)
        return results

    frames = [budget_frame(b) for b in budgets]
    return _many(
        frames, runner, lambda r, fs: r.run_many("fact_budget", fs, ["item", "measure"]), checks
    )


def validate_report_many(headers: list[dict], *, runner: Any = None) -> list[list[CheckResult]]:
    """:func:`validate_report` for several reports, in one suite run."""
    from jixiao.reference import grade_bands
    from jixiao.validate.frames import report_frame
    from jixiao.validate.results import to_check_results

    bands = {g: float(floor) for g, floor in grade_bands().items()}
    frames = [report_frame(h) for h in headers]
    return _many(
        frames,
        runner,
        lambda r, fs: r.run_many("dim_report", fs, ["subject"], parameters={"grade_bands": bands}),
        to_check_results,
        skip_empty=False,
    )


def _many(frames, runner, run, to_checks, *, skip_empty: bool = True) -> list[list[CheckResult]]:
    """Run the non-empty frames together; an empty frame's results are [] (as one alone)."""
    from jixiao.validate.gx_runner import get_runner

    todo = [k for k, f in enumerate(frames) if not (skip_empty and f.empty)]
    out: list[list[CheckResult]] = [[] for _ in frames]
    if todo:
        results = run(runner or get_runner(), [frames[k] for k in todo])
        for k, result in zip(todo, results, strict=True):
            out[k] = to_checks(result, frames[k])
    return out
