"""Re-run timing with nothing changed: conditional fetches, nothing extracted again.

The text samples are served over HTTP from a local fake district site on
127.0.0.1 (tests/fakesite/) with ETags; the ingest flow runs cold, then again.
On the re-run every fetch is a conditional GET answered 304, the stored file
is reused and, its sha256 being already loaded, nothing is extracted.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
HOST_DELAY_S = 0.25  # the polite default is 1 s; a bench measures work, not courtesy


@contextmanager
def _env(**values: str):
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def bench_rerun() -> dict:
    """Cold ingest, re-run, and a fetch-only re-run of the text samples served over HTTP."""
    sys.path.insert(0, str(REPO / "tests"))
    from fakesite.server import FakeServer, pdf

    from jixiao import ingest, paths
    from jixiao.fetch import fetch_many
    from jixiao_flows.ingest import ingest_flow

    samples, _ = ingest.read_sources([str(paths.DEFAULT_SOURCES)])
    samples = [s for s in samples if "scan" not in s.id]
    with tempfile.TemporaryDirectory() as tmp, FakeServer() as site:
        tmp = Path(tmp)
        for s in samples:
            etag = f'"{s.sha256[:16]}"'
            site.routes[f"/reports/{s.id}.pdf"] = pdf(s.path.read_bytes(), etag=etag)
        manifest = tmp / "web.yaml"
        manifest.write_text(
            yaml.safe_dump(
                [
                    {
                        "id": s.id,
                        "district_code": s.district_code,
                        "year": s.year,
                        "department": s.department,
                        "url": site.url(f"/reports/{s.id}.pdf"),
                        "sha256": s.sha256,
                    }
                    for s in samples
                ],
                allow_unicode=True,
            ),
            encoding="utf-8",
        )
        db = str(tmp / "bench.duckdb")
        with _env(
            JIXIAO_FETCH_ALLOW_NETWORKS="127.0.0.0/8",
            JIXIAO_FETCH_HOST_DELAY=str(HOST_DELAY_S),
            JIXIAO_RAW_DIR=str(tmp / "raw"),
        ):
            start = time.perf_counter()
            cold = ingest_flow(sources=[str(manifest)], db=db)
            t_cold = time.perf_counter() - start
            before = len(site.seen)
            start = time.perf_counter()
            again = ingest_flow(sources=[str(manifest)], db=db)
            t_again = time.perf_counter() - start
            rerun_requests = site.seen[before:]
            sources, _ = ingest.read_sources([str(manifest)])
            start = time.perf_counter()
            fetched = fetch_many(sources)
            t_fetch = time.perf_counter() - start
    conditional = sum("if-none-match" in r.headers for r in rerun_requests)
    return {
        "documents served over HTTP": len(samples),
        "per-host delay s": HOST_DELAY_S,
        "cold run (download + extract) s": t_cold,
        "cold run loaded": sum(o.status == "loaded" for o in cold),
        "re-run, nothing changed s": t_again,
        "re-run requests (conditional)": f"{len(rerun_requests)} ({conditional})",
        "re-run unchanged, not extracted": sum(o.status == "unchanged" for o in again),
        "re-run extracted": sum(o.report is not None for o in again),
        "fetch-only re-run s": t_fetch,
        "fetch-only re-run answered 304": sum(
            getattr(f, "status", None) == "not_modified" for f in fetched
        ),
    }


if __name__ == "__main__":
    for k, v in bench_rerun().items():
        print(f"  {k}: {v:.3f}" if isinstance(v, float) else f"  {k}: {v}")
