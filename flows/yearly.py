"""The yearly schedule: ingest the fiscal year that just ended, from every manifest.

China's fiscal year is the calendar year; departments publish their
部门整体支出绩效自评 for year Y during Y+1 (mostly by mid-year), so the
default schedule runs on 1 September, Beijing time, for Y = last year.
Deployed by ``prefect.yaml`` (work pool + worker) or ``jixiao serve``;
see docs/schedule.md.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from zoneinfo import ZoneInfo

from prefect import flow, get_run_logger
from prefect.artifacts import create_table_artifact

from jixiao import artifacts, paths
from jixiao_flows.ingest import ingest_flow

YEARLY_CRON = "0 6 1 9 *"  # 06:00 on 1 September
TIMEZONE = "Asia/Shanghai"


def previous_fiscal_year(today: dt.date | None = None) -> int:
    """The fiscal year that ended before ``today`` (Beijing date)."""
    today = today or dt.datetime.now(ZoneInfo(TIMEZONE)).date()
    return today.year - 1


def all_manifests() -> list[str]:
    return [str(p) for p in sorted(paths.SOURCES.glob("*.yaml"))]


@flow(name="jixiao-yearly")
def yearly_ingest_flow(
    sources: list[str] | None = None,
    db: str = str(paths.DEFAULT_DB),
    year: int | None = None,
) -> dict[str, int]:
    """Ingest ``year`` (default: the previous fiscal year) from the manifests (default: all).

    Returns how many sources ended loaded, unchanged or failed; the per-source
    table (district, year, kind, total, grade, status) is kept as the run's
    ``jixiao-yearly-summary`` artifact.
    """
    target = year or previous_fiscal_year()
    manifests = sources or all_manifests()
    get_run_logger().info("ingesting fiscal year %d from %s", target, ", ".join(manifests))
    outcomes = ingest_flow(sources=manifests, db=db, year=target)
    create_table_artifact(
        key=artifacts.YEARLY_KEY,
        table=artifacts.summary_rows(db, outcomes),
        description=f"jixiao ingest of fiscal year {target}",
    )
    return dict(Counter(o.status for o in outcomes))


if __name__ == "__main__":
    yearly_ingest_flow()
