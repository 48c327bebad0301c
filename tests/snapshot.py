"""A warehouse's contents as comparable data: every table, volatile columns left out."""

from __future__ import annotations

from pathlib import Path

import duckdb

# Differ between two runs that load the same facts: when and under which run id.
VOLATILE = {"ingested_at", "attempted_at", "run_id"}


def snapshot(db: str | Path) -> dict[str, list[tuple]]:
    """Table name → its rows (volatile columns dropped), sorted; views are left out."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables "
                "where table_type = 'BASE TABLE' order by table_name"
            ).fetchall()
        ]
        out = {}
        for table in tables:
            columns = [
                r[0]
                for r in con.execute(
                    "select column_name from information_schema.columns where table_name = ? "
                    "order by ordinal_position",
                    [table],
                ).fetchall()
                if r[0] not in VOLATILE
            ]
            quoted = ", ".join(f'"{c}"' for c in columns)
            rows = con.execute(f"select {quoted} from {table}").fetchall()
            out[table] = sorted(rows, key=repr)
        return out
    finally:
        con.close()


def differences(a: dict, b: dict, limit: int = 5) -> list[str]:
    """What differs between two snapshots, table by table (empty when identical)."""
    out = []
    for table in sorted(set(a) | set(b)):
        ra, rb = a.get(table), b.get(table)
        if ra == rb:
            continue
        if ra is None or rb is None:
            out.append(f"{table}: only in {'the second' if ra is None else 'the first'}")
            continue
        only_a = [r for r in ra if r not in rb][:limit]
        only_b = [r for r in rb if r not in ra][:limit]
        out.append(f"{table}: {len(ra)} vs {len(rb)} rows; first only {only_a}; second {only_b}")
    return out
