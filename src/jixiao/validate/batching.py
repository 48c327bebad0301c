"""Several reports through one Great Expectations call, the results split back per report.

A suite run costs Great Expectations about the same for one row as for a
hundred (it builds a metric graph and pydantic configurations per expectation
and call), so the ingest validates a task's reports together:
:func:`stack` puts their frames one under the other with a ``BATCH_KEY``
column, the suite runs once (``GXRunner.run_many``), and :func:`split` gives
each report the result it would have got alone:

* jixiao's own expectations (``expectations.py``) work per report key and tag
  each ``details`` record with it: a report gets its records;
* a built-in per-row expectation names its failing rows by row id and report
  key (``unexpected_index_column_names``): a report gets its rows, and its
  counts (``element_count``, ``missing_count``) are counted again on its own
  frame, under the expectation's row condition.

Anything :func:`split` cannot redo exactly (an expectation that raised, a
``mostly``, a row condition other than a plain comparison) raises
:class:`NotSplittable`, and the runner validates those reports one at a time.
No Great Expectations import here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from jixiao.validate.frames import BATCH_KEY


class NotSplittable(Exception):
    """A stacked run's result that cannot be split per report exactly."""


@dataclass
class ReportExpectationResult:
    """One expectation's result for one report: what ``results.to_check_results`` reads."""

    expectation_config: Any
    result: dict[str, Any]
    success: bool
    exception_info: Any = None


@dataclass
class ReportSuiteResult:
    """A suite's results for one report of a stacked run, in suite order."""

    results: list[ReportExpectationResult]


def stack(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """The frames one under the other; ``BATCH_KEY`` is each row's frame index (row ids kept)."""
    return pd.concat(
        [frame.assign(**{BATCH_KEY: k}) for k, frame in enumerate(frames)], ignore_index=True
    )


def split(suite_result: Any, frames: list[pd.DataFrame]) -> list[ReportSuiteResult]:
    """The stacked run's result as one suite result per frame, each as if run alone.

    Raises:
        NotSplittable: an expectation raised, or its result cannot be redone per report.
    """
    out = [ReportSuiteResult([]) for _ in frames]
    for res in suite_result.results:
        config, result = res.expectation_config, res.result or {}
        if _raised(res.exception_info):
            raise NotSplittable(f"{config.type} raised")
        if "details" in result:
            for k, details in enumerate(_parts(result["details"], len(frames))):
                passed = all(d["passed"] for d in details)
                out[k].results.append(ReportExpectationResult(config, {"details": details}, passed))
            continue
        kwargs = dict(config.kwargs or {})
        if kwargs.get("mostly", 1) != 1:
            raise NotSplittable(f"{config.type} has mostly={kwargs['mostly']}")
        rows = _parts(result.get("unexpected_index_list") or [], len(frames))
        for k, frame in enumerate(frames):
            domain = _domain(frame, kwargs.get("row_condition"), kwargs.get("condition_parser"))
            part: dict[str, Any] = {
                "element_count": len(domain),
                "unexpected_count": len(rows[k]),
                "unexpected_index_list": rows[k],
            }
            if kwargs.get("column") in domain.columns:
                part["missing_count"] = int(domain[kwargs["column"]].isna().sum())
            out[k].results.append(ReportExpectationResult(config, part, not rows[k]))
    return out


def _parts(records: list, n: int) -> list[list[dict[str, Any]]]:
    """Records regrouped by their ``BATCH_KEY`` (dropped), one list per frame."""
    parts: list[list[dict[str, Any]]] = [[] for _ in range(n)]
    for record in records:
        if not isinstance(record, dict) or BATCH_KEY not in record:
            raise NotSplittable(f"a result record without {BATCH_KEY}: {record!r}"[:200])
        parts[int(record[BATCH_KEY])].append(
            {key: value for key, value in record.items() if key != BATCH_KEY}
        )
    return parts


def _raised(info: Any) -> bool:
    if not isinstance(info, dict):
        return False
    return any(
        isinstance(entry, dict) and entry.get("raised_exception")
        for entry in [info, *info.values()]
    )


def _domain(frame: pd.DataFrame, condition: Any, parser: Any) -> pd.DataFrame:
    """The frame's rows an expectation with this row condition looks at."""
    if condition is None:
        return frame
    if parser is not None or not isinstance(condition, dict):
        raise NotSplittable(f"row condition {condition!r}")
    column = (condition.get("column") or {}).get("name")
    operator, value = condition.get("operator"), condition.get("parameter")
    if condition.get("type") != "comparison" or column not in frame.columns:
        raise NotSplittable(f"row condition {condition!r}")
    if operator == "==":
        return frame[frame[column] == value]
    if operator == "!=":
        return frame[frame[column] != value]
    raise NotSplittable(f"row condition {condition!r}")
