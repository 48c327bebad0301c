"""Numbers as a reader sees them, each linking to the report and page it came from.

A number's link opens the report (its web address when it was fetched, else
the stored file) at its page (``#page=N``, which PDF viewers follow); its
tooltip names the report, the page and the printed text the number was read
from. A number computed from its children rather than printed carries ``*``.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import pandas as pd

DERIVED_NOTE = "由下级指标加总得出，报告未直接列出"


def is_blank(value) -> bool:
    """None, NaN, NaT or pandas' NA (a NULL read from the warehouse)."""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def flag(value) -> bool:
    """A boolean column's value; NULL is false."""
    return not is_blank(value) and bool(value)


def text(value) -> str:
    """A text value for HTML (escaped); blank for NULL."""
    return "" if is_blank(value) else escape(str(value))


def score(value) -> str:
    """A score as printed: 94.2, 96, 9.88 (no trailing zeros)."""
    return "" if is_blank(value) else f"{round(float(value), 3):g}"


def percent(value, digits: int = 2) -> str:
    """A fraction as a percentage: 0.9882 → 98.82%."""
    return "" if is_blank(value) else f"{float(value) * 100:.{digits}f}%"


def signed(value) -> str:
    """A change with its sign: +1.2, −0.4, 0."""
    if is_blank(value):
        return ""
    v = round(float(value), 3)
    return "0" if v == 0 else f"{v:+g}".replace("-", "−")


def wan_yuan(value) -> str:
    """Yuan as 万元 with two decimals and thousands separators: 118877300 → 11,887.73."""
    return "" if is_blank(value) else f"{float(value) / 10000:,.2f}"


def source_href(row, page_col: str = "source_page") -> str:
    """Where the report is (web address, else the stored file), at the number's page."""
    url = row.get("source_url")
    if is_blank(url) or not str(url).startswith(("http://", "https://")):
        raw = row.get("raw_path")
        url = Path(str(raw)).resolve().as_uri() if not is_blank(raw) else ""
    page = row.get(page_col)
    return f"{url}#page={int(page)}" if url and not is_blank(page) else str(url or "")


def source_tooltip(row, page_col: str = "source_page", text_col: str = "printed_text") -> str:
    """Report title, page and the printed text the number was read from."""
    parts = [str(row.get("title") or row.get("report_id", ""))]
    page = row.get(page_col)
    if not is_blank(page):
        parts.append(f"第 {int(page)} 页")
    text = row.get(text_col)
    if not is_blank(text) and str(text).strip():
        parts.append(f"原文：{' '.join(str(text).split())}")
    return "\n".join(parts)


def linked(
    shown: str,
    row,
    *,
    page_col: str = "source_page",
    text_col: str = "printed_text",
    derived: bool = False,
) -> str:
    """``shown`` as a link to its source, with the source as tooltip (blank stays blank)."""
    if not shown:
        return ""
    mark = f'<sup title="{escape(DERIVED_NOTE)}">*</sup>' if derived else ""
    href = source_href(row, page_col)
    tip = source_tooltip(row, page_col, text_col)
    if not href:
        return f'<span title="{escape(tip)}">{escape(shown)}</span>{mark}'
    return (
        f'<a class="src" href="{escape(href)}" title="{escape(tip)}" target="_blank" '
        f'rel="noopener">{escape(shown)}</a>{mark}'
    )


def table(headers: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> str:
    """An HTML table: headers as text, cells as given (already HTML); ``numeric`` columns right."""
    if not rows:
        return '<p class="empty">（无数据）</p>'
    head = "".join(
        f'<th class="{"num" if i in numeric else ""}">{escape(h)}</th>'
        for i, h in enumerate(headers)
    )
    body = "".join(
        "<tr>"
        + "".join(
            f'<td class="{"num" if i in numeric else ""}">{cell}</td>'
            for i, cell in enumerate(cells)
        )
        + "</tr>"
        for cells in rows
    )
    return f'<table class="numbers"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
