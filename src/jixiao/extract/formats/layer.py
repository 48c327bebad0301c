"""The layer a Word, Excel or HTML reader yields, and the cell spans Word and HTML share.

Kept apart from ``jixiao.extract.formats`` (which picks the reader) so the
readers import it without importing back the module that imports them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jixiao.extract.tables.grid import Grid
from jixiao.model import CheckResult, TextLine

# Running text of at least this many characters outside tables makes a
# document a narrative (a report), not a bare score table.
NARRATIVE_CHARS = 200


@dataclass
class Layer:
    """A document's text in reading order and its tables, before any interpretation.

    ``lines`` hold the running text and, for the classifier and the prose
    reader, every table row as one line (its cells joined by spaces), as a
    PDF's text layer would. ``page`` is the sheet number in a workbook and 1
    in Word and HTML, which have no pages.
    """

    source_format: str
    lines: list[TextLine] = field(default_factory=list)
    grids: list[Grid] = field(default_factory=list)
    prose_chars: int = 0  # characters of text outside tables
    checks: list[CheckResult] = field(default_factory=list)

    @property
    def has_narrative(self) -> bool:
        return self.prose_chars >= NARRATIVE_CHARS

    def add_text(self, text: str, page: int = 1) -> None:
        text = " ".join(text.split())
        if text:
            self.lines.append(TextLine(page, text))
            self.prose_chars += len(text.replace(" ", ""))

    def add_grid(self, grid: Grid) -> None:
        self.grids.append(grid)
        for row in grid.rows:
            text = " ".join(" ".join(c.split()) for c in row if c and c.strip())
            if text:
                self.lines.append(TextLine(grid.page, text))


Spanned = tuple[list[list[str]], list[list[bool]], list[list[tuple[int, int]]]]


def expand_spans(rows: list[list[tuple[str, int, int]]]) -> Spanned:
    """Rows of (text, rowspan, colspan) cells → a rectangular grid.

    A merged cell's text sits in its top-left position; the positions it
    covers below have no top edge (the same evidence a ruled PDF gives), the
    positions to its right are empty. Returns texts, top edges and, for each
    position, the (row, column) of the cell that covers it in the source.
    """
    texts: list[list[str]] = []
    edges: list[list[bool]] = []
    origin: list[list[tuple[int, int]]] = []
    pending: dict[tuple[int, int], tuple[int, int]] = {}  # (row, col) covered → origin
    width = 0
    for r, cells in enumerate(rows):
        t_row: list[str] = []
        e_row: list[bool] = []
        o_row: list[tuple[int, int]] = []
        c = 0
        for text, rowspan, colspan in cells:
            while (r, c) in pending:
                t_row.append("")
                e_row.append(False)
                o_row.append(pending.pop((r, c)))
                c += 1
            for k in range(max(colspan, 1)):
                t_row.append(text if k == 0 else "")
                e_row.append(True)
                o_row.append((r, c))
                for below in range(1, max(rowspan, 1)):
                    pending[(r + below, c + k)] = (r, c)
            c += max(colspan, 1)
        while (r, c) in pending:
            t_row.append("")
            e_row.append(False)
            o_row.append(pending.pop((r, c)))
            c += 1
        width = max(width, len(t_row))
        texts.append(t_row)
        edges.append(e_row)
        origin.append(o_row)
    for t_row, e_row, o_row in zip(texts, edges, origin, strict=True):
        while len(t_row) < width:
            t_row.append("")
            e_row.append(True)
            o_row.append((-1, -1))
    return texts, edges, origin


def table_grid(texts: list[list[str]], edges: list[list[bool]], number: int, flavor: str) -> Grid:
    """A Word or HTML table's expanded cells as a ``Grid``: exact text, no geometry.

    Each cell is located as ``table N row R col C`` (1-based); the columns are
    unit slots, one per grid column.
    """
    refs = [
        [f"table {number} row {r + 1} col {c + 1}" for c in range(len(texts[0]))]
        for r in range(len(texts))
    ]
    return Grid(
        page=1,
        rows=texts,
        top_edges=edges,
        flavor=flavor,
        parsing_report={"accuracy": 100.0, "whitespace": 0.0},
        columns=[(float(c), float(c + 1)) for c in range(len(texts[0]))],
        cell_refs=refs,
        location=f"table {number}",
    )
