"""Re-runs replace, never duplicate; the curated parquet matches the warehouse."""

import duckdb

from jixiao_flows.export import export_flow
from jixiao_flows.ingest import ingest_flow

COUNTS = """
select (select count(*) from dim_report), (select count(*) from fact_indicator_score),
       (select count(*) from fact_budget), (select count(*) from check_result),
       (select count(*) from source_status)
"""


def test_rerun_skips_unchanged_documents_and_changes_nothing(ingested):
    con = duckdb.connect(ingested["db"], read_only=True)
    before = con.execute(COUNTS).fetchone()
    con.close()
    outcomes = ingest_flow(db=ingested["db"])
    runs = {o.source_id: o.status for o in outcomes}
    assert runs == {
        "huangpu-2022": "unchanged",
        "potou-2022": "unchanged",
        "baiyun-2022": "unchanged",
        "panyu-2023": "unchanged",
        "panyu-2024-scan": "unchanged",
    }
    con = duckdb.connect(ingested["db"], read_only=True)
    assert con.execute(COUNTS).fetchone() == before
    con.close()


def test_export_reads_back_with_hive_partitioning(ingested, tmp_path):
    counts = export_flow(db=ingested["db"], out=str(tmp_path))
    con = duckdb.connect(ingested["db"], read_only=True)
    for table in ("fact_indicator_score", "fact_budget", "dim_report"):
        parquet = f"read_parquet('{tmp_path}/{table}/**/*.parquet', hive_partitioning=true)"
        assert con.execute(f"select count(*) from {parquet}").fetchone()[0] == counts[table]
        differences = con.execute(
            f"""
            select count(*) from (
                (select * exclude (year) from {table} except select * exclude (year) from {parquet})
                union all
                (select * exclude (year) from {parquet} except select * exclude (year) from {table})
            )
            """
        ).fetchone()[0]
        assert differences == 0, table
    years = con.execute(
        f"select distinct year from read_parquet('{tmp_path}/scores/**/*.parquet', "
        "hive_partitioning=true) order by 1"
    ).fetchall()
    assert years == [(2022,), (2023,), (2024,)]
    con.close()
