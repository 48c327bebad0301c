"""Terminal output: tables of results and the ingest run summary.

Every value is printed as text, never as Rich markup: ``a[b]c`` prints ``a[b]c``.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pandas as pd
from rich.console import Console
from rich.table import Table
from rich.text import Text

from jixiao.load import warehouse

console = Console(width=200)
# numbers as text: 94.2, 46.38*, 99.5%, 22/25 (score/weight) are right-aligned too
_NUMBER = re.compile(r"^(-?\d+(\.\d+)?[*%]?(/\d+(\.\d+)?)?)?$")


def print_frame(
    df: pd.DataFrame,
    title: str | None = None,
    *,
    right: set[str] | None = None,
    to: Console | None = None,
) -> None:
    """Print a DataFrame as a table, numbers right-aligned, NULLs blank.

    Args:
        right: columns to right-align besides the numeric ones (numbers shown as text).
        to: the console to print on (default: standard output, 200 columns).
    """
    table = Table(title=Text(title) if title else None, show_lines=False)
    for col in df.columns:
        values = df[col].dropna()
        numeric = pd.api.types.is_numeric_dtype(df[col]) or (
            len(values) > 0
            and all(isinstance(v, Decimal | int | float) or _NUMBER.match(str(v)) for v in values)
            and any(str(v) for v in values)
        )
        justify = "right" if numeric or col in (right or set()) else "left"
        table.add_column(Text(str(col)), justify=justify, overflow="fold")
    for row in df.itertuples(index=False):
        table.add_row(*[Text("" if _is_null(v) else str(v)) for v in row])
    (to or console).print(table)


def _is_null(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def run_summary(db: str, outcomes: list) -> pd.DataFrame:
    """One row per source of this run: district, year, kind, total, status, failing checks."""
    con = warehouse.connect(db, read_only=True)
    try:
        # one query for the whole run (one per report took ~6 ms each: 6 s at 1,000)
        ids = sorted({o.report_id for o in outcomes if o.report_id})
        found = {
            r[0]: r[1:]
            for r in con.execute(
                """
                select r.report_id, d.district, r.year, r.doc_kind, r.status, r.grade,
                       (select score from fact_indicator_score f
                         where f.report_id = r.report_id and f.indicator_code = '0') as total,
                       (select string_agg(c.check_name || ' ' || c.subject, '; ')
                          from check_result c
                         where c.report_id = r.report_id and not c.passed
                           and c.severity = 'error') as errors,
                       (select count(*) || coalesce(': ' || string_agg(
                                   c.check_name || ' ' || c.subject, '; '
                                   order by c.check_name, c.subject), '')
                          from check_result c
                         where c.report_id = r.report_id and not c.passed
                           and c.severity = 'warning') as warnings,
                       r.status_reason
                from dim_report r join dim_district d using (district_code)
                where r.report_id in (select unnest($ids))
                """,
                {"ids": ids},
            ).fetchall()
        }
        rows = []
        for o in outcomes:
            info = found.get(o.report_id) if o.report_id else None
            if info:
                district, year, kind, status, grade, total, errs, warns, reason = info
                # the verdict's reason words each failing error (check, subject, difference)
                failing = reason if status in ("unparsed", "invalid") and reason else errs
                rows.append(
                    {
                        "source": o.source_id,
                        "district": district,
                        "year": year,
                        "kind": kind or "",
                        "total": "" if total is None else f"{float(total):g}",
                        "grade": grade or "",
                        "run": o.status,
                        "status": status,
                        "failing checks": failing or "",
                        "warnings": warns,
                    }
                )
            else:
                s = o.source
                rows.append(
                    {
                        "source": o.source_id,
                        "district": s.district.district if s else "",
                        "year": s.year if s else "",
                        "kind": "",
                        "total": "",
                        "grade": "",
                        "run": o.status,
                        "status": f"{o.stage} failed",
                        "failing checks": f"{o.error_class}: {o.message}",
                        "warnings": "0",
                    }
                )
        return pd.DataFrame(rows)
    finally:
        con.close()


def print_run_summary(db: str, outcomes: list) -> int:
    """Print the run summary; return the exit code (1 when anything failed or is invalid)."""
    if not outcomes:  # e.g. a manifest with no entries
        console.print(f"no sources ran; warehouse: {db}", markup=False)
        return 0
    df = run_summary(db, outcomes)
    print_frame(df, title="jixiao ingest: summary")
    bad = df[(df["run"] == "failed") | (df["status"] != "valid")]
    loaded = int((df["run"] == "loaded").sum())
    unchanged = int((df["run"] == "unchanged").sum())
    console.print(
        f"{loaded} loaded, {unchanged} unchanged, {len(bad)} failed or invalid "
        f"of {len(df)} sources; warehouse: {db}",
        markup=False,
    )
    return 1 if len(bad) else 0
