"""The ``jixiao`` command: ingest, compare, sql, export, checks, report.

Exit codes: 0 everything loaded and valid; 1 some source failed, is unparsed
or invalid (the summary says which and why); 2 a usage or database error,
told in one line on stderr before any flow starts.
"""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import contextmanager
from pathlib import Path

from jixiao import paths

FORMATS = ("table", "csv", "json", "xlsx", "parquet")


class UsageError(Exception):
    """A command line that cannot run as given: one line on stderr, exit code 2."""


class _Parser(argparse.ArgumentParser):
    """argparse whose errors are one line (``jixiao compare: error: ...``), exit 2."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _add_output(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=FORMATS, default="table", help="output format")
    p.add_argument("--out", help="write to this file (needed for xlsx and parquet)")


def _quiet_prefect() -> None:
    """Offline, quiet Prefect in the working directory unless the user configured otherwise."""
    os.environ.setdefault("PREFECT_HOME", str(paths.HOME / ".prefect"))
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO")


def main(argv: list[str] | None = None) -> int:
    from jixiao import __version__

    parser = _Parser(prog="jixiao", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"jixiao {__version__}")
    parser.add_argument("--db", default=str(paths.DEFAULT_DB), help="warehouse file")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("ingest", help="run the ingest flow on manifests")
    p.add_argument("--sources", nargs="+", default=[str(paths.DEFAULT_SOURCES)])
    p.add_argument("--year", type=int)
    p.add_argument("--only", nargs="+", metavar="ID")
    p.add_argument(
        "--force", action="store_true", help="extract every source again, even unchanged ones"
    )
    p.add_argument("--db", dest="db_sub", help=argparse.SUPPRESS)

    p = sub.add_parser("compare", help="districts ranked side by side for one year")
    p.add_argument("--year", type=int, required=True)
    p.add_argument(
        "--level",
        type=int,
        help="indicator level shown (default 1; 0 when the reports use several frameworks)",
    )
    p.add_argument("--indicator", help="an indicator and its parts, e.g. 管理效率 (aliases too)")
    p.add_argument("--province", help="province name or code prefix, e.g. 广东 or 44")
    p.add_argument("--city", help="city name or code prefix, e.g. 广州 or 4401")
    p.add_argument("--top", type=int, metavar="N", help="only the first N districts")
    p.add_argument("--all", action="store_true", help="include invalid reports")
    p.add_argument(
        "--framework", help="only reports of this indicator framework, e.g. guangdong, mof-dept"
    )
    p.add_argument(
        "--across-frameworks",
        action="store_true",
        help="show levels below the total even when the reports use several frameworks",
    )
    _add_output(p)
    p.add_argument("--db", dest="db_sub", help=argparse.SUPPRESS)

    p = sub.add_parser("sql", help="read-only SQL on the warehouse")
    p.add_argument("query")
    _add_output(p)
    p.add_argument("--db", dest="db_sub", help=argparse.SUPPRESS)

    p = sub.add_parser("export", help="curated parquet by year, or one Excel workbook")
    p.add_argument(
        "--format", choices=("parquet", "xlsx"), default="parquet", help="(default parquet)"
    )
    p.add_argument("--out", help=f"folder (parquet, default {paths.CURATED}) or .xlsx file")
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
    _add_output(p)
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
    from jixiao.export.formats import OutputError

    try:
        return COMMANDS[args.command](args, db)
    except (DatabaseMissing, UsageError, OutputError) as e:
        print(f"jixiao {args.command}: {e}", file=sys.stderr)
        return 2


class DatabaseMissing(Exception):
    pass


def _output(args, df, *, title: str | None = None, sheet: str = "data") -> None:
    from jixiao.export.formats import write_frame

    write_frame(df, args.format, args.out, title=title, sheet=sheet)


def _check_output(args) -> None:
    """Refuse a binary format to the terminal before any work is done."""
    if getattr(args, "format", "table") in ("xlsx", "parquet") and not args.out:
        raise UsageError(f"--format {args.format} writes a file: give --out FILE")


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


def _check_sources(args) -> None:
    """The manifests exist and parse, and ``--year`` / ``--only`` select something.

    Entries with a bad field are not a usage error: they are reported per
    source in the run summary while the others run.
    """
    from jixiao.ingest import read_sources
    from jixiao.manifest import load_manifest

    every = []
    for manifest in args.sources:
        if not Path(manifest).is_file():
            raise UsageError(f"no manifest at {manifest}")
        entries, errors = load_manifest(manifest)
        unreadable = [e for e in errors if e.source_id == "*"]
        if unreadable:
            message = " ".join(unreadable[0].message.split())
            raise UsageError(f"{manifest}: {message}")
        every += entries
    if args.only:
        unknown = sorted(set(args.only) - {s.id for s in every})
        if unknown:
            raise UsageError(f"--only: no manifest entry with id {', '.join(unknown)}")
    selected, _ = read_sources(args.sources, args.year, args.only)
    if every and not selected:
        years = ", ".join(str(y) for y in sorted({s.year for s in every}))
        raise UsageError(
            f"no manifest entry of {args.year} selected; years in the manifests: {years}"
        )


def cmd_ingest(args, db: str) -> int:
    _check_sources(args)
    _quiet_prefect()
    from jixiao.load.publish import WarehouseBusy
    from jixiao.load.warehouse import IntegrityError
    from jixiao.summary import print_run_summary
    from jixiao_flows.ingest import ingest_flow

    try:
        outcomes = ingest_flow(
            sources=args.sources, db=db, year=args.year, only=args.only, force=args.force
        )
    except (IntegrityError, WarehouseBusy) as e:
        print(f"jixiao ingest: {e}; the published warehouse is unchanged", file=sys.stderr)
        return 2
    return print_run_summary(db, outcomes)


def cmd_compare(args, db: str) -> int:
    from jixiao.compare import CompareError, compare

    _check_output(args)
    with _read_only(db) as con:
        try:
            result = compare(
                con,
                args.year,
                level=args.level,
                indicator=args.indicator,
                province=args.province,
                city=args.city,
                top=args.top,
                include_invalid=args.all,
                framework=args.framework,
                across_frameworks=args.across_frameworks,
            )
        except CompareError as e:
            print(f"jixiao compare: {e}", file=sys.stderr)
            return 1
    if result.note:
        print(f"jixiao compare: {result.note}", file=sys.stderr)
    if args.format == "table":
        n = len(result.table)
        frameworks = result.table["framework"].dropna().unique()
        named = f"; framework {frameworks[0]}" if len(frameworks) == 1 else ""
        title = (
            f"{args.year}: {n} report{'s' if n != 1 else ''} ranked by {result.ranked_by}"
            f"{named} (* = derived from its parts)"
        )
        _output(args, result.display(), title=title)
    else:
        _output(args, result.numbers(), sheet=f"compare {args.year}")
    return 0


def cmd_sql(args, db: str) -> int:
    import duckdb
    import pandas as pd

    _check_output(args)
    with _read_only(db) as con:
        try:
            cursor = con.execute(args.query)
            columns = [d[0] for d in cursor.description or []]
            rows = cursor.fetchall()
        except duckdb.Error as e:
            print(f"jixiao sql: {e}", file=sys.stderr)
            return 2
    # fetchall keeps DECIMALs exact (a DataFrame would turn them into floats)
    _output(args, pd.DataFrame(rows, columns=columns, dtype=object), sheet="sql")
    return 0


def cmd_export(args, db: str) -> int:
    if not Path(db).exists():
        raise DatabaseMissing(f"no warehouse at {db}: run `jixiao ingest` first")
    if args.format == "xlsx":
        from jixiao.export.workbook import export_workbook

        out = args.out or str(paths.CURATED / "jixiao.xlsx")
        if not out.endswith(".xlsx"):
            raise UsageError(f"--format xlsx writes one workbook: --out must end in .xlsx: {out}")
        counts = export_workbook(db, out)
        for name, n in counts.items():
            print(f"{out} [{name}]: {n} rows")
        return 0
    _quiet_prefect()
    from jixiao_flows.export import export_flow

    out = args.out or str(paths.CURATED)
    counts = export_flow(db=db, out=out)
    for name, n in counts.items():
        print(f"{out}/{name}: {n} rows")
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
    """Each report's verdict (status and why), then its checks; exit 1 if a report is invalid.

    With ``--format`` other than table, the check results alone (one row per check).
    """
    from jixiao.summary import print_frame

    _check_output(args)
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
    if args.format != "table":
        _output(args, checks, sheet="checks")
        return 1 if (reports["status"] == "invalid").any() else 0
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

    from jixiao_flows.yearly import TIMEZONE, YEARLY_CRON, yearly_ingest_flow

    if args.timezone:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(args.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise UsageError(f"--timezone {args.timezone!r}: not a time zone name") from None
    try:
        schedule = Cron(args.cron or YEARLY_CRON, timezone=args.timezone or TIMEZONE)
    except ValueError as e:
        reason = str(e).splitlines()[0]
        given = " ".join(
            f"--{k} {v!r}" for k, v in (("cron", args.cron), ("timezone", args.timezone)) if v
        )
        raise UsageError(f"{given}: {reason} (a cron has five fields, e.g. '0 6 1 9 *')") from None
    if args.sources:
        _check_sources(argparse.Namespace(sources=args.sources, year=None, only=None))

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
        schedules=[schedule],
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
