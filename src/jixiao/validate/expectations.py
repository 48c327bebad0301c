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

**Several reports in one batch.** When the batch has a ``BATCH_KEY`` column
(``jixiao.validate.frames``: the runner's ``run_many`` stacks several reports'
frames), every metric and expectation here works on each report's rows apart,
exactly as if it had been given that report alone, and tags each ``details``
record with the report's key so the results can be split back per report
(:mod:`jixiao.validate.batching`). Great Expectations' cost is nearly all per
call, not per row.

Importing this module imports Great Expectations (seconds) and registers the
metrics and expectations under their snake-case names, which the JSON suites in
``expectations/`` refer to. Only :mod:`jixiao.validate.gx_runner` imports it.
"""

from __future__ import annotations

import itertools
import math
from typing import Any, ClassVar, Literal

import pandas as pd
from great_expectations.core.metric_domain_types import MetricDomainTypes
from great_expectations.execution_engine import PandasExecutionEngine
from great_expectations.expectations.expectation import BatchExpectation
from great_expectations.expectations.metrics.metric_provider import metric_value
from great_expectations.expectations.metrics.table_metric_provider import TableMetricProvider
from great_expectations.render import LegacyRendererType, RenderedStringTemplateContent
from great_expectations.render.renderer.renderer import renderer

from jixiao.validate.frames import BATCH_KEY, to_key

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


def within(observed: float, expected: float, tolerance: float) -> bool:
    """``|observed - expected| <= tolerance``, forgiving float representation noise."""
    slack = _REL_EPS * max(1.0, abs(observed), abs(expected))
    return abs(observed - expected) <= tolerance + slack


class _Described:
    """Mixin: Data Docs show ``describe(kwargs)`` instead of the raw kwargs."""

    @classmethod
    def describe(cls, kwargs: dict[str, Any]) -> str:
        return (cls.__doc__ or cls.__name__).strip().splitlines()[0]

    @classmethod
    @renderer(renderer_type=LegacyRendererType.PRESCRIPTIVE)
    def _prescriptive_renderer(
        cls, configuration: Any = None, result: Any = None, runtime_configuration: Any = None,
        **kwargs: Any,
    ) -> list[RenderedStringTemplateContent]:  # fmt: skip
        config = configuration or (result.expectation_config if result else None)
        text = cls.describe(dict(config.kwargs) if config else {})
        return [
            RenderedStringTemplateContent(
                content_block_type="string_template",
                string_template={"template": text.replace("$", "$$"), "params": {}},
            )
        ]


def _table(execution_engine: PandasExecutionEngine, metric_domain_kwargs: dict) -> pd.DataFrame:
    df, _, _ = execution_engine.get_compute_domain(
        metric_domain_kwargs, domain_type=MetricDomainTypes.TABLE
    )
    return df


def _reports(df: pd.DataFrame) -> list[tuple[Any, pd.DataFrame]]:
    """(report key, its rows) per report of a stacked batch; ``[(None, df)]`` for one report."""
    if BATCH_KEY not in df.columns:
        return [(None, df)]
    return [(key, part.drop(columns=BATCH_KEY)) for key, part in df.groupby(BATCH_KEY, sort=False)]


def _tag(record: dict[str, Any], key: Any) -> dict[str, Any]:
    """The record, with its report's key when the batch stacks several reports."""
    return record if key is None else {**record, BATCH_KEY: key}


