"""The DuckDB warehouse: schema from ``sql/``, one transaction per report.

Loading a report replaces every row of that report and of any earlier version
of the same source, inside one transaction: a re-run never duplicates, and a
failure leaves the previous version in place. ``load_reports`` writes many
reports in one transaction with one insert per table (the same rows as
``load_report`` one by one, about thirty times faster at a thousand reports);
when the database refuses any of them, nothing of the batch is written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa

from jixiao import paths, schema
from jixiao.model import CheckResult, ReportRecord
from jixiao.reference import department_kinds, districts
from jixiao.reference.framework import framework_of_code, frameworks
from jixiao.reference.indicators import all_indicators

REPORT_TABLES = (
    "fact_indicator_score",
    "fact_budget",
    "fact_project",
    "fact_project_indicator",
    "check_result",
    "table_lineage",
)


def connect(db_path: str | Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the warehouse; a writable connection also creates the schema."""
    db_path = Path(db_path)
    if read_only:
        return duckdb.connect(str(db_path), read_only=True)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(db_path))
    ensure_schema(con)
    return con


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the contract tables (``sql/ddl``) and views (``sql/views``), in file order,
    then give view columns the comments they inherit (:func:`inherit_view_comments`)."""
    for folder in ("ddl", "views"):
        for sql_file in sorted((paths.SQL / folder).glob("*.sql")):
            con.execute(sql_file.read_text(encoding="utf-8"))
    inherit_view_comments(con)


_READS_FROM = re.compile(r"\b(?:from|join)\s+(\w+)", re.IGNORECASE)


def inherit_view_comments(con: duckdb.DuckDBPyConnection) -> None:
    """Comment each uncommented view column like the same-named column it comes from.

    A view column whose ``sql/views`` file gives it no ``comment on`` of its own
    takes the comment of the column of that name in the first table or view the
    view reads from (``from`` / ``join``, in the order written) that has one:
    ``v_scores`` (``select * from v_scores_all``) declares only what differs.
    """
    relations = {
        r[0]
        for r in con.execute(
            "select table_name from duckdb_tables() where not internal"
            " union select view_name from duckdb_views() where not internal"
        ).fetchall()
    }
    comments: dict[tuple[str, str], str | None] = {
        (t, c): comment
        for t, c, comment in con.execute(
            "select table_name, column_name, comment from duckdb_columns() where not internal"
        ).fetchall()
    }
    views = con.execute(
        "select view_name, sql from duckdb_views() where not internal order by view_oid"
    ).fetchall()
    for view, sql in views:
        sources = [n for n in _READS_FROM.findall(sql) if n in relations and n != view]
        for (table, column), comment in list(comments.items()):
            if table != view or comment:
                continue
            inherited = next(
                (comments.get((s, column)) for s in sources if comments.get((s, column))), None
            )
            if inherited:
                quoted = inherited.replace("'", "''")
                con.execute(f"comment on column {view}.{column} is '{quoted}'")
                comments[(view, column)] = inherited


def load_dimensions(con: duckdb.DuckDBPyConnection) -> None:
    """Upsert the reference dimensions: districts, departments, frameworks, their indicators.

    Rows are added or replaced by key, never deleted: a dimension row a
    report refers to stays.
    """
    rows = {
        "dim_district": [
            {"district_code": d.code, "province": d.province, "city": d.city}
            | {"district": d.district}
            for d in districts().values()
        ],
        "dim_department": [
            {"department_code": k.code, "department_kind": k.kind} for k in department_kinds()
        ],
        "dim_framework": [
            {
                "framework_code": fw.code,
                "name": fw.name,
                "scope": fw.scope,
                "region": fw.region,
                "definition": fw.definition,
            }
            for fw in frameworks().values()
        ],
        "dim_indicator": [
            {
                "indicator_code": i.code,
                "framework_code": i.framework_code,
                "name": i.name,
                "level": i.level,
                "parent_code": i.parent,
                "path": i.path,
                "standard_weight": i.weight,
                "is_canonical": True,
            }
            for i in all_indicators().indicators
        ],
    }
    con.execute("begin transaction")
    try:
        for table, table_rows in rows.items():
            # districts and departments never change; the dictionaries may
            fixed = table in ("dim_district", "dim_department")
            verb = "insert or ignore" if fixed else "insert or replace"
            _insert(con, table, table_rows, verb=verb)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def load_report(con: duckdb.DuckDBPyConnection, report: ReportRecord) -> None:
    """Write one report and all its facts in one transaction, replacing earlier rows.

    Rows of the same report id and of earlier versions of the same source are
    deleted first; unmapped indicators it uses are added to ``dim_indicator``.
    """
    load_reports(con, [report])


def load_reports(con: duckdb.DuckDBPyConnection, reports: list[ReportRecord]) -> None:
    """Write several reports in one transaction: the rows ``load_report`` writes for each.

    Rows of these report ids and of earlier versions of their sources are
    deleted first. The reports must have distinct report ids and distinct
    source ids (loaded one by one, a later one would replace an earlier one).

    Raises:
        ValueError: two reports share a report id or a source id.
        duckdb.Error: the database refused a row; the transaction is rolled
            back and nothing of the batch is written.
    """
    if not reports:
        return
    report_ids = [r.report_id for r in reports]
    source_ids = [r.source.id for r in reports]
    if len(set(report_ids)) < len(reports) or len(set(source_ids)) < len(reports):
        raise ValueError("a batch must not repeat a report id or a source id")
    con.execute("begin transaction")
    try:
        old_ids = [
            r[0]
            for r in con.execute(
                "select report_id from dim_report where source_id in (select unnest(?::varchar[]))"
                " or report_id in (select unnest(?::varchar[]))",
                [source_ids, report_ids],
            ).fetchall()
        ]
        for table in (*REPORT_TABLES, "dim_report") if old_ids else ():
            con.execute(
                f"delete from {table} where report_id in (select unnest(?::varchar[]))",
                [old_ids],
            )
        years = sorted({r.source.year for r in reports})
        con.execute("insert or ignore into dim_year select unnest(?::integer[])", [years])
        _insert(con, "dim_department", _department_rows(reports), verb="insert or ignore")
        unmapped: dict[str, dict] = {}
        for report in reports:  # the first report to use a code names it, as one by one
            for row in _unmapped_indicators(con, report):
                unmapped.setdefault(row["indicator_code"], row)
        _insert(con, "dim_indicator", list(unmapped.values()), verb="insert or ignore")
        _insert(con, "dim_report", [r.dim_row() for r in reports])
        _insert(con, "fact_indicator_score", [row for r in reports for row in _score_rows(r)])
        _insert(con, "fact_budget", [row for r in reports for row in _budget_rows(r)])
        _insert(con, "fact_project", [row for r in reports for row in _project_rows(r)])
        _insert(
            con,
            "fact_project_indicator",
            [row for r in reports for row in _project_indicator_rows(r)],
        )
        _insert(
            con, "check_result", [row for r in reports for row in check_rows(r.report_id, r.checks)]
        )
        _insert(con, "table_lineage", [row for r in reports for row in r.lineage_rows()])
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def _department_rows(reports: list[ReportRecord]) -> list[dict]:
    """dim_department rows of the departments the dictionary lacks (loaded as printed)."""
    rows = {
        r.source.department_code: r.source.department_kind
        for r in reports
        if not r.source.department_known
    }
    return [{"department_code": c, "department_kind": k} for c, k in rows.items()]


def _report_keys(report: ReportRecord) -> dict:
    return {
        "district_code": report.source.district_code,
        "year": report.source.year,
        "department_code": report.source.department_code,
    }


def _score_rows(report: ReportRecord) -> list[dict]:
    keys = _report_keys(report)
    return [{**keys, **row} for row in report.score_rows()]


def _budget_rows(report: ReportRecord) -> list[dict]:
    keys = _report_keys(report)
    return [{**keys, **row} for row in report.budget_rows()]


def _project_rows(report: ReportRecord) -> list[dict]:
    keys = _report_keys(report)
    return [{**keys, **row} for row in report.project_rows()]


def _project_indicator_rows(report: ReportRecord) -> list[dict]:
    keys = _report_keys(report)
    return [{**keys, **row} for row in report.project_indicator_rows()]


class IntegrityError(Exception):
    """The built warehouse breaks a key or a reference: it must not be published."""


def record_source_statuses(con: duckdb.DuckDBPyConnection, rows: list[dict]) -> None:
    """Upsert the latest attempt at many sources in one statement (a later row for the
    same source wins, as one by one). Keys as ``record_source_status``'s arguments."""
    latest = {row["source_id"]: row for row in rows}
    if not latest:
        return
    now = _now()
    _insert(
        con,
        "source_status",
        [{**row, "attempted_at": now} for row in latest.values()],
        verb="insert or replace",
    )


