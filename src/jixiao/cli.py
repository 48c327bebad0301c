"""The ``jixiao`` command: ingest, compare, sql, export, checks, report.

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

    p = sub.add_parser("report", help="one self-contained HTML page of charts for a year")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--district", help="a district to follow: 行政区划代码 or name, e.g. 番禺区")
    p.add_argument("--out", help="the HTML file to write (default report-YEAR.html)")
    p.add_argument("--db", dest="db_sub", help=argparse.SUPPRESS)

    p = sub.add_parser("checks", help="validation verdicts")
    p.add_argument("--report", help="a source id or report id (prefix)")
    p.add_argument("--failed", action="store_true", help="only failed checks")
    p.add_argument("--severity", choices=["error", "warning"], help="only this severity")
    p.add_argument(
        "--warehouse", action="store_true", help="also check keys and references of all tables"
    )
    p.add_argument("--db", dest="db_sub", help=argparse.SUPPRESS)

    p = sub.add_parser("discover", help="find a year's self-evaluation reports on a gkmlpt site")
    p.add_argument("--site", required=True, help="site root, e.g. http://www.hp.gov.cn")
    p.add_argument("--year", type=int, required=True, help="fiscal year evaluated")
    p.add_argument("--out", help="manifest to write or append to (default: print)")
    p.add_argument("--district-code", help="6-digit 行政区划代码 (default: from the site name)")
    p.add_argument("--max-pages", type=int, default=20, help="pages per category (default 20)")

    p = sub.add_parser("serve", help="serve the yearly ingest on a Prefect server (cron)")
    p.add_argument("--name", default="yearly-served", help="deployment name")
    p.add_argument("--cron", help="cron schedule (default: 06:00 on 1 September)")
    p.add_argument("--timezone", help="time zone of the cron (default Asia/Shanghai)")
    p.add_argument("--sources", nargs="+", help="manifests (default: all of sources/)")
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
    from jixiao.load.publish import WarehouseBusy
    from jixiao.load.warehouse import IntegrityError
    from jixiao.summary import print_run_summary

    try:
        outcomes = ingest_flow(sources=args.sources, db=db, year=args.year, only=args.only)
    except (IntegrityError, WarehouseBusy) as e:
        print(f"jixiao ingest: {e}; the published warehouse is unchanged", file=sys.stderr)
        return 2
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


def cmd_report(args, db: str) -> int:
    """Write the year's HTML report (charts, their numbers, links to each source page)."""
    from jixiao.report import ReportError, build_report

    try:
        out = build_report(db, args.year, args.out or f"report-{args.year}.html", args.district)
    except ReportError as e:
        print(f"jixiao report: {e}", file=sys.stderr)
        return 2
    print(f"{out}: report of {args.year}" + (f" for {args.district}" if args.district else ""))
    return 0


def cmd_checks(args, db: str) -> int:
    """Each report's verdict (status and why), then its checks; exit 1 if a report is invalid."""
    from jixiao.summary import print_frame

    with _read_only(db) as con:
        params = {"report": args.report}
        reports = con.execute(
            """
            select r.source_id, r.report_id, r.status, r.status_reason,
                   count(*) filter (where c.severity = 'error' and not c.passed) as errors,
                   count(*) filter (where c.severity = 'warning' and not c.passed) as warnings,
                   count(*) filter (where c.passed) as passed
            from dim_report r left join check_result c using (report_id)
            where ($report is null or r.source_id = $report or r.report_id like $report || '%')
            group by all order by r.source_id
            """,
            params,
        ).df()
        checks = con.execute(
            """
            select r.source_id as report, c.check_name as "check", c.severity,
                   case when c.passed then '✔' else '✘' end as ok,
                   c.subject, c.observed, c.expected, c.detail
            from check_result c join dim_report r using (report_id)
            where ($report is null or r.source_id = $report or r.report_id like $report || '%')
              and (not $failed or not c.passed)
              and ($severity is null or c.severity = $severity)
            order by r.source_id, c.passed, c.severity, c.check_name, c.subject
            """,
            {**params, "failed": args.failed, "severity": args.severity},
        ).df()
    if reports.empty:
        print(f"jixiao checks: no report matches {args.report!r}", file=sys.stderr)
        return 2
    reports["report_id"] = reports["report_id"].str[:12]
    reports["status_reason"] = reports["status_reason"].fillna("")
    print_frame(reports, title="verdict per report (errors and warnings that failed)")
    what = "failed checks" if args.failed else "check results"
    print_frame(checks, title=f"{what} ({len(checks)})")
    if args.warehouse:
        import pandas as pd

        from jixiao.validate import validate_warehouse

        results = validate_warehouse(db)
        rows = [
            {"check": c.check_name, "ok": "✔" if c.passed else "✘", "subject": c.subject,
             "observed": c.observed, "expected": c.expected}
            for c in results
            if not (args.failed and c.passed)
        ]  # fmt: skip
        n_bad = sum(not c.passed for c in results)
        title = f"warehouse: keys, references, domains ({n_bad} of {len(results)} fail)"
        if rows:
            print_frame(pd.DataFrame(rows), title=title)
        else:
            print(title)
    return 1 if (reports["status"] == "invalid").any() else 0


def cmd_discover(args, db: str) -> int:
    from jixiao.errors import FetchError
    from jixiao.fetch import SafeClient
    from jixiao.fetch.discover import discover, write_manifest

    command = f"jixiao discover --site {args.site} --year {args.year}"
    try:
        with SafeClient() as client:
            found = discover(
                args.site,
                args.year,
                client,
                district_code=args.district_code,
                max_pages=args.max_pages,
            )
    except FetchError as e:
        print(f"jixiao discover: {e.error_class}: {e}", file=sys.stderr)
        return 2
    out = Path(args.out) if args.out else None
    text, n = write_manifest(found, out, command)
    if out is None:
        print(text, end="")
    print(
        f"{len(found.found)} report(s) of {args.year} found on {found.site}, {n} new"
        + (f", written to {out} for review" if out and n else ""),
        file=sys.stderr,
    )
    return 0 if found.found else 1


def cmd_serve(args, db: str) -> int:
    _quiet_prefect()
    from prefect.schedules import Cron
    from prefect.settings import PREFECT_API_URL

    from flows.yearly import TIMEZONE, YEARLY_CRON, yearly_ingest_flow

    if not PREFECT_API_URL.value():
        print(
            "jixiao serve: cron schedules only fire on a real Prefect server: run "
            "`prefect server start`, then export PREFECT_API_URL=http://127.0.0.1:4200/api "
            "(see docs/schedule.md)",
            file=sys.stderr,
        )
        return 2
    parameters = {"db": db, **({"sources": args.sources} if args.sources else {})}
    yearly_ingest_flow.serve(
        name=args.name,
        schedules=[Cron(args.cron or YEARLY_CRON, timezone=args.timezone or TIMEZONE)],
        parameters=parameters,
    )
    return 0


COMMANDS = {
    "discover": cmd_discover,
    "serve": cmd_serve,
    "ingest": cmd_ingest,
    "compare": cmd_compare,
    "sql": cmd_sql,
    "export": cmd_export,
    "checks": cmd_checks,
    "report": cmd_report,
}


if __name__ == "__main__":
    sys.exit(main())
