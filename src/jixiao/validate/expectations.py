"""Custom Great Expectations expectations for checks that span rows.

Great Expectations has no built-in for "a parent equals the sum of its children"
on pandas (``ExpectMulticolumnSumToEqual`` compares columns of one row with a
constant; ``UnexpectedRowsExpectation`` only runs on SQL sources). Two table
metrics and three batch expectations cover what jixiao needs:

``jixiao.tree_nodes`` (:class:`TreeNodes`)
    one record per row of an indicator tree (id, parent, level, value) with the
    sum of its present children's values.
``jixiao.reconciled_groups`` (:class:`ReconciledGroups`)
    for long ``(group, name, value)`` data, the value computed from named
    operand rows of each group (a sum or a ratio) next to a named target row.

:class:`ExpectChildrenSumToEqualParent`, :class:`ExpectTreeTotalToEqual` and
:class:`ExpectRowsToReconcile` compare those with a tolerance. Their results
carry one ``details`` record per subject (passed ones too) that
:mod:`jixiao.validate.results` turns into ``CheckResult`` rows.

Importing this module imports Great Expectations (seconds) and registers the
metrics and expectations under their snake-case names, which the JSON suites in
``expectations/`` refer to. Only :mod:`jixiao.validate.gx_runner` imports it.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar, Literal

import pandas as pd
from great_expectations.core.metric_domain_types import MetricDomainTypes
from great_expectations.execution_engine import PandasExecutionEngine
from great_expectations.expectations.expectation import BatchExpectation
from great_expectations.expectations.metrics.metric_provider import metric_value
from great_expectations.expectations.metrics.table_metric_provider import TableMetricProvider

# Floats made from printed decimals: 0.1 + 0.2 is not 0.3. Anything this small
# relative to the numbers compared is representation noise, not a difference.
_REL_EPS = 1e-9


def _num(value: Any) -> float | None:
    """A finite float, or None for missing / NaN / non-numeric."""
    if value is None:
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) or math.isinf(f) else f


def _key(value: Any) -> str | None:
    """A row key (id, parent, group, name) as a string, or None when missing."""
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def within(observed: float, expected: float, tolerance: float) -> bool:
    """``|observed - expected| <= tolerance``, forgiving float representation noise."""
    slack = _REL_EPS * max(1.0, abs(observed), abs(expected))
    return abs(observed - expected) <= tolerance + slack


def _table(execution_engine: PandasExecutionEngine, metric_domain_kwargs: dict) -> pd.DataFrame:
    df, _, _ = execution_engine.get_compute_domain(
        metric_domain_kwargs, domain_type=MetricDomainTypes.TABLE
    )
    return df


# --------------------------------------------------------------------------- metrics


class TreeNodes(TableMetricProvider):
    """Every row of a parent/child table, with the sum of its children's values.

    Returns a list of dicts (JSON-serializable): ``id``, ``parent``, ``level``,
    ``label``, ``value``, ``n_children`` (rows whose parent is this id),
    ``n_children_missing`` (of those, rows without a value) and
    ``children_sum`` (sum over children with a value; None when there are none).
    A duplicated id keeps its first row as the node.
    """

    metric_name = "jixiao.tree_nodes"
    value_keys = ("id_column", "parent_column", "value_column", "label_column", "level_column")

    @metric_value(engine=PandasExecutionEngine)
    def _pandas(
        cls,
        execution_engine: PandasExecutionEngine,
        metric_domain_kwargs: dict,
        metric_value_kwargs: dict,
        metrics: dict[str, Any],
        runtime_configuration: dict,
    ) -> list[dict[str, Any]]:
        df = _table(execution_engine, metric_domain_kwargs)
        id_col = metric_value_kwargs["id_column"]
        parent_col = metric_value_kwargs["parent_column"]
        value_col = metric_value_kwargs["value_column"]
        label_col = metric_value_kwargs.get("label_column") or id_col
        level_col = metric_value_kwargs.get("level_column")

        rows = [
            {
                "id": _key(r[id_col]),
                "parent": _key(r[parent_col]),
                "label": _key(r[label_col]) or _key(r[id_col]),
                "level": (
                    int(r[level_col]) if level_col and _num(r[level_col]) is not None else None
                ),
                "value": _num(r[value_col]),
            }
            for r in df.to_dict("records")
        ]
        children: dict[str, list[dict[str, Any]]] = {}
        for row in rows:
            if row["parent"] is not None:
                children.setdefault(row["parent"], []).append(row)

        nodes: list[dict[str, Any]] = []
        seen: set[str] = set()
        for row in rows:
            if row["id"] is None or row["id"] in seen:
                continue
            seen.add(row["id"])
            kids = children.get(row["id"], [])
            values = [k["value"] for k in kids if k["value"] is not None]
            nodes.append(
                {
                    **row,
                    "n_children": len(kids),
                    "n_children_missing": len(kids) - len(values),
                    "children_sum": math.fsum(values) if values else None,
                }
            )
        return nodes


class ReconciledGroups(TableMetricProvider):
    """Per group of long data, a value computed from named rows next to a target row.

    In each group (``group_column``) the rows are told apart by ``name_column``.
    ``operation`` "sum" adds the operand rows' values; "ratio" divides the
    first operand by the second. Groups lacking the target or an operand value
    (or dividing by zero) are left out: there is nothing to reconcile there.
    Returns a list of dicts: ``group``, ``operands`` ({name: value}),
    ``target`` (value), ``computed``.
    """

    metric_name = "jixiao.reconciled_groups"
    value_keys = (
        "group_column",
        "name_column",
        "value_column",
        "operation",
        "operands",
        "target",
    )

    @metric_value(engine=PandasExecutionEngine)
    def _pandas(
        cls,
        execution_engine: PandasExecutionEngine,
        metric_domain_kwargs: dict,
        metric_value_kwargs: dict,
        metrics: dict[str, Any],
        runtime_configuration: dict,
    ) -> list[dict[str, Any]]:
        df = _table(execution_engine, metric_domain_kwargs)
        group_col = metric_value_kwargs["group_column"]
        name_col = metric_value_kwargs["name_column"]
        value_col = metric_value_kwargs["value_column"]
        operation = metric_value_kwargs["operation"]
        operands = list(metric_value_kwargs["operands"])
        target = metric_value_kwargs["target"]

        # first value per (group, name), keeping the groups in order of appearance
        groups: dict[str, dict[str, float | None]] = {}
        for r in df.to_dict("records"):
            group, name = _key(r[group_col]), _key(r[name_col])
            if group is None or name is None:
                continue
            values = groups.setdefault(group, {})
            if values.get(name) is None:
                values[name] = _num(r[value_col])

        out: list[dict[str, Any]] = []
        for group, values in groups.items():
            needed = [values.get(n) for n in [*operands, target]]
            if any(v is None for v in needed):
                continue
            terms = [values[n] for n in operands]
            if operation == "sum":
                computed = math.fsum(terms)
            elif operation == "ratio":
                if len(terms) != 2 or terms[1] == 0:
                    continue
                computed = terms[0] / terms[1]
            else:  # pragma: no cover - rejected by the expectation's validation
                raise ValueError(f"unknown operation {operation!r}")
            out.append(
                {
                    "group": group,
                    "operands": {n: values[n] for n in operands},
                    "target": values[target],
                    "computed": computed,
                }
            )
        return out


# ---------------------------------------------------------------------- expectations


class ExpectChildrenSumToEqualParent(BatchExpectation):
    """Expect each parent's value to equal the sum of its children's values.

    Only parents that have children present, a value of their own, and a value
    on every child are checked (a narrative that states a few subtotals has
    nothing to add up below them). ``parents`` picks "all" parents, the
    "non_root" ones or only the "root" (no parent: the total).
    ``result.details`` holds one record per parent checked.
    """

    id_column: str
    parent_column: str
    value_column: str
    label_column: str | None = None
    level_column: str | None = None
    tolerance: float = 0.011
    parents: Literal["all", "non_root", "root"] = "all"

    metric_dependencies: ClassVar[tuple[str, ...]] = ("jixiao.tree_nodes",)
    success_keys: ClassVar[tuple[str, ...]] = (
        "id_column",
        "parent_column",
        "value_column",
        "label_column",
        "level_column",
        "tolerance",
        "parents",
    )
    args_keys: ClassVar[tuple[str, ...]] = ("id_column", "parent_column", "value_column")

    def _validate(
        self,
        metrics: dict,
        runtime_configuration: dict | None = None,
        execution_engine: Any = None,
    ) -> dict[str, Any]:
        details = []
        for node in metrics["jixiao.tree_nodes"]:
            is_root = node["parent"] is None
            if (self.parents == "root" and not is_root) or (self.parents == "non_root" and is_root):
                continue
            if not node["n_children"] or node["n_children_missing"] or node["value"] is None:
                continue
            observed, expected = node["children_sum"], node["value"]
            details.append(
                {
                    "subject": node["label"],
                    "id": node["id"],
                    "parent_level": node["level"],
                    "n_children": node["n_children"],
                    "observed": observed,
                    "expected": expected,
                    "difference": observed - expected,
                    "passed": within(observed, expected, self.tolerance),
                }
            )
        n_failed = sum(not d["passed"] for d in details)
        return {
            "success": n_failed == 0,
            "result": {
                "observed_value": f"{len(details) - n_failed} of {len(details)} parents add up",
                "details": details,
            },
        }


class ExpectTreeTotalToEqual(BatchExpectation):
    """Expect the total (the row at ``total_level``) to equal ``value``.

    When the total row has no value (or is absent), the sum of the rows one
    level below stands in for it. ``result.details`` holds one record (or none
    when there is nothing to compare), its ``source`` saying which was used.
    """

    id_column: str
    parent_column: str
    value_column: str
    level_column: str
    label_column: str | None = None
    value: float
    tolerance: float = 0.011
    total_level: int = 0

    metric_dependencies: ClassVar[tuple[str, ...]] = ("jixiao.tree_nodes",)
    success_keys: ClassVar[tuple[str, ...]] = (
        "id_column",
        "parent_column",
        "value_column",
        "level_column",
        "label_column",
        "value",
        "tolerance",
        "total_level",
    )
    args_keys: ClassVar[tuple[str, ...]] = ("value_column", "value")

    def _validate(
        self,
        metrics: dict,
        runtime_configuration: dict | None = None,
        execution_engine: Any = None,
    ) -> dict[str, Any]:
        nodes = metrics["jixiao.tree_nodes"]
        totals = [n for n in nodes if n["level"] == self.total_level]
        below = [n for n in nodes if n["level"] == self.total_level + 1]
        subject = totals[0]["label"] if totals else None
        observed: float | None = None
        source = None
        if totals and totals[0]["value"] is not None:
            observed, source = totals[0]["value"], "total"
        elif below and all(n["value"] is not None for n in below):
            observed, source = math.fsum(n["value"] for n in below), "children"
        details = []
        if observed is not None:
            details.append(
                {
                    "subject": subject,
                    "source": source,
                    "n_children": len(below),
                    "observed": observed,
                    "expected": float(self.value),
                    "difference": observed - float(self.value),
                    "passed": within(observed, float(self.value), self.tolerance),
                }
            )
        return {
            "success": all(d["passed"] for d in details),
            "result": {"observed_value": observed, "details": details},
        }


class ExpectRowsToReconcile(BatchExpectation):
    """Expect, in each group of long data, operands combined to equal a target row.

    E.g. per budget item: initial_budget + adjustment = budget (``operation``
    "sum"), or actual / budget = execution_rate ("ratio"); per measure:
    基本支出 + 项目支出 = 部门预算. Groups missing any of the rows are not
    checked. ``result.details`` holds one record per group checked.
    """

    group_column: str
    name_column: str
    value_column: str
    operation: Literal["sum", "ratio"]
    operands: list[str]
    target: str
    tolerance: float

    metric_dependencies: ClassVar[tuple[str, ...]] = ("jixiao.reconciled_groups",)
    success_keys: ClassVar[tuple[str, ...]] = (
        "group_column",
        "name_column",
        "value_column",
        "operation",
        "operands",
        "target",
        "tolerance",
    )
    args_keys: ClassVar[tuple[str, ...]] = ("operation", "operands", "target")

    def _validate(
        self,
        metrics: dict,
        runtime_configuration: dict | None = None,
        execution_engine: Any = None,
    ) -> dict[str, Any]:
        details = [
            {
                "subject": g["group"],
                "operation": self.operation,
                "operands": g["operands"],
                "target_name": self.target,
                "observed": g["computed"],
                "expected": g["target"],
                "difference": g["computed"] - g["target"],
                "passed": within(g["computed"], g["target"], self.tolerance),
            }
            for g in metrics["jixiao.reconciled_groups"]
        ]
        n_failed = sum(not d["passed"] for d in details)
        return {
            "success": n_failed == 0,
            "result": {
                "observed_value": f"{len(details) - n_failed} of {len(details)} reconcile",
                "details": details,
            },
        }
