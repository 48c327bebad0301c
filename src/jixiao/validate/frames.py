"""Validation frames: the caller's records, reshaped for Great Expectations.

The warehouse keeps Decimals end to end; only these throwaway frames carry
floats, because GX's pandas metrics compute in floats. Nothing here flows back
into the warehouse. No Great Expectations import here (it is slow).
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

import pandas as pd

SCORE_REQUIRED = ("indicator_code", "parent_code", "level", "weight", "score")
BUDGET_REQUIRED = ("item", "measure", "amount_yuan", "rate")

# Row number in the validation frame; GX names failing rows by it (plus the path).
ROW_ID = "row_id"
# Which report a row belongs to when several reports' frames are validated as one batch
# (``GXRunner.run_many``); absent from a one-report frame.
BATCH_KEY = "report_key"


def to_float(value: Any) -> float:
    """Decimal / int / float / str → float; None, NaN, NA and junk → NaN."""
    if value is None:
        return math.nan
    if isinstance(value, Decimal):
        return float(value) if value.is_finite() else math.nan
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def to_key(value: Any) -> str | None:
    """A code or name as ``str``; None for None / NaN / NA / empty."""
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    text = str(value).strip()
    return text or None


def _require(df: pd.DataFrame, columns: tuple[str, ...], what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{what} frame lacks column(s) {', '.join(missing)}")


def score_frame(scores: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator: codes and path as str/None, level as Int64, weight/score float.

    Optional columns: ``origin`` (table · prose · derived; default table),
    ``source_page``, ``deduction_reason`` and ``lineage`` (the row's true
    ancestors, "0/2/2.4/2.4.1", for the coverage guard).
    """
    _require(scores, SCORE_REQUIRED, "scores")
    n = len(scores)

    def col(name: str) -> list[Any]:
        return scores[name].tolist() if name in scores.columns else [None] * n

    codes = [to_key(v) for v in col("indicator_code")]
    names = [to_key(v) for v in col("printed_name")]
    paths = [
        to_key(p) or name or code for p, name, code in zip(col("path"), names, codes, strict=True)
    ]
    levels = [to_float(v) for v in col("level")]
    return pd.DataFrame(
        {
            ROW_ID: pd.Series(range(n), dtype="int64"),
            "indicator_code": pd.Series(codes, dtype=object),
            "parent_code": pd.Series([to_key(v) for v in col("parent_code")], dtype=object),
            "level": pd.array([None if math.isnan(v) else int(v) for v in levels], dtype="Int64"),
            "path": pd.Series(paths, dtype=object),
            "printed_name": pd.Series(names, dtype=object),
            "weight": pd.Series([to_float(v) for v in col("weight")], dtype="float64"),
            "score": pd.Series([to_float(v) for v in col("score")], dtype="float64"),
            "origin": pd.Series([to_key(v) or "table" for v in col("origin")], dtype=object),
            "source_page": pd.Series([to_key(v) for v in col("source_page")], dtype=object),
            "deduction_reason": pd.Series(
                [to_key(v) for v in col("deduction_reason")], dtype=object
            ),
            "lineage": pd.Series([to_key(v) for v in col("lineage")], dtype=object),
        }
    )


def budget_frame(budget: pd.DataFrame) -> pd.DataFrame:
    """Long, one row per item × measure: amounts in yuan and rates as float fractions.

    ``value`` is the amount, or the rate where there is no amount (execution_rate),
    so one column serves ``actual / budget = execution_rate``.
    """
    _require(budget, BUDGET_REQUIRED, "budget")
    n = len(budget)
    amounts = [to_float(v) for v in budget["amount_yuan"].tolist()]
    rates = [to_float(v) for v in budget["rate"].tolist()]
    pages = budget["source_page"].tolist() if "source_page" in budget.columns else [None] * n
    return pd.DataFrame(
        {
            ROW_ID: pd.Series(range(n), dtype="int64"),
            "item": pd.Series([to_key(v) for v in budget["item"].tolist()], dtype=object),
            "measure": pd.Series([to_key(v) for v in budget["measure"].tolist()], dtype=object),
            "amount_yuan": pd.Series(amounts, dtype="float64"),
            "rate": pd.Series(rates, dtype="float64"),
            "value": pd.Series(
                [r if math.isnan(a) else a for a, r in zip(amounts, rates, strict=True)],
                dtype="float64",
            ),
            "source_page": pd.Series(pages, dtype=object),
        }
    )


REPORT_COLUMNS = (
    "report_id",
    "source_id",
    "year",
    "doc_kind",
    "grade",
    "grade_is_derived",
    "total_score",
    "n_scores",
    "n_table_rows",
    "table_expected",
    "total_expected",
    "grade_printed",
)


def report_frame(header: dict[str, Any]) -> pd.DataFrame:
    """One row describing a report as a whole (``dim_report`` plus counts).

    ``header`` has the keys of :data:`REPORT_COLUMNS`; ``table_expected`` is
    True when the document should have yielded score-table rows;
    ``total_expected`` when scored indicator rows were read from the report's own
    table (not its project forms): then its total must have been read too;
    ``grade_printed`` when the document states its grade (not derived).
    ``scores_expected`` (added here) is its opposite: a report that states no
    grade must state a score.
    """
    missing = [c for c in REPORT_COLUMNS if c not in header]
    if missing:
        raise ValueError(f"report header lacks {', '.join(missing)}")
    return pd.DataFrame(
        {
            ROW_ID: pd.Series([0], dtype="int64"),
            "subject": pd.Series(["report"], dtype=object),
            "report_id": pd.Series([to_key(header["report_id"])], dtype=object),
            "source_id": pd.Series([to_key(header["source_id"])], dtype=object),
            "year": pd.Series([to_float(header["year"])], dtype="float64"),
            "doc_kind": pd.Series([to_key(header["doc_kind"])], dtype=object),
            "grade": pd.Series([to_key(header["grade"])], dtype=object),
            "grade_is_derived": pd.Series([bool(header["grade_is_derived"])], dtype=bool),
            "total_score": pd.Series([to_float(header["total_score"])], dtype="float64"),
            "n_scores": pd.Series([int(header["n_scores"])], dtype="int64"),
            "n_table_rows": pd.Series([int(header["n_table_rows"])], dtype="int64"),
            "table_expected": pd.Series([bool(header["table_expected"])], dtype=bool),
            "total_expected": pd.Series([bool(header["total_expected"])], dtype=bool),
            "grade_printed": pd.Series([bool(header["grade_printed"])], dtype=bool),
            "scores_expected": pd.Series([not header["grade_printed"]], dtype=bool),
        }
    )