def record_source_status(
    con: duckdb.DuckDBPyConnection,
    *,
    source_id: str,
    run_id: str,
    report_id: str | None,
    stage: str,
    status: str,
    error_class: str | None = None,
    message: str | None = None,
) -> None:
    """Upsert the latest attempt at one source."""
    con.execute(
        "insert or replace into source_status values (?, ?, ?, ?, ?, ?, ?, ?)",
        [source_id, run_id, report_id, stage, status, error_class, message, _now()],
    )


# What a manifest entry decides about a loaded report: a change to any of these
# (a corrected district code, year, department, a moved file or URL) loads it again.
ENTRY_FIELDS = ("source_id", "district_code", "year", "department_code", "source_url", "raw_path")


def loaded_entries(con: duckdb.DuckDBPyConnection) -> dict[str, dict]:
    """Report id → the extractor version and manifest fields it was loaded with."""
    rows = con.execute(
        f"select report_id, extractor_version, {', '.join(ENTRY_FIELDS)} from dim_report"
    ).fetchall()
    return {r[0]: dict(zip(("extractor_version", *ENTRY_FIELDS), r[1:], strict=True)) for r in rows}


def check_rows(report_id: str, checks: Iterable[CheckResult]) -> list[dict]:
    """Check results as rows, one per (check, subject): the last one wins."""
    rows = {}
    for c in checks:
        rows[(c.check_name, c.subject)] = {
            "report_id": report_id,
            "check_name": c.check_name,
            "subject": c.subject,
            "severity": c.severity,
            "passed": c.passed,
            "observed": c.observed,
            "expected": c.expected,
            "detail": c.detail,
        }
    return list(rows.values())


