"""The export flow: the warehouse → curated parquet by year, plus Data Docs, switched atomically."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, task

from jixiao import paths
from jixiao.export import parquet
from jixiao.validate import build_data_docs


@task
def write_tables(db: str, out: str) -> tuple[str, dict[str, int]]:
    version = parquet.new_version(out)
    return str(version), parquet.write_tables(db, version)


@task
def data_docs(db: str, version: str) -> str:
    return str(build_data_docs(Path(version) / "validation", db_path=db))


@task
def switch(out: str, version: str) -> None:
    parquet.switch_to(out, Path(version))


@flow(name="jixiao-export")
def export_flow(db: str = str(paths.DEFAULT_DB), out: str = str(paths.CURATED)) -> dict[str, int]:
    """Write the curated parquet and the Data Docs as a new version, then switch to it.

    Returns:
        Rows written per table.
    """
    version, counts = write_tables(db, out)
    data_docs(db, version)
    switch(out, version)
    return counts


if __name__ == "__main__":
    export_flow()
