"""The records that pass between stages.

Extractors produce ``ScoreFact`` and ``BudgetFact`` records with the printed
text they came from; normalizers fill in canonical names and yuan amounts;
validation produces ``CheckResult`` records; the loader writes all of them.
Amounts and scores are ``Decimal`` end to end: no float ever touches a number
that lands in the warehouse.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from jixiao import schema
from jixiao.reference import catalogued

if TYPE_CHECKING:
    from jixiao.manifest import Source


@dataclass(frozen=True)
class TextLine:
    """One line of a page's text layer (or of OCR), in reading order."""

    page: int  # 1-based page number
    text: str
    y: float = 0.0  # distance from the page top, in points (0 when unknown)
    confidence: float | None = None  # OCR: the lowest box confidence on the line; None for text


@dataclass
class ScoreFact:
    """A score (and weight) for one indicator, as printed.

    ``level`` is the level the document puts it at: 0 for the total (总分),
    1, 2 or 3 for 一级/二级/三级指标; ``None`` when the document does not say.
    ``indicator_code`` and ``canonical_name`` are filled by normalization.
    """

    printed_name: str | None
    level: int | None
    weight: Decimal | None
    score: Decimal | None
    source_page: int
    printed_text: str
    origin: str = "table"  # "table" | "prose" | "derived"
    parent_printed: str | None = None  # a table row: its parent span's ``span_key``
    deduction_reason: str | None = None
    improvement: str | None = None
    row_index: int | None = None  # position in the table, top to bottom
    indicator_code: str | None = None
    canonical_name: str | None = None
    parent_code: str | None = None
    path: str | None = None  # canonical path, e.g. 管理效率/采购管理/合同备案时效性
    is_derived: bool = False
    # a table's level-1/2 span: its report-local key (L1#n, L2#n.m), which its
    # children's ``parent_printed`` name until normalization assigns real codes
    span_key: str | None = None
    ocr_confidence: float | None = None  # OCR: min confidence of the boxes its numbers came from
    # where the numbers were read: "部门整体支出绩效自评表!H12" (sheet and cell),
    # "table 2 row 12 col 8" (Word, HTML), None for a PDF (its page says it)
    source_location: str | None = None


@dataclass
class BudgetFact:
    """One budget figure: ``item`` × ``measure``, an amount or a rate.

    Extraction records an amount as printed (``printed_amount`` in
    ``printed_unit``); ``normalize.budgets`` fills ``amount_yuan`` (and
    ``unit_corrected``) in the new facts it returns.
    """

    item: str  # 部门预算 · 基本支出 · 项目支出 · 三公经费 … or a project's printed name
    measure: str  # initial_budget · adjustment · budget · actual · execution_rate
    amount_yuan: Decimal | None  # None until normalization (and for rates)
    rate: Decimal | None  # fraction (0.9882 for 98.82%)
    printed_text: str
    printed_unit: str  # 元 · 万元 · 亿元 · %
    source_page: int
    origin: str = "prose"  # "table" | "prose"
    unit_corrected: bool = False  # printed unit replaced because sibling arithmetic proves it
    printed_amount: Decimal | None = None  # the amount in printed_unit, signed (调减 → -)
    printed_number: str | None = None  # prose: the number as printed ("1,180.85")
    ocr_confidence: float | None = None  # OCR: min confidence of the boxes its number came from
    source_location: str | None = None  # sheet and cell, or table, row and column (see ScoreFact)


@dataclass
class CheckResult:
    """The outcome of one check on one subject of one report."""

    check_name: str
    subject: str
    severity: str  # "error" | "warning"
    passed: bool
    observed: str | None = None
    expected: str | None = None
    detail: str | None = None

    def __post_init__(self):
        # Tests (and anyone who sets JIXIAO_STRICT_CHECKS) refuse a check the catalogue
        # lacks; a production run records it as it is rather than lose a report.
        if os.environ.get("JIXIAO_STRICT_CHECKS") == "1":
            catalogued(self.check_name, self.severity)


@dataclass
class Project:
    """One 项目支出绩效自评表 in or attached to a report (``fact_project``).

    Extraction fills the printed name, page, scores and budget figures (the
    form's 年度资金总额 row under ``item`` = the project); normalization codes
    the scores in ``framework_code`` and sets the grade.
    """

    name: str
    source_page: int
    scores: list[ScoreFact] = field(default_factory=list)
    budgets: list[BudgetFact] = field(default_factory=list)
    checks: list[CheckResult] = field(default_factory=list)
    grade_printed: str | None = None
    framework_code: str | None = None
    grade: str | None = None

    def figure(self, measure: str, item: str | None = None) -> BudgetFact | None:
        """The budget figure of the form's 年度资金总额 row (or of ``item``) for a measure."""
        item = self.name if item is None else item
        return next((b for b in self.budgets if b.item == item and b.measure == measure), None)

    @property
    def total(self) -> ScoreFact | None:
        return next((f for f in self.scores if f.level == 0), None)


