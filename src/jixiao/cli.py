"""The ``jixiao`` command: ingest, compare, sql, export, checks.

Exit codes: 0 everything loaded and valid; 1 some source failed, is unparsed
or invalid (the summary says which and why); 2 a usage or database error.
"""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import contextmanager
from pathlib import Path

from jixiao import paths

QUERIES = paths.SQL / "queries"


def _quiet_prefect() -> None:
    """Offline, quiet, repo-local Prefect unless the user configured otherwise."""
    os.environ.setdefault("PREFECT_HOME", str(paths.REPO / ".prefect"))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="jixiao", description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=str(paths.DEFAULT_DB), help="warehouse file")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="run the ingest flow on manifests")
    p.add_argument("--sources", nargs="+", default=[str(paths.DEFAULT_SOURCES)])
    p.add_argument("--year", type=int)
    p.add_argument("--only", nargs="+", metavar="ID")
    p.add_argument("--db", dest="db_sub", help=argparse.SUPPRESS)

    p = sub.add_parser("compare", help="districts side by side for one year")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--level", type=int, default=1, help="deepest indicator level (default 1)")
    p.add_argument("--indicator", help="one canonical indicator name, e.g. 管理效率")
    p.add_argument("--all", action="store_true", help="include invalid reports")
    p.add_argument("--db", dest="db_sub", help=argparse.SUPPRESS)

    p = sub.add_parser("sql", help="read-only SQL on the warehouse")
    p.add_argument("query")
    p.add_argument("--db", dest="db_sub", help=argparse.SUPPRESS)

    p = sub.add_parser("export", help="curated parquet, partitioned by year")
    p.add_argument("--out", default=str(paths.CURATED))
    p.add_argument("--db", dest="db_sub", help=argparse.SUPPRESS)

    p = sub.add_parser("checks", help="validation verdicts")
    p.add_argument("--report", help="a source id or report id (prefix)")
    p.add_argument("--failed", action="store_true", help="only failed checks")
    p.add_argument("--db", dest="db_sub", help=argparse.SUPPRESS)

    args = parser.parse_args(argv)
    db = getattr(args, "db_sub", None) or args.db
    try:
        return COMMANDS[args.command](args, db)
    except DatabaseMissing as e:
        print(f"jixiao: {e}", file=sys.stderr)
        return 2


class DatabaseMissing(Exception):
    pass


@contextmanager
def _read_only(db: str):
    """A read-only connection that cannot touch the file system, closed after use."""
    import duckdb

    if not Path(db).exists():
        raise DatabaseMissing(f"no warehouse at {db}: run `jixiao ingest` first")
    con = duckdb.connect(
        db,
        read_only=True,
        config={"enable_external_access": False, "lock_configuration": True},
    )
    try:
        yield con
    finally:
        con.close()


def cmd_ingest(args, db: str) -> int:
    _quiet_prefect()
    from flows.ingest import ingest_flow
    from jixiao.summary import print_run_summary

    outcomes = ingest_flow(sources=args.sources, db=db, year=args.year, only=args.only)
    return print_run_summary(db, outcomes)


def cmd_compare(args, db: str) -> int:
    from jixiao.summary import print_frame

    query = (QUERIES / "compare_districts.sql").read_text(encoding="utf-8")
    if args.all:
        query = query.replace("from v_scores\n", "from v_scores_all\n")
    with _read_only(db) as con:
        df = con.execute(
            query, {"year": args.year, "max_level": args.level, "indicator": args.indicator}
        ).df()
    if df.empty:
        print(f"no valid scores for {args.year}")
        return 1
    df["shown"] = [
        f"{s:g}{'*' if d else ''}" if s is not None and s == s else ""
        for s, d in zip(df["score"].astype(float), df["is_derived"], strict=True)
    ]
    wide = df.pivot_table(
        index=["indicator_code", "path"], columns="district", values="shown", aggfunc="first"
    ).fillna("")
    weights = df.groupby("indicator_code")["weight"].first().astype(float)
    wide.insert(0, "分值", [f"{weights.get(code, float('nan')):g}" for code, _ in wide.index])
    wide.index = [path for _, path in wide.index]
    wide.index.name = "indicator"
    print_frame(wide.reset_index(), title=f"{args.year}: scores by district (* = derived)")
    return 0


def cmd_sql(args, db: str) -> int:
    import duckdb
    import pandas as pd

    from jixiao.summary import print_frame

    with _read_only(db) as con:
        try:
            cursor = con.execute(args.query)
            columns = [d[0] for d in cursor.description or []]
            rows = cursor.fetchall()
        except duckdb.Error as e:
            print(f"jixiao sql: {e}", file=sys.stderr)
            return 2
    # fetchall keeps DECIMALs exact (a DataFrame would turn them into floats)
    print_frame(pd.DataFrame(rows, columns=columns, dtype=object))
    return 0


def cmd_export(args, db: str) -> int:
    _quiet_prefect()
    if not Path(db).exists():
        raise DatabaseMissing(f"no warehouse at {db}: run `jixiao ingest` first")
    from flows.export import export_flow

    counts = export_flow(db=db, out=args.out)
    for name, n in counts.items():
        print(f"{args.out}/{name}: {n} rows")
    return 0


def cmd_checks(args, db: str) -> int:
    from jixiao.summary import print_frame

    with _read_only(db) as con:
        df = con.execute(
            """
        select r.source_id, c.check_name, c.subject, c.severity, c.passed,
               c.observed, c.expected, c.detail
        from check_result c join dim_report r using (report_id)
        where ($report is null or r.source_id = $report or r.report_id like $report || '%')
          and (not $failed or not c.passed)
        order by r.source_id, c.passed, c.severity, c.check_name, c.subject
        """,
            {"report": args.report, "failed": args.failed},
        ).df()
    print_frame(df, title="check results")
    return 0


COMMANDS = {
    "ingest": cmd_ingest,
    "compare": cmd_compare,
    "sql": cmd_sql,
    "export": cmd_export,
    "checks": cmd_checks,
}


if __name__ == "__main__":
    sys.exit(main())
