"""The report to send: one self-contained HTML page of charts for people who read rather than query.

In data-flow order:

- :mod:`jixiao.report.data`: the warehouse read-only, one ``sql/queries/report_*.sql`` a question
- :mod:`jixiao.report.charts`: plotly figures with Chinese labels
- :mod:`jixiao.report.cells`: numbers formatted and linked to their report and page
- :mod:`jixiao.report.page`: the HTML page, plotly's JavaScript inlined (opens offline)
- :mod:`jixiao.report.browser`: headless Chromium opens a page, screenshots it and
  counts console errors and network requests (tests, docs/report-2022.png)
"""

from __future__ import annotations

from pathlib import Path

from jixiao.report.data import ReportError, read

__all__ = ["ReportError", "build_report"]


def build_report(db: str | Path, year: int, out: str | Path, district: str | None = None) -> Path:
    """Write the report of ``year`` (focused on ``district``, if given) to ``out``.

    Raises:
        ReportError: no warehouse, no valid report that year, or an unknown district.
    """
    from jixiao.report.page import render

    data = read(db, year, district)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(render(data, str(db)), encoding="utf-8")
    tmp.replace(out)
    return out
