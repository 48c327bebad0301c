"""An HTML page (a gkmlpt article, a saved report) → a layer: its text and its tables.

lxml parses the page (no scripts, no network, no entities); each ``<table>``
becomes a grid with ``rowspan``/``colspan`` expanded (a spanned position
below its cell has no top edge), and the text of the other block elements
becomes lines, in document order. A table nested in a cell is read as its
own table (layout tables around the article are common). The page's
encoding is its ``<meta charset>``, else UTF-8, else GB18030.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from jixiao.errors import DamagedDocument, DocumentTooLarge
from jixiao.extract.formats.layer import Layer, expand_spans, table_grid
from jixiao.extract.tables.grid import Grid

MAX_HTML_MB = int(os.environ.get("JIXIAO_MAX_HTML_MB", 16))  # article pages are < 1 MB
BLOCKS = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "title", "section",
    "article", "td", "th", "caption", "pre", "blockquote", "center", "span", "font",
}  # fmt: skip
SKIP = {"script", "style", "noscript", "template", "head"}
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([a-zA-Z0-9_-]+)""", re.I)


def decode(data: bytes) -> str:
    """The page's text: its declared charset, else UTF-8, else GB18030 (never fails)."""
    declared = _CHARSET.search(data[:4096])
    for encoding in ([declared.group(1).decode("ascii")] if declared else []) + ["utf-8"]:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("gb18030", errors="replace")


def read_html(path: str | Path) -> Layer:
    """The page's title, text blocks and tables (page 1: HTML has no pages).

    Raises:
        DocumentTooLarge: more than ``MAX_HTML_MB``.
        DamagedDocument: lxml finds no document in it.
    """
    import lxml.html
    from lxml import etree

    size = Path(path).stat().st_size
    if size > MAX_HTML_MB << 20:
        raise DocumentTooLarge(
            f"document too large: an HTML page of {size >> 20} MB, more than {MAX_HTML_MB} MB "
            "(an article page is well under 1 MB)"
        )
    text = decode(Path(path).read_bytes())
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)  # lxml refuses a str with an encoding declaration
    parser = lxml.html.HTMLParser(remove_comments=True, no_network=True, huge_tree=False)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, etree.LxmlError, ValueError) as e:
        raise DamagedDocument(f"damaged HTML: lxml finds no document in it ({e})") from e
    layer = Layer("html")
    title = root.findtext(".//title")
    if title and title.strip():
        layer.add_text(title.strip())
    body = root.find("body")
    _walk(body if body is not None else root, layer, [0])
    return layer


def _walk(element, layer: Layer, counter: list[int]) -> None:
    """Text blocks and tables in document order; a table's cells are not text blocks."""
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in SKIP or not tag:
            continue
        if tag == "table":
            counter[0] += 1
            grid = _table_grid(child, counter[0])
            if grid is not None:
                layer.add_grid(grid)
            for inner in child.iter("table"):  # a layout table holding the real one
                if inner is not child:
                    counter[0] += 1
                    g = _table_grid(inner, counter[0])
                    if g is not None:
                        layer.add_grid(g)
            continue
        if tag in BLOCKS and not any(
            isinstance(d.tag, str) and d.tag in BLOCKS | {"table"} for d in child.iterdescendants()
        ):
            layer.add_text(child.text_content())
            continue
        if child.text and child.text.strip() and tag in BLOCKS:
            layer.add_text(child.text)
        _walk(child, layer, counter)
        if child.tail and child.tail.strip():
            layer.add_text(child.tail)


def _rows_of(table) -> list:
    """The table's own rows (not those of a table nested in one of its cells)."""
    rows = []
    for tr in table.iter("tr"):
        parent = tr.getparent()
        while parent is not None and parent.tag != "table":
            parent = parent.getparent()
        if parent is table:
            rows.append(tr)
    return rows


def _span(cell, name: str) -> int:
    try:
        return max(1, min(int(str(cell.get(name, "1")).strip() or 1), 1000))
    except ValueError:
        return 1


def _cell_text(cell) -> str:
    """A cell's text, line breaks kept (``<br>``, paragraphs); a nested table left out."""
    parts: list[str] = []

    def visit(node) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if isinstance(child.tag, str) and child.tag != "table":
                if child.tag == "br":
                    parts.append("\n")
                elif child.tag in ("p", "div", "li"):
                    parts.append("\n")
                    visit(child)
                else:
                    visit(child)
            if child.tail:
                parts.append(child.tail)

    visit(cell)
    return "\n".join(line.strip() for line in "".join(parts).splitlines() if line.strip())


def _table_grid(table, number: int) -> Grid | None:
    source = []
    for tr in _rows_of(table):
        cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]
        source.append([(_cell_text(c), _span(c, "rowspan"), _span(c, "colspan")) for c in cells])
    if not any(source):
        return None
    texts, edges, _origin = expand_spans(source)
    if not texts or not texts[0]:
        return None
    return table_grid(texts, edges, number, "html")