def _by_report(records: list[dict[str, Any]]) -> list[tuple[Any, list[dict[str, Any]]]]:
    """Tagged records regrouped per report key, in order of first appearance (keys dropped)."""
    out: dict[Any, list[dict[str, Any]]] = {}
    for r in records:
        key = r.get(BATCH_KEY)
        out.setdefault(key, []).append(
            r if key is None else {k: v for k, v in r.items() if k != BATCH_KEY}
        )
    return list(out.items()) or [(None, records)]


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
        return [
            _tag(node, key)
            for key, part in _reports(_table(execution_engine, metric_domain_kwargs))
            for node in cls._nodes(part, metric_value_kwargs)
        ]

    @staticmethod
    def _nodes(df: pd.DataFrame, metric_value_kwargs: dict) -> list[dict[str, Any]]:
        id_col = metric_value_kwargs["id_column"]
        parent_col = metric_value_kwargs["parent_column"]
        value_col = metric_value_kwargs["value_column"]
        label_col = metric_value_kwargs.get("label_column") or id_col
        level_col = metric_value_kwargs.get("level_column")

        rows = [
            {
                "id": to_key(r[id_col]),
                "parent": to_key(r[parent_col]),
                "label": to_key(r[label_col]) or to_key(r[id_col]),
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
        groups: dict[tuple[Any, str], dict[str, float | None]] = {}
        for r in df.to_dict("records"):
            group, name = to_key(r[group_col]), to_key(r[name_col])
            if group is None or name is None:
                continue
            values = groups.setdefault((r.get(BATCH_KEY), group), {})
            if values.get(name) is None:
                values[name] = _num(r[value_col])

        out: list[dict[str, Any]] = []
        for (key, group), values in groups.items():
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
                _tag(
                    {
                        "group": group,
                        "operands": {n: values[n] for n in operands},
                        "target": values[target],
                        "computed": computed,
                    },
                    key,
                )
            )
        return out


# ---------------------------------------------------------------------- expectations


class ExpectChildrenSumToEqualParent(_Described, BatchExpectation):
    """Expect each parent's value to equal the sum of its children's values.

    Only parents that have children present, a value of their own, and a value
    on every child are checked (a narrative that states a few subtotals has
    nothing to add up below them). ``parents`` picks "all" parents, the
    "non_root" ones or only the "root" (no parent: the total).
    ``result.details`` holds one record per parent checked.
    """

    @classmethod
    def describe(cls, kwargs: dict[str, Any]) -> str:
        which = {"root": "the total", "non_root": "every subtotal"}.get(
            kwargs.get("parents", "all"), "every parent"
        )
        return (
            f"{which}'s {kwargs.get('value_column')} equals the sum of its children's "
            f"(parent: {kwargs.get('parent_column')}), within {kwargs.get('tolerance', 0.011)}"
        )

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
            detail = {
                "subject": node["label"],
                "id": node["id"],
                "parent_level": node["level"],
                "n_children": node["n_children"],
                "observed": observed,
                "expected": expected,
                "difference": observed - expected,
                "passed": within(observed, expected, self.tolerance),
            }
            details.append(_tag(detail, node.get(BATCH_KEY)))
        n_failed = sum(not d["passed"] for d in details)
        return {
            "success": n_failed == 0,
            "result": {
                "observed_value": f"{len(details) - n_failed} of {len(details)} parents add up",
                "details": details,
            },
        }


class ExpectTreeTotalToEqual(_Described, BatchExpectation):
    """Expect the total (the row at ``total_level``) to equal ``value``.

    When the total row has no value (or is absent), the sum of the rows one
    level below stands in for it. ``result.details`` holds one record (or none
    when there is nothing to compare), its ``source`` saying which was used.
    """

    @classmethod
    def describe(cls, kwargs: dict[str, Any]) -> str:
        return (
            f"the total {kwargs.get('value_column')} (level {kwargs.get('total_level', 0)}, "
            "or the sum of level 1 when it is not printed) equals "
            f"{kwargs.get('value')}, within {kwargs.get('tolerance', 0.011)}"
        )

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
        details = [
            _tag(detail, key)
            for key, nodes in _by_report(metrics["jixiao.tree_nodes"])
            for detail in self._total(nodes)
        ]
        observed = details[0]["observed"] if len(details) == 1 else None
        return {
            "success": all(d["passed"] for d in details),
            "result": {"observed_value": observed, "details": details},
        }

    def _total(self, nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The one report's total against ``value`` (no record when nothing compares)."""
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
        return details


class ExpectRowsToReconcile(_Described, BatchExpectation):
    """Expect, in each group of long data, operands combined to equal a target row.

    E.g. per budget item: initial_budget + adjustment = budget (``operation``
    "sum"), or actual / budget = execution_rate ("ratio"); per measure:
    基本支出 + 项目支出 = 部门预算. Groups missing any of the rows are not
    checked. ``result.details`` holds one record per group checked.
    """

    @classmethod
    def describe(cls, kwargs: dict[str, Any]) -> str:
        ops = kwargs.get("operands") or []
        joiner = " + " if kwargs.get("operation") == "sum" else " / "
        return (
            f"per {kwargs.get('group_column')}: {joiner.join(ops)} = {kwargs.get('target')} "
            f"(rows told apart by {kwargs.get('name_column')}), within {kwargs.get('tolerance')}"
        )

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
            _tag(
                {
                    "subject": g["group"],
                    "operation": self.operation,
                    "operands": g["operands"],
                    "target_name": self.target,
                    "observed": g["computed"],
                    "expected": g["target"],
                    "difference": g["computed"] - g["target"],
                    "passed": within(g["computed"], g["target"], self.tolerance),
                },
                g.get(BATCH_KEY),
            )
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


# ------------------------------------------------------ coverage and plausibility


def _rows(execution_engine: PandasExecutionEngine, metric_domain_kwargs: dict) -> list[dict]:
    """The batch as JSON-friendly records (NaN → None)."""
    df = _table(execution_engine, metric_domain_kwargs)
    return [
        {k: (None if to_key(v) is None else v) for k, v in r.items()} for r in df.to_dict("records")
    ]


class BatchRecords(TableMetricProvider):
    """The whole batch as a list of records, for expectations that judge rows together.

    Batches here are one report's rows (dozens), or a few reports' stacked
    (``BATCH_KEY``), so handing them over whole is cheap.
    """

    metric_name = "jixiao.batch_records"

    @metric_value(engine=PandasExecutionEngine)
    def _pandas(
        cls,
        execution_engine: PandasExecutionEngine,
        metric_domain_kwargs: dict,
        metric_value_kwargs: dict,
        metrics: dict[str, Any],
        runtime_configuration: dict,
    ) -> list[dict[str, Any]]:
        return _rows(execution_engine, metric_domain_kwargs)


class _RecordsExpectation(_Described, BatchExpectation):
    """A batch expectation judged in Python over the batch's records.

    Subclasses list the columns they read (:meth:`columns`) and turn records
    into ``details`` (:meth:`judge`): one dict per subject with ``subject``,
    ``observed``, ``expected``, ``passed`` and a readable ``message``.
    """

    metric_dependencies: ClassVar[tuple[str, ...]] = ("jixiao.batch_records",)

    def columns(self) -> list[str]:  # pragma: no cover - abstract
        raise NotImplementedError

    def judge(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:  # pragma: no cover
        raise NotImplementedError

    def _validate(
        self,
        metrics: dict,
        runtime_configuration: dict | None = None,
        execution_engine: Any = None,
    ) -> dict[str, Any]:
        records = metrics["jixiao.batch_records"]
        missing = [c for c in self.columns() if records and c not in records[0]]
        if missing:
            raise KeyError(f"no column(s) {', '.join(missing)} in the batch")
        details = [
            _tag(detail, key)
            for key, report_records in _by_report(records)
            for detail in self.judge(report_records)
        ]
        n_failed = sum(not d["passed"] for d in details)
        return {
            "success": n_failed == 0,
            "result": {
                "observed_value": f"{len(details) - n_failed} of {len(details)} pass",
                "details": details,
            },
        }


class ExpectChildrenCountAtLeast(_RecordsExpectation):
    """Coverage: every part of the framework a table touches has enough child rows.

    Each row carries its ``lineage_column``: the codes from the total down to
    its own ("0/2/2.4/2.4.1"), so a part whose own row was lost (a page of
    the table not read) is still counted from its descendants. For every
    code on the lineages of the rows whose ``origin_column`` is in
    ``origins`` (a narrative's prose figures are not a half-read table), the
    distinct children found must reach ``min_children[code]`` (the indicator
    dictionary's coverage; passed at run time); ``labels`` and ``names`` word
    the message. A row with no child found is checked too when the table has
    rows below its level.
    """

    lineage_column: str
    origin_column: str
    origins: list[str]
    min_children: dict[str, Any]  # {code: n}, or {"$PARAMETER": name}
    labels: dict[str, Any] | None = None
    names: dict[str, Any] | None = None

    success_keys: ClassVar[tuple[str, ...]] = (
        "lineage_column",
        "origin_column",
        "origins",
        "min_children",
        "labels",
        "names",
    )
    args_keys: ClassVar[tuple[str, ...]] = ("lineage_column",)

    @classmethod
    def describe(cls, kwargs: dict[str, Any]) -> str:
        return (
            "every part of the framework a table touches (rows of origin "
            f"{' / '.join(kwargs.get('origins') or [])}) has at least as many child rows as "
            "the indicator dictionary needs"
        )

    def columns(self) -> list[str]:
        return [self.lineage_column, self.origin_column]

    def judge(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        lineages = [
            str(r[self.lineage_column]).split("/")
            for r in records
            if r[self.origin_column] in self.origins and to_key(r[self.lineage_column])
        ]
        if not lineages:
            return []
        deepest = max(len(chain) for chain in lineages)
        found: dict[str, set[str]] = {}
        depth: dict[str, int] = {}
        for chain in lineages:
            for parent, child in itertools.pairwise(chain):
                found.setdefault(parent, set()).add(child)
            found.setdefault(chain[-1], set())
            depth.update({code: i + 1 for i, code in enumerate(chain)})
        labels, names = self.labels or {}, self.names or {}
        details = []
        for code, children in found.items():
            need = int(self.min_children.get(code) or 0)
            if not need or (not children and depth[code] >= deepest):
                continue
            # only children the framework knows count: an unmapped or garbled
            # name is not coverage (labels holds every framework code)
            n = len([c for c in children if c in labels]) if labels else len(children)
            label = labels.get(code, code)
            kind = "indicator" if code == "0" else "sub-indicator"
            message = (
                f"{label}: the table gives {n} {kind} row(s), the framework needs at least "
                f"{need}" + (f" of {names[code]}" if code in names else "")
            )
            if n < need:
                message += ": part of the table was not read"
            details.append(
                {
                    "subject": label,
                    "observed": str(n),
                    "expected": f"≥ {need}",
                    "passed": n >= need,
                    "message": message,
                }
            )
        return details


class ExpectValuesNotToBeRowNumbers(_RecordsExpectation):
    """Plausibility: a column of scores is not a column of row numbers (序号).

    Judged on the leaf rows (no other row names them as parent) whose
    ``origin_column`` is in ``origins``: per page (``group_column``) and for
    the whole table, a group of at least ``min_rows`` values must not be
    distinct consecutive whole numbers (1, 2, 3 …). Real scores repeat
    (2, 2, 1, 3, 2 …); an item-number column never does. Parents are left
    out because their values are sums of the leaves.
    """

    @classmethod
    def describe(cls, kwargs: dict[str, Any]) -> str:
        return (
            f"the table's leaf {kwargs.get('column')}s (per page and in all) are not "
            f"{kwargs.get('min_rows', 5)}+ distinct consecutive whole numbers (row numbers)"
        )

    column: str
    id_column: str
    parent_column: str
    group_column: str
    origin_column: str
    origins: list[str]
    min_rows: int = 5

    success_keys: ClassVar[tuple[str, ...]] = (
        "column",
        "id_column",
        "parent_column",
        "group_column",
        "origin_column",
        "origins",
        "min_rows",
    )
    args_keys: ClassVar[tuple[str, ...]] = ("column",)

    def columns(self) -> list[str]:
        return [
            self.column,
            self.id_column,
            self.parent_column,
            self.group_column,
            self.origin_column,
        ]

    def judge(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        parents = {to_key(r[self.parent_column]) for r in records}
        rows = [
            r
            for r in records
            if r[self.origin_column] in self.origins
            and _num(r[self.column]) is not None
            and to_key(r[self.id_column]) not in parents
        ]
        groups: dict[str, list[float]] = {}
        if len(rows) >= self.min_rows:
            groups["the table"] = [_num(r[self.column]) for r in rows]
        pages: dict[str, list[float]] = {}
        for r in rows:
            page = f"page {to_key(r[self.group_column])}"
            pages.setdefault(page, []).append(_num(r[self.column]))
        if len(pages) > 1:
            groups.update({p: v for p, v in pages.items() if len(v) >= self.min_rows})
        details = []
        for where, values in groups.items():
            ordered = sorted(values)
            run = all(v == int(v) for v in ordered) and all(
                b - a == 1 for a, b in itertools.pairwise(ordered)
            )
            # sorted: the same whichever order the rows came in (the warehouse keeps none)
            shown = ", ".join(f"{v:g}" for v in ordered[:8]) + (", …" if len(values) > 8 else "")
            message = (
                f"{self.column}s on {where}: {shown} are {len(values)} consecutive whole numbers "
                "(row numbers, not scores): the column was read from the wrong place"
                if run
                else f"{self.column}s on {where} ({len(values)} rows) are not a run of row numbers"
            )
            details.append(
                {
                    "subject": f"{self.column} column ({where})",
                    "observed": shown,
                    "expected": "not 1, 2, 3 … (row numbers)",
                    "passed": not run,
                    "message": message,
                }
            )
        return details


class ExpectNoFullMarksWithDeduction(_RecordsExpectation):
    """Plausibility: a row whose 扣分原因 states a deduction does not score full marks.

    When the score column was read from the weight (分值) column every score
    equals its weight, yet the rows that explain a deduction give it away.
    ``no_deduction_words`` are reasons that say nothing was deducted (无, 不扣分 …).
    """

    @classmethod
    def describe(cls, kwargs: dict[str, Any]) -> str:
        return (
            f"a row whose {kwargs.get('reason_column')} states a deduction scores "
            f"{kwargs.get('score_column')} below its {kwargs.get('weight_column')}"
        )

    score_column: str
    weight_column: str
    reason_column: str
    label_column: str
    no_deduction_words: list[str]
    tolerance: float = 0.0001

    success_keys: ClassVar[tuple[str, ...]] = (
        "score_column",
        "weight_column",
        "reason_column",
        "label_column",
        "no_deduction_words",
        "tolerance",
    )
    args_keys: ClassVar[tuple[str, ...]] = ("score_column", "weight_column", "reason_column")

    def columns(self) -> list[str]:
        return [self.score_column, self.weight_column, self.reason_column, self.label_column]

    def judge(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        quiet = {w.strip() for w in self.no_deduction_words}
        details = []
        for r in records:
            reason = (to_key(r[self.reason_column]) or "").strip(" 。.;；")
            score, weight = _num(r[self.score_column]), _num(r[self.weight_column])
            if not reason or reason in quiet or score is None or weight is None:
                continue
            full = within(score, weight, self.tolerance)
            label = to_key(r[self.label_column])
            short = reason if len(reason) <= 30 else reason[:30] + "…"
            details.append(
                {
                    "subject": label,
                    "observed": f"{score:g} of {weight:g}",
                    "expected": f"< {weight:g} (a deduction is stated)",
                    "passed": not full,
                    "message": (
                        f"{label}: full marks {score:g} of {weight:g}, yet the table states a "
                        f"deduction ({short}): the score may have been read from the 分值 column"
                        if full
                        else f"{label}: {score:g} of {weight:g}, with the deduction explained"
                    ),
                }
            )
        return details


class ExpectColumnsNotIdentical(_RecordsExpectation):
    """Plausibility: two numeric columns are not the same on every row.

    Used for score vs weight: a table where every score equals its weight is a
    perfect 100, or a score column read from the 分值 column. Judged on rows
    whose ``origin_column`` is in ``origins`` when at least ``min_rows`` have
    both values.
    """

    @classmethod
    def describe(cls, kwargs: dict[str, Any]) -> str:
        return (
            f"{kwargs.get('column_A')} differs from {kwargs.get('column_B')} on at least one "
            f"table row (judged from {kwargs.get('min_rows', 10)} rows)"
        )

    column_A: str
    column_B: str
    origin_column: str
    origins: list[str]
    min_rows: int = 10

    success_keys: ClassVar[tuple[str, ...]] = (
        "column_A",
        "column_B",
        "origin_column",
        "origins",
        "min_rows",
    )
    args_keys: ClassVar[tuple[str, ...]] = ("column_A", "column_B")

    def columns(self) -> list[str]:
        return [self.column_A, self.column_B, self.origin_column]

    def judge(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        pairs = [
            (_num(r[self.column_A]), _num(r[self.column_B]))
            for r in records
            if r[self.origin_column] in self.origins
        ]
        pairs = [(a, b) for a, b in pairs if a is not None and b is not None]
        if len(pairs) < self.min_rows:
            return []
        same = sum(within(a, b, 0.0001) for a, b in pairs)
        identical = same == len(pairs)
        a, b = self.column_A, self.column_B
        return [
            {
                "subject": f"{a} vs {b} column",
                "observed": f"{same} of {len(pairs)} rows equal",
                "expected": "at least one row differs",
                "passed": not identical,
                "message": (
                    f"every one of the {len(pairs)} table rows has {a} = {b}: a perfect score, "
                    f"or the {a} column was read from the {b} column; check the PDF"
                    if identical
                    else f"{len(pairs) - same} of {len(pairs)} table rows have {a} ≠ {b}"
                ),
            }
        ]


class ExpectGradeToMatchBand(_RecordsExpectation):
    """The printed grade (优/良/中/差) is the band of the total score.

    ``bands`` maps each grade to its lower bound (inclusive); the highest
    bound not above the total wins. Rows without a total or a printed grade
    (or whose grade was itself derived, ``derived_column``) are not judged.
    """

    @classmethod
    def describe(cls, kwargs: dict[str, Any]) -> str:
        bands = kwargs.get("bands") or {}
        if "$PARAMETER" in bands:  # before the run: the bands come from reference/grades.yaml
            legend = "bands from reference/grades.yaml"
        else:
            ordered = sorted(bands.items(), key=lambda kv: -float(kv[1]))
            legend = ", ".join(f"{g} ≥ {float(floor):g}" for g, floor in ordered)
        return f"the printed {kwargs.get('grade_column')} is the band of the total ({legend})"

    grade_column: str
    value_column: str
    derived_column: str | None = None
    bands: dict[str, Any]  # {grade: lowest total}, or {"$PARAMETER": name}

    success_keys: ClassVar[tuple[str, ...]] = (
        "grade_column",
        "value_column",
        "derived_column",
        "bands",
    )
    args_keys: ClassVar[tuple[str, ...]] = ("grade_column", "value_column", "bands")

    def columns(self) -> list[str]:
        return [
            self.grade_column,
            self.value_column,
            *([self.derived_column] if self.derived_column else []),
        ]

    def judge(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        ordered = sorted(
            ((g, float(floor)) for g, floor in self.bands.items()), key=lambda kv: -kv[1]
        )
        legend = ", ".join(f"{g} ≥ {floor:g}" for g, floor in ordered)
        details = []
        for r in records:
            grade, total = to_key(r[self.grade_column]), _num(r[self.value_column])
            if grade is None or total is None or (self.derived_column and r[self.derived_column]):
                continue
            expected = next((g for g, floor in ordered if total >= floor), ordered[-1][0])
            passed = grade == expected
            details.append(
                {
                    "subject": "总分",
                    "observed": grade,
                    "expected": expected,
                    "passed": passed,
                    "message": f"grade {grade} printed and the total {total:g} is {expected}"
                    if passed
                    else f"grade {grade} printed, but the total {total:g} is {expected} ({legend})",
                }
            )
        return details
