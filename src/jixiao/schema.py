"""The warehouse's row shapes, read from ``sql/ddl`` itself: one declaration per table.

The DDL files are run in an in-memory DuckDB and the catalogue read back:
each table's columns (name, type, nullable, DECIMAL precision and scale) and
its primary key. Load (exact decimals, the columns a row may have), the
validation inputs and the warehouse suites' key and reference expectations
(``tools/make_warehouse_suites.py``) all take the shape from here, so a new
table needs only its DDL file.

References are not declared in the DDL (DuckDB's foreign keys would refuse the
dictionary's ``insert or replace``); they follow from names: a column named
like the one-column key of a ``dim_*`` table refers to it (``district_code`` →
``dim_district``), plus the few in :data:`EXTRA_REFERENCES`.

Example:
    >>> table("fact_indicator_score").key
    ('report_id', 'indicator_code')
    >>> table("fact_budget").decimals["amount_yuan"]
    (18, 2)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from jixiao import paths

# References a name does not give: (table, column) → (table, column).
EXTRA_REFERENCES = {("dim_indicator", "parent_code"): ("dim_indicator", "indicator_code")}


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # DuckDB's name: VARCHAR, INTEGER, DECIMAL(9,3), BOOLEAN …
    nullable: bool
    precision: int | None = None  # DECIMAL only
    scale: int | None = None


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # the primary key, in declared order

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def decimals(self) -> dict[str, tuple[int, int]]:
        """DECIMAL column → (precision, scale)."""
        return {
            c.name: (c.precision, c.scale) for c in self.columns if c.type.startswith("DECIMAL")
        }

    @property
    def not_null(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if not c.nullable)

    def references(self) -> dict[str, tuple[str, str]]:
        """Column → the (table, key column) its values must be found in."""
        out = {}
        for column in self.column_names:
            target = EXTRA_REFERENCES.get((self.name, column))
            if target is None:
                dimension = _dimension_keys().get(column)
                target = dimension if dimension and dimension[0] != self.name else None
            if target:
                out[column] = target
        return out


@cache
def tables() -> dict[str, Table]:
    """Every table of ``sql/ddl``, by name, in file order."""
    import duckdb

    con = duckdb.connect(":memory:")
    try:
        for sql_file in sorted((paths.SQL / "ddl").glob("*.sql")):
            con.execute(sql_file.read_text(encoding="utf-8"))
        names = [
            r[0]
            for r in con.execute(
                "select table_name from duckdb_tables() where not internal order by table_oid"
            ).fetchall()
        ]
        out = {}
        for name in names:
            columns = tuple(
                Column(n, t, bool(nullable), p, s)
                for n, t, nullable, p, s in con.execute(
                    "select column_name, data_type, is_nullable, numeric_precision, numeric_scale"
                    " from duckdb_columns() where table_name = ? order by column_index",
                    [name],
                ).fetchall()
            )
            columns = tuple(
                c if c.type.startswith("DECIMAL") else Column(c.name, c.type, c.nullable)
                for c in columns
            )
            key = con.execute(
                "select constraint_column_names from duckdb_constraints()"
                " where table_name = ? and constraint_type = 'PRIMARY KEY'",
                [name],
            ).fetchone()
            out[name] = Table(name, columns, tuple(key[0]) if key else ())
        return out
    finally:
        con.close()


def table(name: str) -> Table:
    """One warehouse table's shape.

    Raises:
        KeyError: no DDL file creates ``name``.
    """
    try:
        return tables()[name]
    except KeyError:
        raise KeyError(f"no table {name!r} in sql/ddl") from None


@cache
def _dimension_keys() -> dict[str, tuple[str, str]]:
    """Key column name → its dimension, for every ``dim_*`` table with a one-column key."""
    return {
        t.key[0]: (t.name, t.key[0])
        for t in tables().values()
        if t.name.startswith("dim_") and len(t.key) == 1
    }