@dataclass
class DocumentFacts:
    """Everything extracted from one document, before normalization."""

    n_pages: int | None  # None for formats without pages (Word, Excel, HTML)
    doc_kind: str  # "score_table" | "narrative" | "scanned"
    title: str | None = None
    department_name: str | None = None  # as printed
    district_printed: str | None = None
    year_printed: int | None = None
    grade_printed: str | None = None
    scores: list[ScoreFact] = field(default_factory=list)
    budgets: list[BudgetFact] = field(default_factory=list)
    checks: list[CheckResult] = field(default_factory=list)
    tables: list[dict] = field(default_factory=list)  # Camelot parsing reports (lineage)
    source_format: str = "pdf"  # pdf · docx · doc · xlsx · xls · html, from the bytes
    doc_type: str | None = None  # reference/doc_types.yaml: dept_self_eval_table …
    doc_type_reason: str | None = None
    projects: list[Project] = field(default_factory=list)  # 项目支出绩效自评表, each on its own
    # the figures the prose states (``ProseFacts.stated_budgets``): a unit fix's siblings
    prose_budgets: list[BudgetFact] = field(default_factory=list)


@dataclass
class ReportRecord:
    """One report ready to load: its ``dim_report`` row and all its facts."""

    report_id: str  # sha256 of the document's bytes
    source: Source
    raw_path: str
    status: str  # valid · invalid · unparsed
    extractor_version: str
    status_reason: str | None = None
    n_pages: int | None = None
    doc_kind: str | None = None
    title: str | None = None
    department_name: str | None = None
    grade: str | None = None
    grade_is_derived: bool = False
    framework_code: str | None = None  # reference/frameworks/<code>.yaml, or printed
    scores: list[ScoreFact] = field(default_factory=list)
    budgets: list[BudgetFact] = field(default_factory=list)
    checks: list[CheckResult] = field(default_factory=list)
    tables: list[dict] = field(default_factory=list)
    source_format: str | None = None
    doc_type: str | None = None
    doc_type_reason: str | None = None
    projects: list[Project] = field(default_factory=list)
    ingested_at: dt.datetime = field(
        default_factory=lambda: dt.datetime.now(dt.UTC).replace(tzinfo=None)
    )

    def dim_row(self) -> dict:
        return {
            "report_id": self.report_id,
            "source_id": self.source.id,
            "district_code": self.source.district_code,
            "year": self.source.year,
            "department_code": self.source.department_code,
            "department_name": self.department_name,
            "title": self.title or self.source.title,
            "source_url": self.source.url,
            "raw_path": self.raw_path,
            "n_pages": self.n_pages,
            "source_format": self.source_format,
            "doc_type": self.doc_type,
            "doc_type_reason": self.doc_type_reason,
            "doc_kind": self.doc_kind,
            "grade": self.grade,
            "grade_is_derived": self.grade_is_derived,
            "framework_code": self.framework_code,
            "status": self.status,
            "status_reason": self.status_reason,
            "extractor_version": self.extractor_version,
            "ingested_at": self.ingested_at,
        }

    def score_rows(self) -> list[dict]:
        """``fact_indicator_score`` rows (the report's keys are added by load)."""
        return [
            table_row(
                "fact_indicator_score",
                f,
                report_id=self.report_id,
                score_rate=(f.score / f.weight) if f.score is not None and f.weight else None,
            )
            for f in self.scores
        ]

    def budget_rows(self) -> list[dict]:
        """``fact_budget`` rows (the report's keys are added by load)."""
        return [table_row("fact_budget", b, report_id=self.report_id) for b in self.budgets]

    def project_rows(self) -> list[dict]:
        """``fact_project``: one row per 项目支出绩效自评表 (its 年度资金总额 and 总分)."""
        rows = []
        for p in self.projects:
            total = p.total
            amount = {m: (f.amount_yuan if (f := p.figure(m)) else None)
                      for m in ("initial_budget", "budget", "actual")}  # fmt: skip
            rate = p.figure("execution_rate")
            rows.append(
                {
                    "report_id": self.report_id,
                    "project_name": p.name,
                    "framework_code": p.framework_code,
                    "initial_budget_yuan": amount["initial_budget"],
                    "budget_yuan": amount["budget"],
                    "actual_yuan": amount["actual"],
                    "execution_rate": rate.rate if rate else None,
                    "total_weight": total.weight if total else None,
                    "total_score": total.score if total else None,
                    "grade": p.grade,
                    "source_page": p.source_page,
                }
            )
        return rows

    def project_indicator_rows(self) -> list[dict]:
        """``fact_project_indicator``: each project's scores, as ``score_rows`` with its name."""
        out = []
        for p in self.projects:
            for f in p.scores:
                row = {
                    "report_id": self.report_id,
                    "project_name": p.name,
                    "indicator_code": f.indicator_code,
                    "weight": f.weight,
                    "score": f.score,
                    "score_rate": (f.score / f.weight)
                    if f.score is not None and f.weight
                    else None,
                    "is_derived": f.is_derived,
                    "printed_name": f.printed_name,
                    "deduction_reason": f.deduction_reason,
                    "improvement": f.improvement,
                    "source_page": f.source_page,
                    "printed_text": f.printed_text,
                    "origin": f.origin,
                    "ocr_confidence": f.ocr_confidence,
                    "source_location": f.source_location,
                }
                out.append(row)
        return out

    def lineage_rows(self) -> list[dict]:
        return [{"report_id": self.report_id, **t} for t in self.tables]

    def path_of(self, fact: ScoreFact) -> str:
        return fact.path or fact.printed_name or fact.indicator_code or ""


def table_row(table: str, record: object, **given: object) -> dict:
    """A warehouse row of ``table`` (columns from ``sql/ddl``): ``given`` values, then
    the record's fields named like the table's columns; columns it has neither of are
    left out (NULL, or added by the loader)."""
    row = {}
    for column in schema.table(table).column_names:
        if column in given:
            row[column] = given[column]
        elif hasattr(record, column):
            row[column] = getattr(record, column)
    return row
