"""OCR cost on the scanned sample: seconds per page cold (1 and 2 workers) and cached.

Cold seconds include the orientation pass (sideways / upside down), which is
also timed on its own. Wall seconds depend on what else runs on the machine, so
the cold run's CPU seconds (all threads of this process) and the load average
are reported beside them.

``bench_ocr()`` returns the numbers as a dict (``make bench`` prints them); run
alone with ``.venv/bin/python bench/ocr.py``. Cold runs bypass the cache; the
cached run reads a cache filled in a temporary directory, so the project's own
cache is neither used nor changed.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from jixiao.extract import ocr
from jixiao.extract.pdf import read_pdf
from jixiao.paths import RAW

SCAN = RAW / "samples" / "panyu-2024-scan.pdf"


def _timed_run(path: Path, pages: list[int], **kwargs) -> float:
    return _timed_cpu_run(path, pages, **kwargs)[0]


def _timed_cpu_run(path: Path, pages: list[int], **kwargs) -> tuple[float, float]:
    """Wall and CPU seconds (this process, every thread) of one OCR run."""
    start, cpu = time.perf_counter(), time.process_time()
    ocr.ocr_pages(path, pages, progress=None, **kwargs)
    return time.perf_counter() - start, time.process_time() - cpu


def bench_ocr(path: Path = SCAN) -> dict:
    """Time OCR of every image-only page of ``path``.

    Returns:
        pages; engine load seconds; cold seconds per page with 1 and 2 workers
        (engine already loaded) and the 1-worker run's CPU seconds per page;
        seconds per page on a cache hit; seconds per page of the orientation
        pass alone (render included); the 1-minute load average before and after.
    """
    load_before = os.getloadavg()[0]
    pages = ocr.image_only_pages(read_pdf(path))
    start = time.perf_counter()
    ocr.engine()
    load_s = time.perf_counter() - start
    start = time.perf_counter()
    for page in pages:
        ocr.find_orientation(*ocr.render_page(path, page))
    orient_s = time.perf_counter() - start
    cold_1, cold_1_cpu = _timed_cpu_run(path, pages, use_cache=False, workers=1)
    cold_2 = _timed_run(path, pages, use_cache=False, workers=2)
    with tempfile.TemporaryDirectory(prefix="ocr-bench-") as cache_dir:
        _timed_run(path, pages, cache_dir=cache_dir)
        cached = _timed_run(path, pages, cache_dir=cache_dir)
    n = len(pages)
    return {
        "document": path.name,
        "pages": n,
        "engine load s": round(load_s, 2),
        "cold s/page (1 worker)": round(cold_1 / n, 2),
        "cold CPU s/page (1 worker)": round(cold_1_cpu / n, 2),
        "cold s/page (2 workers)": round(cold_2 / n, 2),
        "cached s/page": round(cached / n, 3),
        "orientation s/page": round(orient_s / n, 3),
        "load average (1 min) before, after": (round(load_before, 1), round(os.getloadavg()[0], 1)),
    }


if __name__ == "__main__":
    for key, value in bench_ocr().items():
        print(f"{key:>26}  {value}")
