"""Per page, the Camelot flavor whose table reads best as a score table.

Lattice (``engine="vector"``: the grid from the PDF's own line drawings,
0.09 s a page; the raster engine misses thin rules in spreadsheet exports)
runs on every table page. When none of its tables is a score table there
(no rules, or only horizontal ones), network and stream run on that page and
the candidate that reads best wins: a header (or the columns of the table it
continues) first, then the most data rows, then Camelot's accuracy and
whitespace; the columns the header words print (``words_table``) are a
candidate too. Budget blocks and legends found by lattice are kept too; an
unruled budget block is read from its words (``budget_words``).
"""

from __future__ import annotations

from pathlib import Path

from jixiao.extract.camelot_pages import CamelotPages
from jixiao.extract.pdf import OpenPdf
from jixiao.extract.tables.budget_words import budget_words_grid, is_budget
from jixiao.extract.tables.grid import Grid, horizontal_rules, lattice_grid, text_grid, words_table
from jixiao.extract.tables.headers import header_pieces, header_roles, number_columns
from jixiao.extract.tables.text import clean, number_or_none
from jixiao.extract.tables.verify import check_cells, page_chars

TEXT_FLAVORS = ("network", "stream")
COLUMN_TOLERANCE = 4.0  # points: the same column on two pages of one document


def score_header(grid: Grid) -> dict | None:
    """The roles of the grid's score-table header row, if it prints one."""
    for row in grid.rows:
        roles = header_roles([clean(c) for c in row])
        if roles:
            return roles
    return None


def same_columns(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> bool:
    """Whether two grids share their column boundaries (a table continued on a new page)."""
    return len(a) == len(b) and all(
        abs(p[0] - q[0]) <= COLUMN_TOLERANCE and abs(p[1] - q[1]) <= COLUMN_TOLERANCE
        for p, q in zip(a, b, strict=True)
    )


def data_rows(grid: Grid, roles: dict) -> int:
    """How many rows carry a number in the leaf-weight or score column."""
    cols = number_columns(roles)
    return sum(
        any(c < len(row) and number_or_none(row[c]) is not None for c in cols) for row in grid.rows
    )


def split_header(grid: Grid) -> bool:
    """Whether the grid's header row has a header word cut into two columns."""
    for row in grid.rows:
        cells = [clean(c) for c in row]
        if header_roles(cells):
            return bool(header_pieces(cells))
    return False


def unnamed_columns(grid: Grid) -> int:
    """Columns between named header cells whose own header cell is blank while rows below
    print text in them (an unruled table's gutter cut through one column, taking the
    first character of 部门整体… into the 分值 column beside it). A blank column at
    either end is text beside the table (a MoF form's budget-block labels), not this."""
    rows = [[clean(c) for c in row] for row in grid.rows]
    head = next((r for r, row in enumerate(rows) if header_roles(row)), None)
    if head is None:
        return 0
    named = [c for c, text in enumerate(rows[head]) if text]
    return sum(
        1
        for c, text in enumerate(rows[head])
        if not text
        and named[0] < c < named[-1]
        and any(c < len(row) and row[c] for row in rows[head + 1 :])
    )


def quality(grid: Grid, roles: dict | None) -> tuple:
    """Sort key of a candidate: reads as a score table, its header words whole, rows,
    accuracy, little whitespace."""
    if roles is None:
        return (0, 0, 0, 0, 0, 0.0, 0.0)
    report = grid.parsing_report
    return (
        1,
        not split_header(grid),
        len(roles),  # header words merged into one column name fewer roles
        -unnamed_columns(grid),
        data_rows(grid, roles),
        float(report.get("accuracy", 0.0)),
        -float(report.get("whitespace", 100.0)),
    )


def read_tables(path: str | Path, pages: list[int], doc: OpenPdf | None = None) -> list[Grid]:
    """The tables on the given pages (only those: parsing costs), in reading order.

    ``doc``: the document already open (its pages loaded once, ``extract.pdf.OpenPdf``).
    """
    if not pages:
        return []
    path = str(path)
    camelot = CamelotPages(path)  # each page laid out once for every flavor
    lattice = camelot.tables(pages, "lattice", engine="vector")
    pdf = doc or OpenPdf(path)
    grids: list[Grid] = []
    columns: list[tuple[float, float]] | None = None
    roles: dict | None = None
    try:
        for page in pages:
            textpage = pdf[page - 1].get_textpage()
            here = [lattice_grid(t, textpage) for t in lattice if int(t.page) == page]
            score = [g for g in here if _continues_or_heads(g, columns)]
            if not score:
                candidates = []
                rules = horizontal_rules(pdf[page - 1])
                for flavor in TEXT_FLAVORS:
                    for t in camelot.tables([page], flavor):
                        g = text_grid(t, textpage, columns, roles, rules)
                        if g is not None:
                            candidates.append(g)
                found = words_table(textpage, page, pdf[page - 1].get_width())
                g = text_grid(found, textpage, columns, roles, rules) if found else None
                if g is not None:  # Camelot's areas may miss it: the header words' columns
                    candidates.append(g)
                if candidates:
                    best = max(candidates, key=lambda g: quality(g, score_header(g) or roles))
                    if quality(best, score_header(best) or roles)[0]:
                        score = [best]
                        here.append(best)
            for g in score:
                found = score_header(g)
                if found:
                    roles = found
                columns = g.columns
            if not any(is_budget(g) for g in here):  # an unruled block: from its words
                block = budget_words_grid(textpage, page)
                if block is not None:
                    here.append(block)
            chars = page_chars(textpage)
            for g in here:  # every number checked against the page where it was read
                g.numbers_checked, g.number_issues = check_cells(page, g.rows, g.boxes, chars)
            grids += sorted(here, key=lambda g: -g.top)
    finally:
        camelot.close()
        if doc is None:
            pdf.close()
    return grids


def _continues_or_heads(grid: Grid, columns: list[tuple[float, float]] | None) -> bool:
    if score_header(grid):
        return True
    return columns is not None and same_columns(grid.columns, columns)