def _unmapped_indicators(con: duckdb.DuckDBPyConnection, report: ReportRecord) -> list[dict]:
    """Report-local indicators (printed names no framework lists), each under the framework
    its code names (``mof-project:2.1.x…``), else the framework of the form it is on."""
    owned = [(f, report.framework_code) for f in report.scores] + [
        (f, p.framework_code) for p in report.projects for f in p.scores
    ]
    return [
        {
            "indicator_code": f.indicator_code,
            "framework_code": framework_of_code(f.indicator_code)
            if ":" in f.indicator_code
            else owner,
            "name": f.canonical_name or f.printed_name or "(未命名)",
            "level": f.level,
            "parent_code": f.parent_code,
            "path": report.path_of(f),
            "standard_weight": None,
            "is_canonical": False,
        }
        for f, owner in owned
        if f.indicator_code and not all_indicators().by_code.get(f.indicator_code)
    ]


def _insert(
    con: duckdb.DuckDBPyConnection, table: str, rows: list[dict], verb: str = "insert"
) -> None:
    """Insert dict rows by column name, DECIMAL columns (from the DDL) as exact DECIMALs.

    Raises:
        ValueError: a row has a column the table's DDL does not declare.
    """
    if not rows:
        return
    columns = list(rows[0])
    first = rows[0].keys()
    if any(r.keys() != first for r in rows):  # rows of several reports: every key, in order
        columns = list(dict.fromkeys(k for r in rows for k in r))
    shape = schema.table(table)
    unknown = [c for c in columns if c not in shape.column_names]
    if unknown:
        raise ValueError(f"{table} has no column {', '.join(unknown)} (sql/ddl)")
    decimals = shape.decimals
    arrays = []
    for col in columns:
        values = [r.get(col) for r in rows]
        if col in decimals:
            precision, scale = decimals[col]
            quantum = Decimal(1).scaleb(-scale)
            values = [None if v is None else Decimal(v).quantize(quantum) for v in values]
            arrays.append(pa.array(values, type=pa.decimal128(precision, scale)))
        else:
            arrays.append(pa.array(values))
    batch = pa.table(arrays, names=columns)  # noqa: F841  (read by DuckDB below)
    con.execute(f"{verb} into {table} by name select * from batch")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)
