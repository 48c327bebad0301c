"""Dump a warehouse built from the samples and fixtures, every table sorted, as text.

A refactoring that must not change behaviour is checked by dumping before and
after and comparing the two files (``diff``):

    .venv/bin/python tools/warehouse_dump.py /tmp/before.txt   # on the old commit
    .venv/bin/python tools/warehouse_dump.py /tmp/after.txt    # on the new one
    diff /tmp/before.txt /tmp/after.txt

The corpus: the text samples (``sources/samples.yaml``, not the scan: OCR is
slow; ``--with-scan`` adds it), the layout PDFs of ``tests/fixtures/layouts``,
the .docx/.xlsx/.html of ``tests/fixtures/formats`` and the other document
types of ``tests/fixtures/doctypes``, through the plain pipeline (no Prefect):
fetch, extract, normalize, validate, load, the warehouse suites. Volatile
columns (run ids, timestamps) are left out, as in ``tests/snapshot.py``; the\nviews are dumped too.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from snapshot import VOLATILE, snapshot  # noqa: E402

from jixiao import ingest, paths  # noqa: E402
from jixiao.version import EXTRACTOR_VERSION  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"


def fixture_manifest(folder: Path) -> Path:
    """A manifest of the fixture documents, one entry each (district and department fixed)."""
    entries = []
    for sub in ("layouts", "formats", "doctypes"):
        for doc in sorted((FIXTURES / sub).iterdir()):
            if doc.suffix not in {".pdf", ".docx", ".xlsx", ".html"}:
                continue
            year = next((int(p) for p in doc.stem.split("-") if p.isdigit() and len(p) == 4), 2022)
            entries.append(
                {
                    "id": f"{sub}-{doc.stem}-{doc.suffix[1:]}".lower().replace(".", "-"),
                    "district_code": "440112",
                    "year": year,
                    "department": "政务服务数据管理局",
                    "path": str(doc),
                }
            )
    out = folder / "fixtures.yaml"
    out.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    return out


def build(db: Path, manifests: list[Path], skip: set[str]) -> None:
    """The plain pipeline into ``db``: every source, one run."""
    sources, errors = ingest.read_sources(manifests)
    assert not errors, errors
    outcomes = []
    for source in sources:
        if source.id in skip:
            continue
        try:
            fetched = ingest.fetch(source)
        except Exception as e:  # recorded like the flow does
            outcomes.append(ingest.fetch_failure(source, e))
            continue
        report = ingest.extract_and_validate(source, fetched)
        outcomes.append(ingest.report_outcome(source, report))
    build_path = ingest.start_build(db)
    ingest.load(build_path, outcomes, run_id="dump")
    ingest.publish(db)


def views(db: Path) -> dict[str, list[tuple]]:
    """View name → its rows (volatile columns dropped), sorted."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        names = con.execute(
            "select view_name from duckdb_views() where not internal order by view_name"
        ).fetchall()
        out = {}
        for (name,) in names:
            rel = con.sql(f"select * from {name}")
            keep = [c for c in rel.columns if c not in VOLATILE]
            quoted = ", ".join(f'"{c}"' for c in keep)
            out[name] = sorted(con.execute(f"select {quoted} from {name}").fetchall(), key=repr)
        return out
    finally:
        con.close()


def comparable(text: str) -> str:
    """A row's text without what differs by checkout: the code digest, the folder."""
    return text.replace(EXTRACTOR_VERSION, "<extractor_version>").replace(str(ROOT), "<root>")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the text file to write")
    parser.add_argument("--with-scan", action="store_true", help="also the scanned sample (OCR)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        manifests = [paths.DEFAULT_SOURCES, fixture_manifest(folder)]
        skip = set() if args.with_scan else {"panyu-2024-scan"}
        db = folder / "warehouse.duckdb"
        build(db, manifests, skip)
        tables = snapshot(db) | views(db)
    with args.out.open("w", encoding="utf-8") as f:
        for table, rows in tables.items():
            f.write(f"== {table} ({len(rows)} rows)\n")
            for row in rows:
                f.write(comparable(repr(row)) + "\n")
    print(f"{args.out}: {sum(len(r) for r in tables.values())} rows in {len(tables)} tables")


if __name__ == "__main__":
    main()
