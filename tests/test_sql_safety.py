"""50 injection payloads through the CLI leave the warehouse and the file system as they were.

`jixiao sql` opens the warehouse read-only with external access disabled and
the configuration locked; the other commands bind their arguments as
parameters.
"""

import hashlib
from pathlib import Path

import duckdb
import pytest

from jixiao.cli import main

PROBE = Path("/tmp/jixiao-injection-probe")

SQL_PAYLOADS = [
    "drop table fact_budget",
    "delete from dim_report",
    "update fact_indicator_score set score = 0",
    "insert into dim_year values (1999)",
    "create table pwned as select 1 as x",
    "alter table dim_report add column pwned integer",
    "drop view v_scores",
    "create or replace view v_scores as select 1 as x",
    f"copy dim_report to '{PROBE}-1.csv'",
    "copy dim_report from '/etc/hostname'",
    f"attach '{PROBE}-2.duckdb' as pwned",
    "install httpfs",
    "load httpfs",
    "set enable_external_access = true",
    "set lock_configuration = false",
    "reset lock_configuration",
    "set memory_limit = '1KB'",
    "select * from read_csv('/etc/passwd')",
    "select * from read_text('/etc/hostname')",
    "select * from read_parquet('/tmp/*.parquet')",
    "select * from glob('/*')",
    f"export database '{PROBE}-3'",
    "select 1; drop table dim_year",
    "begin; delete from dim_report; commit",
    "create macro pwned(x) as x",
    "create sequence pwned",
    "truncate fact_budget",
    "pragma enable_external_access",
    f"select * from '{PROBE}-4.csv'",
    "call dbgen(sf = 0.01)",
    "create secret pwned (type s3, key_id 'x', secret 'y')",
]
# no-ops on a read-only file: they may run, and must change nothing
HARMLESS_SQL = [
    "checkpoint",
    "vacuum",
    "detach database if exists memory",
    "select 1 --; drop table dim_report",
]
COMPARE_PAYLOADS = [
    "管理效率'; drop table fact_budget; --",
    "' or 1 = 1 --",
    'x"); delete from dim_report; --',
    "%' union select * from dim_report --",
    "$year",
    "'; copy dim_report to '/tmp/jixiao-injection-probe-5.csv'; --",
    "履职效能') or ('1' = '1",
]
CHECKS_PAYLOADS = [
    "huangpu-2022' or '1' = '1",
    "%'; drop table check_result; --",
    "'; attach '/tmp/jixiao-injection-probe-6.duckdb' as x; --",
    "$report",
]
YEAR_PAYLOADS = ["2022; drop table dim_year", "2022 or 1=1", "'2022'", "1e9"]


def fingerprint(db: str) -> str:
    con = duckdb.connect(db, read_only=True)
    try:
        h = hashlib.sha256()
        for query in (
            "select table_name, column_name, data_type from duckdb_columns() order by all",
            "select view_name, sql from duckdb_views() where not internal order by all",
        ):
            h.update(repr(con.execute(query).fetchall()).encode())
        for (table,) in con.execute("select table_name from duckdb_tables() order by 1").fetchall():
            h.update(repr(con.execute(f"select * from {table} order by all").fetchall()).encode())
        return h.hexdigest()
    finally:
        con.close()


def run(args: list[str]) -> int:
    try:
        return main(args)
    except SystemExit as e:  # argparse rejects a malformed argument
        return int(e.code or 0)


def test_fifty_payloads_change_nothing(ingested, capsys):
    db = ingested["db"]
    before = fingerprint(db)
    calls = (
        [["--db", db, "sql", p] for p in SQL_PAYLOADS + HARMLESS_SQL]
        + [["--db", db, "compare", "--year", "2022", "--indicator", p] for p in COMPARE_PAYLOADS]
        + [["--db", db, "checks", "--report", p] for p in CHECKS_PAYLOADS]
        + [["--db", db, "compare", "--year", p] for p in YEAR_PAYLOADS]
    )
    assert len(calls) >= 50
    codes = [run(args) for args in calls]
    capsys.readouterr()
    assert fingerprint(db) == before
    assert not list(PROBE.parent.glob(PROBE.name + "*"))
    # every write, file-system, extension or settings attempt through `jixiao sql` was refused
    assert codes[: len(SQL_PAYLOADS)] == [2] * len(SQL_PAYLOADS), codes


@pytest.mark.parametrize("payload", ["' or 1 = 1 --", "管理效率'; drop table fact_budget; --"])
def test_compare_binds_the_indicator_as_a_value(ingested, capsys, payload):
    assert run(["--db", ingested["db"], "compare", "--year", "2022", "--indicator", payload]) == 1
    # looked up as a name (bound as a value), not run: unknown, and the error says so
    assert f"unknown indicator {payload!r}" in capsys.readouterr().err
