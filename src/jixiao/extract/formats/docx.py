"""A Word document (.docx) → a layer: paragraphs as lines and tables as grids, in body order.

python-docx opens the package; its XML gives what the object API hides: a
cell's ``gridSpan`` (merged across columns) and ``vMerge`` (merged down: a
``continue`` cell has no top edge, its text sits in the ``restart`` cell).
Word has no pages: everything is page 1, and ``source_location`` says which
table, row and column a number came from.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from jixiao.errors import DamagedDocument
from jixiao.extract.formats.layer import Layer, expand_spans, table_grid
from jixiao.extract.formats.package import check_package
from jixiao.extract.tables.grid import Grid

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(path: str | Path) -> Layer:
    """Body paragraphs and tables, in order (tables nested in cells are read as cell text).

    Raises:
        ZipBomb, DocumentTooLarge: the package exceeds the limits.
        DamagedDocument: the package or its XML cannot be parsed.
    """
    import docx
    from lxml import etree

    check_package(path)
    try:
        with open(path, "rb") as f:
            body = docx.Document(f).element.body
    except (zipfile.BadZipFile, KeyError, ValueError, etree.LxmlError) as e:
        raise DamagedDocument(
            f"damaged Word document: python-docx cannot read it ({type(e).__name__}: {e})"
        ) from e
    except Exception as e:
        if type(e).__module__.startswith(("docx", "lxml", "xml")):
            raise DamagedDocument(
                f"damaged Word document: python-docx cannot read it ({type(e).__name__}: {e})"
            ) from e
        raise
    layer = Layer("docx")
    n_tables = 0
    for child in body.iterchildren():
        if child.tag == f"{W}p":
            layer.add_text(_text(child))
        elif child.tag == f"{W}tbl":
            n_tables += 1
            grid = _table_grid(child, n_tables)
            if grid is not None:
                layer.add_grid(grid)
        elif child.tag == f"{W}sdt":  # a content control: its paragraphs count
            for p in child.iter(f"{W}p"):
                layer.add_text(_text(p))
    return layer


def _text(element) -> str:
    """The text of a paragraph (runs, tabs as spaces; deleted revisions left out)."""
    parts = []
    for node in element.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}delText"):
        if node.tag == f"{W}t":
            parts.append(node.text or "")
        elif node.tag != f"{W}delText":
            parts.append(" " if node.tag == f"{W}tab" else "\n")
    return "".join(parts)


def _cell_text(tc) -> str:
    return "\n".join(t for p in tc.iter(f"{W}p") if (t := _text(p).strip()))


def _table_grid(tbl, number: int) -> Grid | None:
    """One Word table: its cells with their spans → a grid with top edges and references."""
    source: list[list[tuple[str, int, int]]] = []
    vmerge: list[list[str | None]] = []  # per source cell: restart · continue · None
    for tr in tbl.iterchildren(f"{W}tr"):
        row: list[tuple[str, int, int]] = []
        marks: list[str | None] = []
        before = tr.find(f"{W}trPr/{W}gridBefore")
        for _ in range(int(before.get(f"{W}val", "0")) if before is not None else 0):
            row.append(("", 1, 1))
            marks.append(None)
        for tc in tr.iterchildren(f"{W}tc"):
            props = tc.find(f"{W}tcPr")
            span = props.find(f"{W}gridSpan") if props is not None else None
            merge = props.find(f"{W}vMerge") if props is not None else None
            colspan = int(span.get(f"{W}val", "1")) if span is not None else 1
            row.append((_cell_text(tc), 1, colspan))
            marks.append(None if merge is None else (merge.get(f"{W}val") or "continue"))
        source.append(row)
        vmerge.append(marks)
    if not source:
        return None
    texts, edges, _origin = expand_spans(source)
    # vMerge: a "continue" cell belongs to the cell above; its own text (if any) is kept
    for r, marks in enumerate(vmerge):
        col = 0
        for (_, _, colspan), mark in zip(source[r], marks, strict=True):
            if mark == "continue" and r > 0:
                for c in range(col, min(col + colspan, len(edges[r]))):
                    edges[r][c] = False
            col += colspan
    return table_grid(texts, edges, number, "docx")
