"""Warehouse-level checks: keys and references of the loaded contract tables.

Each contract table has a suite ``expectations/warehouse_<table>.json``
(``meta.scope`` "warehouse", ``meta.table``): compound-key uniqueness, keys
not NULL, references (a foreign key's values in the referenced table's keys,
passed at run time as suite parameters) and value domains. The tables are
read into pandas (they are small: one row per figure) and validated through
the same Great Expectations runner as the per-report suites.

DuckDB enforces the primary keys on load; these checks also catch what it
does not (references, domains) and a warehouse built by other means.

The key and reference expectations are not written by hand: they follow from
the DDL (:mod:`jixiao.schema`) through :func:`derived_expectations`, and
``tools/make_warehouse_suites.py`` writes them into the suites (a new table
gets its suite from its DDL file alone); only the domains are hand-written.
A test keeps the suites and the DDL from drifting apart.

An ingest checks only what it wrote (``report_ids``: the reports it loaded):
the tables of report rows are read for those reports alone, the others (the
dimensions, ``source_status``) whole. Every key of a report table starts
with ``report_id``, so the run's rows cannot repeat an older report's key;
what older rows could still break, a reference to a dimension row that is
gone, is counted in SQL over the whole table (:func:`older_references`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from jixiao import schema
from jixiao.model import CheckResult
from jixiao.reference import measures
from jixiao.validate.frames import ROW_ID

SAMPLE = 5  # offending values shown per check
DERIVED_CHECKS = ("key_unique", "key_not_null", "references")


def _parameter(column: str) -> str:
    """The suite parameter holding a referenced key's values (``report_ids``)."""
    return f"{column}s"


def reference_sets() -> dict[str, str]:
    """Suite parameter → the query that gives its value set, for every reference target."""
    targets = {t for table in schema.tables().values() for t in table.references().values()}
    return {_parameter(t[1]): f"select {t[1]} from {t[0]}" for t in sorted(targets)}


def _expectation(kind: str, kwargs: dict, check: str, subject: str, expected: str) -> dict:
    meta = {"check_name": check, "subject": subject, "expected": expected}
    return {"type": kind, "kwargs": kwargs, "severity": "critical", "meta": meta}


def derived_expectations(table: schema.Table) -> list[dict]:
    """A table's key uniqueness, keys not NULL and references, as suite expectations."""
    name, key = table.name, list(table.key)
    out = []
    if key:
        subject = f"{name} ({', '.join(key)})"
        if len(key) == 1:
            kind, kwargs = "expect_column_values_to_be_unique", {"column": key[0]}
        else:
            kind, kwargs = "expect_compound_columns_to_be_unique", {"column_list": key}
        out.append(_expectation(kind, kwargs, "key_unique", subject, "no duplicate key"))
    for column in key:
        out.append(
            _expectation(
                "expect_column_values_to_not_be_null", {"column": column},
                "key_not_null", f"{name}.{column}", "no NULL",
            )
        )  # fmt: skip
    for column, (target, target_column) in table.references().items():
        where = f"{target}.{target_column}"
        out.append(
            _expectation(
                "expect_column_values_to_be_in_set",
                {"column": column, "value_set": {"$PARAMETER": _parameter(target_column)}},
                "references", f"{name}.{column} → {where}", f"every value in {where}",
            )
        )  # fmt: skip
    return out


def warehouse_suite(table: schema.Table, suite: dict | None = None) -> dict:
    """The suite of ``table``: the expectations derived from the DDL first, then the
    hand-written ones of ``suite`` (the existing file, if any) as they are."""
    suite = suite or {
        "name": f"warehouse_{table.name}",
        "meta": {
            "scope": "warehouse",
            "table": table.name,
            "notes": (
                f"Key uniqueness, references and domains of the loaded {table.name} table "
                "(jixiao.validate.validate_warehouse). References take their value sets "
                "from the warehouse at run time ($PARAMETER)."
            ),
        },
        "expectations": [],
    }
    own = [e for e in suite["expectations"] if e["meta"]["check_name"] not in DERIVED_CHECKS]
    return {**suite, "expectations": derived_expectations(table) + own}


def warehouse_suites(runner: Any) -> dict[str, str]:
    """Suite name → warehouse table, for every warehouse-scope suite."""
    out = {}
    for name in runner.suite_names:
        meta = runner.suite_meta(name)
        if meta.get("scope") == "warehouse":
            out[name] = meta["table"]
    return out


# Tables with report rows that are not checked per run (one row per source, any run).
WHOLE_TABLES = {"source_status"}
RUN_REPORTS = "jixiao_run_reports"  # temp table: the report ids this run loaded


def _per_run(con: Any, table: str) -> bool:
    """Whether the table's rows belong to reports (checked per run)."""
    if table in WHOLE_TABLES:
        return False
    columns = {r[0] for r in con.execute(f"describe {table}").fetchall()}
    return "report_id" in columns


def _frame(con: Any, table: str, per_run: bool = False) -> pd.DataFrame:
    if per_run:
        df = con.execute(
            f"select * from {table} where report_id in (select report_id from {RUN_REPORTS})"
        ).df()
    else:
        df = con.execute(f"select * from {table}").df()
    df.insert(0, ROW_ID, range(len(df)))
    return df


