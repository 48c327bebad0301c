"""Word, Excel and HTML documents → a ``Layer``: their text and their tables, cells exact.

Each source only yields a layer; the table → rows → hierarchy → facts code
(``jixiao.extract.tables``) and the prose reader turn it into facts, exactly
as for a PDF (``jixiao.extract.document.assemble``). Modules:

* ``layer``: the ``Layer`` every reader yields, and the span expansion Word and HTML share;
* ``package``: limits for ZIP packages (.docx/.xlsx) before anything is inflated;
* ``xlsx``: sheets (openpyxl, read-only, macros never run) → a grid per sheet;
* ``docx``: paragraphs and tables (python-docx's XML) → lines and grids;
* ``html``: an article page's text and tables (lxml) → lines and grids;
* ``office``: .doc/.xls converted by LibreOffice (``soffice --headless``).
"""

from __future__ import annotations

from pathlib import Path

from jixiao.extract.formats.layer import Layer, expand_spans, table_grid

__all__ = ["Layer", "expand_spans", "read_layer", "table_grid"]


def read_layer(path: str | Path, source_format: str) -> Layer:
    """The layer of a Word, Excel or HTML file (``source_format`` from its bytes)."""
    if source_format == "xlsx":
        from jixiao.extract.formats.xlsx import read_xlsx

        return read_xlsx(path)
    if source_format == "docx":
        from jixiao.extract.formats.docx import read_docx

        return read_docx(path)
    if source_format == "html":
        from jixiao.extract.formats.html import read_html

        return read_html(path)
    raise ValueError(f"no layer reader for {source_format}")
