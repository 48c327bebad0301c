"""A report's verdict: run the suites on its facts, set ``status``.

Three per-report suites run (``expectations/fact_indicator_score.json``,
``fact_budget.json``, ``dim_report.json``) on frames built here, either from a
``ReportRecord`` before loading (:func:`judge`) or from the warehouse after
(:func:`inputs_from_warehouse`, for Data Docs): the same rows either way.

Sums are checked against the nearest parent the report actually has: a
narrative that states 履职效能 and two of its level-3 scores but not the
level-2 between them still has its figures added up under 履职效能.
An error that fails makes the report ``invalid`` (still loaded, with the
reason); warnings never do.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from jixiao import schema
from jixiao.model import CheckResult, ReportRecord
from jixiao.reference.indicators import all_indicators
from jixiao.validate.coverage import lineage
from jixiao.validate.suites import (
    validate_budget,
    validate_budget_many,
    validate_report,
    validate_report_many,
    validate_scores,
    validate_scores_many,
)

# Reasons listed in dim_report.status_reason (the rest are in check_result).
REASON_LIMIT = 5
# Failures that explain the others, named first in the reason: an unfilled form
# fails for having no scores, whatever else its blank cells upset.
LEADING_REASONS = ("scores_not_filled",)

# What the per-report suites read of each fact, by its warehouse column name: the
# same names on the records (ScoreFact, BudgetFact) and in the tables (sql/ddl;
# level, parent_code and path of a loaded score come from dim_indicator).
SCORE_INPUTS = (
    "indicator_code", "parent_code", "level", "path", "printed_name", "weight", "score",
    "is_derived", "origin", "source_page", "deduction_reason",
)  # fmt: skip
BUDGET_INPUTS = ("item", "measure", "amount_yuan", "rate", "printed_text", "source_page")


@dataclass
class ReportInputs:
    """What the per-report suites look at: scores, budget lines and a header row."""

    scores: pd.DataFrame
    budget: pd.DataFrame
    header: dict[str, Any]
    framework_code: str | None = None  # the report's framework (coverage expects its tree)


def _with_nearest_parents(rows: list[dict[str, Any]], parent_of: dict[str, str | None]) -> None:
    """Set each row's ``lineage`` (true ancestors) and ``parent_code`` (nearest one present)."""
    present = {r["indicator_code"] for r in rows}
    for r in rows:
        parent = r["parent_code"]
        while parent is not None and parent not in present:
            parent = parent_of.get(parent)
        above = lineage(r["parent_code"], parent_of)  # the row's own parent is the true one
        r["lineage"] = f"{above}/{r['indicator_code']}" if above else r["indicator_code"]
        r["parent_code"] = parent


def _dictionary_parents() -> dict[str, str | None]:
    return {code: ind.parent for code, ind in all_indicators().by_code.items()}


def scores_for_validation(report: ReportRecord, scores: list | None = None) -> pd.DataFrame:
    """The report's scores (or ``scores``: a project's) with ``parent_code`` = the nearest
    ancestor present."""
    rows = [
        {c: getattr(f, c) for c in SCORE_INPUTS} | {"path": f.path or f.indicator_code}
        for f in (report.scores if scores is None else scores)
    ]
    _with_nearest_parents(rows, _dictionary_parents())
    return pd.DataFrame(rows)


def _table_expected(doc_kind: str | None, n_lineage: int) -> bool:
    # Camelot only reads the pages whose text prints a score-table header, so
    # any table it found there (a budget block aside) means the document has one.
    return doc_kind == "score_table" or n_lineage > 0


def _grade_printed(grade: str | None, grade_is_derived: bool | None) -> bool:
    return grade is not None and not grade_is_derived


def inputs_from_record(report: ReportRecord) -> ReportInputs:
    """The suites' inputs for a report that is about to be loaded."""
    total = next((f.score for f in report.scores if f.level == 0), None)
    project_scores = [f for p in report.projects for f in p.scores]
    header = {
        "report_id": report.report_id,
        "source_id": report.source.id,
        "year": report.source.year,
        "doc_kind": report.doc_kind,
        "grade": report.grade,
        "grade_is_derived": report.grade_is_derived,
        "total_score": total,
        # a document of 项目支出绩效自评表 only has its scores in its projects
        "n_scores": len(report.scores) + len(project_scores),
        "n_table_rows": sum(f.origin == "table" for f in (*report.scores, *project_scores)),
        "table_expected": _table_expected(
            report.doc_kind, sum(t.get("role") != "budget" for t in report.tables)
        ),
        "total_expected": any(
            f.origin == "table" and f.level > 0 and f.score is not None for f in report.scores
        ),
        "grade_printed": _grade_printed(report.grade, report.grade_is_derived),
    }
    budget = pd.DataFrame([{c: getattr(b, c) for c in BUDGET_INPUTS} for b in report.budgets])
    return ReportInputs(scores_for_validation(report), budget, header, report.framework_code)