def older_references(
    con: Any, runner: Any, suite: str, table: str, parameters: dict[str, list]
) -> list[CheckResult]:
    """The suite's references (a column's values in a ``$PARAMETER`` set of keys) on the
    rows this run did not load, counted in SQL; one failing check per broken reference."""
    out = []
    for expectation in runner._definitions[suite].suite.expectations:
        config = expectation.configuration
        value_set = config.kwargs.get("value_set")
        if config.type != "expect_column_values_to_be_in_set" or not isinstance(value_set, dict):
            continue
        keys = parameters.get(value_set.get("$PARAMETER"))
        if keys is None:
            continue
        column = config.kwargs["column"]
        bad = con.execute(
            f"""
            select count(*), list(distinct {column}::varchar)[1:{SAMPLE}] from {table}
            where report_id not in (select report_id from {RUN_REPORTS})
              and {column} is not null and {column} not in (select unnest($keys))
            """,
            {"keys": keys},
        ).fetchone()
        if bad[0]:
            meta = config.meta or {}
            check = meta.get("check_name") or config.type
            subject = meta.get("subject") or column
            out.append(
                CheckResult(check, subject, "error", False, f"{bad[0]} older rows",
                            meta.get("expected"),
                            f"{subject}: {bad[0]} rows loaded by earlier runs fail "
                            f"({meta.get('expected')}): {_shown(bad[1])}")
            )  # fmt: skip
    return out


def _shown(values: list[Any]) -> str:
    def one(v: Any) -> str:
        if isinstance(v, dict):
            return "(" + ", ".join(str(x) for x in v.values()) + ")"
        return str(v)

    head = ", ".join(one(v) for v in values[:SAMPLE])
    return head + (f", … ({len(values)} in all)" if len(values) > SAMPLE else "")


def results_to_checks(suite_result: Any) -> list[CheckResult]:
    """One CheckResult per expectation of a warehouse suite, worded from its meta."""
    out = []
    for res in suite_result.results:
        config = res.expectation_config
        meta = config.meta or {}
        check = meta.get("check_name") or config.type
        subject = meta.get("subject") or config.kwargs.get("column", "(table)")
        severity = "warning" if str(getattr(config.severity, "value", "")) == "warning" else "error"
        result = res.result or {}
        info = res.exception_info or {}
        raised = [
            e for e in [info, *(v for v in info.values() if isinstance(v, dict))]
            if isinstance(e, dict) and e.get("raised_exception")
        ]  # fmt: skip
        if raised:
            message = str(raised[0].get("exception_message") or "unknown error").splitlines()[0]
            out.append(
                CheckResult(check, subject, severity, False, None, meta.get("expected"),
                            f"{subject}: the check could not run: {message}")
            )  # fmt: skip
            continue
        n_bad = int(result.get("unexpected_count") or 0)
        n = int(result.get("element_count") or 0)
        if res.success:
            observed = f"{n} rows"
            detail = f"{subject}: all {n} rows pass ({meta.get('expected', config.type)})"
        else:
            values = result.get("unexpected_list") or result.get("partial_unexpected_list") or []
            observed = f"{n_bad} of {n} rows: {_shown(values)}"
            detail = (
                f"{subject}: {n_bad} of {n} rows fail ({meta.get('expected')}): {_shown(values)}"
            )
        out.append(
            CheckResult(check, subject, severity, bool(res.success), observed,
                        meta.get("expected"), detail)
        )  # fmt: skip
    return out


def validate_warehouse(
    db_path: str | Path,
    *,
    con: Any = None,
    expectations_dir: str | Path | None = None,
    runner: Any = None,
    run_name: str | None = None,
    report_ids: set[str] | list[str] | None = None,
) -> list[CheckResult]:
    """Run every warehouse suite on the loaded contract tables.

    Args:
        db_path: the DuckDB warehouse (opened read-only unless ``con`` is given).
        con: an open connection to use instead (e.g. the loader's own).
        expectations_dir: where the suites are (default ``<repo>/expectations``).
        runner: a :class:`GXRunner` to use (Data Docs pass their own).
        run_name: names the run in Data Docs.
        report_ids: check only these reports' rows of the report tables (an ingest's
            own: every key of a report table starts with ``report_id``, so they cannot
            repeat an older report's key), and count in SQL the older rows whose
            reference broke (:func:`older_references`); None: every row.

    Returns:
        Every check, passed or not; subjects name the table and columns.
    """
    import duckdb

    from jixiao.validate.gx_runner import get_runner

    runner = runner or get_runner(expectations_dir)
    own = con is None
    if own:
        con = duckdb.connect(str(db_path), read_only=True)
    try:
        parameters = {
            name: [r[0] for r in con.execute(query).fetchall()]
            for name, query in reference_sets().items()
        }
        parameters["measures"] = list(measures())  # the domain of fact_budget.measure
        out: list[CheckResult] = []
        if report_ids is not None:
            con.execute(f"create or replace temp table {RUN_REPORTS} (report_id varchar)")
            con.execute(
                f"insert into {RUN_REPORTS} select unnest(?::varchar[])", [sorted(report_ids)]
            )
        for suite, table in warehouse_suites(runner).items():
            per_run = report_ids is not None and _per_run(con, table)
            frame = _frame(con, table, per_run)
            result = runner.run(suite, frame, [], parameters=parameters, run_name=run_name)
            out += results_to_checks(result)
            if per_run:
                out += older_references(con, runner, suite, table, parameters)
        return out
    finally:
        if report_ids is not None:
            con.execute(f"drop table if exists {RUN_REPORTS}")
        if own:
            con.close()
