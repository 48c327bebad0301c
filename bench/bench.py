"""`make bench`: where the time goes on the sample corpus. Prints numbers, asserts nothing.

Stages are timed in-process, one document at a time, so each number is the
cost of that stage alone; then the whole ingest is timed as users run it
(isolated worker per document, two at a time), cold and re-run unchanged.
"""

from __future__ import annotations

import importlib
import resource
import sys
import tempfile
import time
from pathlib import Path

from jixiao import ingest, paths
from jixiao.extract import score_table
from jixiao.extract.pdf import open_pdf
from jixiao.extract.prose import extract_prose
from jixiao.model import DocumentFacts
from jixiao.normalize.report import normalize_document


def timed(fn, *args):
    start = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - start


def stage_table(sources) -> list[dict]:
    rows = []
    for source in sources:
        fetched = ingest.fetch(source)
        doc = open_pdf(fetched.path)  # as extract_pdf: each page loaded once
        pdf, t_text = timed(getattr, doc, "text")
        pages, t_pages = timed(score_table.table_pages, pdf.lines)
        grids, t_camelot = timed(score_table.read_tables, fetched.path, pages, doc)
        doc.close()
        parsed, t_parse = timed(score_table.parse_score_tables, grids)
        prose, t_prose = timed(extract_prose, pdf.lines)
        table, lineage = parsed
        facts = DocumentFacts(
            n_pages=pdf.n_pages,
            doc_kind="narrative",
            scores=(score_table.to_facts(table) if table.rows else []) + prose.scores,
            budgets=prose.budgets,
            prose_budgets=prose.stated_budgets,  # the unit fixes' siblings (normalize)
            tables=lineage,
        )
        report, t_norm = timed(normalize_document, source, fetched, facts)
        from jixiao.validate.verdict import judge

        _, t_valid = timed(judge, report)
        rows.append(
            {
                "source": source.id,
                "pages": pdf.n_pages,
                "table pages": len(pages),
                "text layer s": t_text,
                "find tables s": t_pages,
                "camelot+cells s": t_camelot,
                "s / table page": t_camelot / len(pages) if pages else 0.0,
                "parse table s": t_parse,
                "prose s": t_prose,
                "normalize s": t_norm,
                "validate s": t_valid,
            }
        )
    return rows


def print_rows(rows: list[dict]) -> None:
    if not rows:
        return
    keys = list(rows[0])
    print("  ".join(f"{k:>15}" for k in keys))
    for r in rows:
        print(
            "  ".join(f"{v:>15.3f}" if isinstance(v, float) else f"{v!s:>15}" for v in r.values())
        )


def whole_ingest(sources_file: str, db: str) -> tuple[float, list]:
    """The ingest flow as users run it: workers two at a time, build, publish."""
    from jixiao_flows.ingest import ingest_flow

    start = time.perf_counter()
    outcomes = ingest_flow(sources=[sources_file], db=db)
    return time.perf_counter() - start, outcomes


def optional_benches() -> None:
    """Benchmarks other parts of the project contribute (bench/<name>.py: bench_<name>())."""
    sys.path.insert(0, str(Path(__file__).parent))
    for name, fn in (("tables", "bench_tables"), ("ocr", "bench_ocr"), ("fetch", "bench_rerun")):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        print(f"\n== {name}")
        result = getattr(module, fn)()
        if isinstance(result, list):
            print_rows(result)
        else:
            for k, v in result.items():
                print(f"  {k}: {v:.3f}" if isinstance(v, float) else f"  {k}: {v}")


def main() -> None:
    sources, errors = ingest.read_sources([str(paths.DEFAULT_SOURCES)])
    assert not errors, errors
    t0 = time.perf_counter()
    import great_expectations  # noqa: F401  (timed apart: it is a fixed start-up cost)

    print(f"import great_expectations: {time.perf_counter() - t0:.2f} s (once per process)")
    print("\n== stages, in-process, per document (seconds)")
    text_sources = [s for s in sources if "scan" not in s.id]
    rows = stage_table(text_sources)
    print_rows(rows)
    pages = sum(r["pages"] for r in rows)
    table_pages = sum(r["table pages"] for r in rows)
    totals = {k: sum(r[k] for r in rows) for k in rows[0] if k.endswith(" s")}
    print(f"\nper page over {pages} text pages ({table_pages} table pages):")
    for k, v in totals.items():
        per = v / (table_pages if k.startswith("camelot") or k.startswith("parse") else pages)
        unit = "table page" if k.startswith(("camelot", "parse")) else "page"
        print(f"  {k[:-2]:<16} {per:8.4f} s / {unit}")

    from prefect import flow

    _, t_api = timed(flow(name="jixiao-bench-warmup")(lambda: None))
    print(f"\nPrefect temporary API start + first flow run: {t_api:.2f} s (once per process)")
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.duckdb")
        cold, outcomes = whole_ingest(str(paths.DEFAULT_SOURCES), db)
        all_pages = sum(o.report.n_pages or 0 for o in outcomes if o.report) + 7
        warm, outcomes2 = whole_ingest(str(paths.DEFAULT_SOURCES), db)
        unchanged = sum(o.status == "unchanged" for o in outcomes2)
        print("\n== whole ingest flow (isolated workers, 2 at a time; build, check, publish)")
        print(f"  documents: {len(sources)}, pages: {all_pages}")
        print(f"  cold run: {cold:.2f} s ({cold / len(sources):.2f} s / document)")
        print(f"  re-run, nothing changed: {warm:.2f} s ({unchanged} unchanged, not extracted)")
        from jixiao.export.parquet import export_curated

        _, t_export = timed(export_curated, db, str(Path(tmp) / "curated"))
        print(f"  export parquet: {t_export:.2f} s")
    optional_benches()
    self_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"\npeak memory: main process {self_mb:.0f} MB, largest worker {child_mb:.0f} MB")
    print(f"total bench time: {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
