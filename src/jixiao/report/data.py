"""What the report shows, read from the warehouse read-only through ``sql/queries/report_*.sql``.

One query a question (ranked totals, level-2 score rates, points lost,
budget execution beside the total, totals by year, reports left out); each
row carries the report's title, address and stored file, the page and the
printed text its number was read from, so every number can link back.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from jixiao import paths

QUERIES = paths.SQL / "queries"


class ReportError(Exception):
    """The report cannot be made as asked (no warehouse, no such year or district)."""


@dataclass
class ReportData:
    """Everything one report page shows, one frame per question."""

    year: int
    district_code: str | None  # the district asked for, if any
    district_name: str | None
    totals: pd.DataFrame  # report_totals_ranked
    level2: pd.DataFrame  # report_level2_score_rates
    points_lost: pd.DataFrame  # report_points_lost
    budget: pd.DataFrame  # report_budget_execution_and_total
    by_year: pd.DataFrame  # report_totals_by_year
    not_counted: pd.DataFrame  # report_not_counted


@contextmanager
def read_only(db: str | Path):
    """A read-only connection that cannot touch the file system, closed after use."""
    if not Path(db).exists():
        raise ReportError(f"no warehouse at {db}: run `jixiao ingest` first")
    try:
        con = duckdb.connect(
            str(db),
            read_only=True,
            config={"enable_external_access": False, "lock_configuration": True},
        )
    except duckdb.IOException as e:  # another process holds the file for writing
        raise ReportError(f"cannot read the warehouse at {db}: {e}") from e
    try:
        yield con
    finally:
        con.close()


def run(con: duckdb.DuckDBPyConnection, name: str, **params) -> pd.DataFrame:
    """Run ``sql/queries/<name>.sql`` with the parameters it names."""
    query = (QUERIES / f"{name}.sql").read_text(encoding="utf-8")
    used = set(re.findall(r"\$(\w+)", query))
    return con.execute(query, {k: v for k, v in params.items() if k in used}).df()


def find_district(con: duckdb.DuckDBPyConnection, text: str) -> tuple[str, str]:
    """The (code, name) of a district given as a 行政区划代码 or a name with a loaded report.

    Raises:
        ReportError: no such district, or a name shared by several districts.
    """
    text = text.strip()
    rows = con.execute(
        """
        select distinct d.district_code, d.city || d.district
        from dim_report r join dim_district d using (district_code)
        where r.status = 'valid'
          and (d.district_code = $t or d.district = $t or d.district = $t || '区'
               or d.district = $t || '县' or d.city || d.district = $t)
        order by 1
        """,
        {"t": text},
    ).fetchall()
    if len(rows) == 1:
        code = rows[0][0]
        name = con.execute(
            "select district from dim_district where district_code = ?", [code]
        ).fetchone()[0]
        return code, name
    if rows:
        choices = ", ".join(f"{code} {name}" for code, name in rows)
        raise ReportError(f"district {text!r} is ambiguous: {choices}; give its 行政区划代码")
    known = con.execute(
        """
        select string_agg(distinct d.district, '、' order by d.district)
        from dim_report r join dim_district d using (district_code) where r.status = 'valid'
        """
    ).fetchone()[0]
    raise ReportError(f"no valid report of district {text!r}; districts: {known or 'none'}")


def read(db: str | Path, year: int, district: str | None = None) -> ReportData:
    """Read every frame of the report for ``year`` (and ``district``, if given).

    Raises:
        ReportError: no warehouse, no valid report that year, or an unknown district.
    """
    with read_only(db) as con:
        code, name = find_district(con, district) if district else (None, None)
        totals = run(con, "report_totals_ranked", year=year)
        if totals.empty:
            years = con.execute(
                "select string_agg(distinct year::varchar, ', ' order by year::varchar) "
                "from dim_report where status = 'valid'"
            ).fetchone()[0]
            raise ReportError(f"no valid report for {year}; years with valid reports: {years}")
        data = ReportData(
            year=year,
            district_code=code,
            district_name=name,
            totals=totals,
            level2=run(con, "report_level2_score_rates", year=year),
            points_lost=run(con, "report_points_lost", year=year),
            budget=run(con, "report_budget_execution_and_total", year=year),
            by_year=run(con, "report_totals_by_year", year=year, district=code),
            not_counted=run(con, "report_not_counted", year=year),
        )
    add_labels(data)
    return data


def add_labels(data: ReportData) -> None:
    """Give every row a ``label`` naming its district for a reader.

    The district's name; with its city when two districts of the year share a
    name (鼓楼区 is in several cities); with the department when a district has
    several departments' reports.
    """
    t = data.totals
    shared = t.groupby("district")["district_code"].transform("nunique") > 1
    several = t.groupby("district_code")["department_kind"].transform("nunique") > 1
    t["label"] = [
        (f"{c}{d}" if s else d) + (f"·{k}" if m else "")
        for c, d, k, s, m in zip(
            t["city"], t["district"], t["department_kind"], shared, several, strict=True
        )
    ]
    keys = zip(t["district_code"], t["department_kind"], strict=True)
    labels = dict(zip(keys, t["label"], strict=True))
    for frame in (data.level2, data.points_lost, data.budget, data.by_year):
        frame["label"] = [
            labels.get((c, k), d)
            for c, k, d in zip(
                frame["district_code"], frame["department_kind"], frame["district"], strict=True
            )
        ]
