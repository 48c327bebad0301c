"""A report's verdict: run the suites on its facts, set ``status``.

Sums are checked against the nearest parent the report actually has: a
narrative that states 履职效能 and two of its level-3 scores but not the
level-2 between them still has its figures added up under 履职效能.
An error that fails makes the report ``invalid`` (still loaded, with the
reason); warnings never do.
"""

from __future__ import annotations

import pandas as pd

from jixiao.model import CheckResult, ReportRecord
from jixiao.normalize.indicators import dictionary
from jixiao.normalize.scores import GRADE_BANDS, grade_for


def scores_for_validation(report: ReportRecord) -> pd.DataFrame:
    """The report's scores with ``parent_code`` = the nearest ancestor present."""
    d = dictionary()
    present = {f.indicator_code for f in report.scores}
    rows = []
    for f in report.scores:
        parent = f.parent_code
        while parent is not None and parent not in present:
            parent = d.by_code[parent].parent if parent in d.by_code else None
        rows.append(
            {
                "indicator_code": f.indicator_code,
                "parent_code": parent,
                "level": f.level,
                "path": f.path or f.indicator_code,
                "printed_name": f.printed_name,
                "weight": f.weight,
                "score": f.score,
                "is_derived": f.is_derived,
                "source_page": f.source_page,
            }
        )
    return pd.DataFrame(rows)


def grade_check(report: ReportRecord) -> list[CheckResult]:
    """A printed grade must match the total's band (优 ≥ 90, 良 80–<90, 中 60–<80, 差 < 60)."""
    total = next((f for f in report.scores if f.level == 0 and f.score is not None), None)
    if total is None or report.grade is None or report.grade_is_derived:
        return []
    expected = grade_for(total.score)
    bands = ", ".join(f"{g} ≥ {floor}" for floor, g in GRADE_BANDS)
    return [
        CheckResult(
            "grade_matches_total",
            "总分",
            "error",
            report.grade == expected,
            observed=report.grade,
            expected=expected,
            detail=None
            if report.grade == expected
            else f"grade {report.grade} printed, but the total {total.score} is {expected} "
            f"({bands})",
        )
    ]


def judge(report: ReportRecord) -> ReportRecord:
    """Validate in place: add every check result and set status and reason."""
    from jixiao.validate import validate_budget, validate_scores

    checks = list(report.checks)
    if report.scores:
        checks += validate_scores(scores_for_validation(report))
    else:
        checks.append(
            CheckResult(
                "has_scores",
                "总分",
                "error",
                False,
                observed="no score found",
                expected="at least the total score",
                detail="neither a score table nor a stated total was found",
            )
        )
    if report.budgets:
        checks += validate_budget(
            pd.DataFrame(
                [
                    {
                        "item": b.item,
                        "measure": b.measure,
                        "amount_yuan": b.amount_yuan,
                        "rate": b.rate,
                        "printed_text": b.printed_text,
                        "source_page": b.source_page,
                    }
                    for b in report.budgets
                ]
            )
        )
    checks += grade_check(report)
    report.checks = checks
    failed = [c for c in checks if c.severity == "error" and not c.passed]
    if failed and report.status == "valid":
        report.status = "invalid"
        report.status_reason = "; ".join(
            f"{c.check_name} {c.subject}: {c.detail or c.observed}" for c in failed[:5]
        ) + (f" (+{len(failed) - 5} more)" if len(failed) > 5 else "")
    return report