def inputs_from_warehouse(con: Any, report_id: str) -> ReportInputs:
    """The suites' inputs rebuilt from a loaded warehouse (a DuckDB connection)."""
    head = con.execute(
        """
        select r.report_id, r.source_id, r.year, r.doc_kind, r.grade,
               coalesce(r.grade_is_derived, false), r.framework_code,
               (select score from fact_indicator_score f
                 where f.report_id = r.report_id and f.indicator_code = '0'),
               (select count(*) from fact_indicator_score f where f.report_id = r.report_id)
               + (select count(*) from fact_project_indicator f
                   where f.report_id = r.report_id),
               (select count(*) from fact_indicator_score f
                 where f.report_id = r.report_id and f.origin = 'table')
               + (select count(*) from fact_project_indicator f
                   where f.report_id = r.report_id and f.origin = 'table'),
               (select count(*) from table_lineage t
                 where t.report_id = r.report_id and t.role is distinct from 'budget'),
               (select count(*) > 0 from fact_indicator_score f
                 where f.report_id = r.report_id and f.origin = 'table'
                   and f.indicator_code <> '0' and f.score is not null)
        from dim_report r where r.report_id = ?
        """,
        [report_id],
    ).fetchone()
    if head is None:
        raise KeyError(f"no report {report_id} in the warehouse")
    keys = ("report_id", "source_id", "year", "doc_kind", "grade", "grade_is_derived")
    header = dict(zip(keys, head[:6], strict=True))
    framework_code, head = head[6], (*head[:6], *head[7:])
    header.update(
        total_score=head[6],
        n_scores=head[7],
        n_table_rows=head[8],
        table_expected=_table_expected(head[3], head[9]),
        total_expected=bool(head[10]),
        grade_printed=_grade_printed(head[4], head[5]),
    )
    facts = schema.table("fact_indicator_score").column_names
    selected = ", ".join(f"f.{c}" if c in facts else f"i.{c}" for c in SCORE_INPUTS)
    cursor = con.execute(
        f"""
        select {selected}
        from fact_indicator_score f left join dim_indicator i using (indicator_code)
        where f.report_id = ?
        order by f.source_page, f.indicator_code
        """,
        [report_id],
    )
    columns = [c[0] for c in cursor.description]
    rows = [dict(zip(columns, r, strict=True)) for r in cursor.fetchall()]
    parents = dict(con.execute("select indicator_code, parent_code from dim_indicator").fetchall())
    _with_nearest_parents(rows, parents)
    cursor = con.execute(
        f"""
        select {", ".join(BUDGET_INPUTS)}
        from fact_budget where report_id = ? order by source_page, item, measure
        """,
        [report_id],
    )
    columns = [c[0] for c in cursor.description]
    budget = [dict(zip(columns, r, strict=True)) for r in cursor.fetchall()]
    return ReportInputs(pd.DataFrame(rows), pd.DataFrame(budget), header, framework_code)


def run_suites(
    inputs: ReportInputs, *, run_name: str | None = None, runner: Any = None
) -> list[CheckResult]:
    """Every per-report check on one report's inputs, passed or not.

    Args:
        run_name: names the runs in Data Docs (the source id).
        runner: the :class:`GXRunner` (default: the process-wide one).
    """
    kw = {"run_name": run_name, "runner": runner}
    checks = validate_report(inputs.header, **kw)
    if not inputs.scores.empty:
        checks += validate_scores(inputs.scores, framework_code=inputs.framework_code, **kw)
    if not inputs.budget.empty:
        checks += validate_budget(inputs.budget, **kw)
    return checks


def run_suites_many(inputs: list[ReportInputs], *, runner: Any = None) -> list[list[CheckResult]]:
    """:func:`run_suites` for several reports: one run of each suite for all of them
    (the score suite once per framework among them); the same results, report by report."""
    out = validate_report_many([i.header for i in inputs], runner=runner)
    frameworks: dict[str | None, list[int]] = {}
    for k, i in enumerate(inputs):
        if not i.scores.empty:
            frameworks.setdefault(i.framework_code, []).append(k)
    for code, ks in frameworks.items():
        checks = validate_scores_many(
            [inputs[k].scores for k in ks], framework_code=code, runner=runner
        )
        for k, c in zip(ks, checks, strict=True):
            out[k] += c
    ks = [k for k, i in enumerate(inputs) if not i.budget.empty]
    checks = validate_budget_many([inputs[k].budget for k in ks], runner=runner)
    for k, c in zip(ks, checks, strict=True):
        out[k] += c
    return out


def status_reason(failed: list[CheckResult]) -> str:
    """The failing errors, worded for ``dim_report.status_reason`` and the summary."""

    def one(c: CheckResult) -> str:
        text = c.detail or f"observed {c.observed}, expected {c.expected}"
        return f"{c.check_name} {text if text.startswith(c.subject) else f'{c.subject}: {text}'}"

    reason = "; ".join(one(c) for c in failed[:REASON_LIMIT])
    if len(failed) > REASON_LIMIT:
        reason += f" (+{len(failed) - REASON_LIMIT} more)"
    return reason


def project_checks(report: ReportRecord, runner: Any = None) -> list[CheckResult]:
    """The score suite on each 项目支出绩效自评表, as on the department's table (sums,
    bounds, coverage of its framework); subjects name the project."""
    out: list[CheckResult] = []
    for project in report.projects:
        frame = scores_for_validation(report, project.scores)
        if frame.empty:
            continue
        checks = validate_scores(frame, framework_code=project.framework_code, runner=runner)
        out += [replace(c, subject=f"{project.name}: {c.subject}") for c in checks]
    return out


def judge(report: ReportRecord) -> ReportRecord:
    """Validate in place: add every check result and set status and reason."""
    return _verdict(report, run_suites(inputs_from_record(report)))


def judge_many(reports: list[ReportRecord]) -> list[ReportRecord]:
    """:func:`judge` for several reports, each suite run once for all of them
    (:func:`run_suites_many`): the same checks, status and reason for each."""
    checks = run_suites_many([inputs_from_record(r) for r in reports])
    return [_verdict(r, c) for r, c in zip(reports, checks, strict=True)]


def _verdict(report: ReportRecord, suite_checks: list[CheckResult]) -> ReportRecord:
    report.checks = list(report.checks) + suite_checks + project_checks(report)
    failed = [c for c in report.checks if c.severity == "error" and not c.passed]
    failed.sort(key=lambda c: c.check_name not in LEADING_REASONS)
    if failed and report.status == "valid":
        report.status = "invalid"
        report.status_reason = status_reason(failed)
    return report
