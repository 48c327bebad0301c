"""Time per table page: Camelot plus PDFium cell reading on the layout corpus and samples.

``bench_tables()`` returns one record per PDF; ``make bench`` prints them. Only
the pages that hold the score table are parsed (``table_pages``), so the cost
is per table page: lattice (vector engine) on each, network and stream only
where lattice finds no score table.
"""

from __future__ import annotations

import time
from pathlib import Path

from jixiao.extract import score_table
from jixiao.extract.pdf import read_pdf

ROOT = Path(__file__).resolve().parents[1]
CORPORA = (
    ROOT / "tests" / "fixtures" / "layouts",
    ROOT / "tests" / "fixtures" / "fuzz",
    ROOT / "data" / "raw" / "samples",
)


def bench_tables() -> list[dict]:
    """Per PDF: {pdf, table_pages, seconds, cpu_seconds, seconds_per_table_page,
    cpu_seconds_per_table_page, engine}. CPU seconds are this process's (on a shared
    machine wall time mostly measures the other work)."""
    from jixiao.reference.indicators import dictionary
    from jixiao.reference.numbers import load_patterns

    load_patterns(), dictionary()  # read once by ingest anyway: not a page's cost
    import camelot  # noqa: F401  (imported once up front: its import is not a page's cost)

    out = []
    for folder in CORPORA:
        for path in sorted(folder.glob("*.pdf")):
            pdf = read_pdf(path)
            if pdf.is_scanned:
                continue
            pages = score_table.table_pages(pdf.lines)
            start, cpu = time.perf_counter(), time.process_time()
            grids = score_table.read_tables(path, pages)
            table, lineage = score_table.parse_score_tables(grids)
            score_table.to_facts(table)
            seconds = time.perf_counter() - start
            cpu = time.process_time() - cpu
            flavors = sorted({e["flavor"] for e in lineage if e["role"] == "score_table"})
            out.append(
                {
                    "pdf": str(path.relative_to(ROOT)),
                    "table_pages": len(pages),
                    "seconds": round(seconds, 3),
                    "cpu_seconds": round(cpu, 3),
                    "seconds_per_table_page": round(seconds / len(pages), 3) if pages else None,
                    "cpu_seconds_per_table_page": round(cpu / len(pages), 3) if pages else None,
                    "engine": "+".join("lattice/vector" if f == "lattice" else f for f in flavors),
                }
            )
    return out


if __name__ == "__main__":
    rows = bench_tables()
    for r in rows:
        print(
            f"{r['pdf']:55s} {r['table_pages']:2d} pages {r['seconds']:6.3f} s "
            f"{r['seconds_per_table_page'] or 0:6.3f} s/page  "
            f"cpu {r['cpu_seconds_per_table_page'] or 0:6.3f} s/page  {r['engine']}"
        )
    for label, chosen in (
        ("all", rows),
        ("ruled (lattice)", [r for r in rows if r["engine"] == "lattice/vector"]),
    ):
        seconds = sum(r["seconds"] for r in chosen)
        cpu = sum(r["cpu_seconds"] for r in chosen)
        n = sum(r["table_pages"] for r in chosen)
        print(
            f"{label}: {seconds:.2f} s over {n} table pages = {seconds / max(n, 1):.3f} s/page"
            f" (cpu {cpu / max(n, 1):.3f} s/page)"
        )
