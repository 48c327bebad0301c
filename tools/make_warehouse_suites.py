"""Write the key and reference expectations of every warehouse suite from the DDL.

For each table of ``sql/ddl`` the suite ``expectations/warehouse_<table>.json``
gets its key_unique, key_not_null and references expectations from the table's
declaration (:func:`jixiao.validate.warehouse.derived_expectations`); the
hand-written ones (domains, plausibility) stay as they are. A table without a
suite gets one. Run after adding or changing a DDL file:

    .venv/bin/python tools/make_warehouse_suites.py
"""

from __future__ import annotations

import json

from jixiao import paths, schema
from jixiao.validate.warehouse import warehouse_suite


def main() -> None:
    for table in schema.tables().values():
        path = paths.EXPECTATIONS / f"warehouse_{table.name}.json"
        old = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
        new = warehouse_suite(table, old)
        if new != old:
            path.write_text(json.dumps(new, indent=2, ensure_ascii=False), encoding="utf-8")
            print(f"{path.name}: written")


if __name__ == "__main__":
    main()
