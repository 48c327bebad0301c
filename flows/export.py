"""The export flow: the warehouse → curated parquet, partitioned by year."""

from __future__ import annotations

from prefect import flow, task

from jixiao import paths
from jixiao.export.parquet import export_curated


@task
def export(db: str, out: str) -> dict[str, int]:
    return export_curated(db, out)


@flow(name="jixiao-export")
def export_flow(db: str = str(paths.DEFAULT_DB), out: str = str(paths.CURATED)) -> dict[str, int]:
    """Write the curated parquet tables; returns rows written per table."""
    return export(db, out)


if __name__ == "__main__":
    export_flow()
