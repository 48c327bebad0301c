"""Per page, the Camelot flavor whose table reads best as a score table.

Lattice (``engine="vector"``: the grid from the PDF's own line drawings,
0.09 s a page; the raster engine misses thin rules in spreadsheet exports)
runs on every table page. When none of its tables is a score table there
(no rules, or only horizontal ones), network and stream run on that page and
the candidate that reads best wins: a header (or the columns of the table it
continues) first, then the most data rows, then Camelot's accuracy and
whitespace; the columns the header words print (``words_table``) are a
candidate too. Budget blocks and legends found by lattice are kept too; an
unruled budget block is read from its words (``budget_words``), on the score
header's page or, when that page has none, at the bottom of the page before; a
ruled block is read from its words as well: they give the figures its cells did
not hold whole, and any figure the two readings differ on is an error.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from jixiao.extract.camelot_pages import CamelotPages
from jixiao.extract.pdf import OpenPdf
from jixiao.extract.tables.budget import (
    checked_against_words,
    figures_read,
    is_budget,
    label_key,
    without_label_tails,
)
from jixiao.extract.tables.budget_words import budget_words_grid
from jixiao.extract.tables.grid import Grid, horizontal_rules, lattice_grid, text_grid, words_table
from jixiao.extract.tables.headers import header_pieces, header_roles, number_columns
from jixiao.extract.tables.text import clean, headers, number_or_none
from jixiao.extract.tables.verify import check_cells, page_chars
from jixiao.reference import name_key

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


def header_with_numbers(grid: Grid) -> bool:
    """Whether a row printing three header words holds a number in a cell (a stream reading
    that put the header's last line and the first row's line into one row, the header's
    first line above them: ``三级指标`` glued to the next label, ``1`` under 分值)."""
    words = {name_key(w) for ws in headers()["roles"].values() for w in ws}
    for row in grid.rows:
        cells = [clean(c) for c in row]
        named = sum(name_key(c) in words for c in cells if c)
        if named >= 3 and any(number_or_none(c) is not None for c in cells):
            return True
    return False


def quality(grid: Grid, roles: dict | None) -> tuple:
    """Sort key of a candidate: reads as a score table, its header words whole, rows,
    accuracy, little whitespace. On a page that continues the table, a candidate that
    finds the header the page repeats beats one read in the page before's columns, whose
    rows take the header's words for a row's text (二级指标 / 分值 under the last label)."""
    if roles is None:
        return (0, 0, 0, 0, 0, 0, 0.0, 0.0)
    report = grid.parsing_report
    return (
        1,
        not split_header(grid),
        len(roles),  # header words merged into one column name fewer roles
        score_header(grid) is not None,
        -unnamed_columns(grid),
        not header_with_numbers(grid),
        data_rows(grid, roles),
        float(report.get("accuracy", 0.0)),
        -float(report.get("whitespace", 100.0)),
    )


def rank(grid: Grid, roles: dict | None) -> tuple:
    """A candidate's ``quality`` by the header it prints, else by the table's ``roles``
    (a page that continues the table)."""
    return quality(grid, score_header(grid) or roles)


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
                if found is None:  # no line names four header words: all wrapped, stacked
                    width = pdf[page - 1].get_width()
                    found = words_table(textpage, page, width, stacked=True)
                    g = text_grid(found, textpage, columns, roles, rules) if found else None
                    if g is not None and _names_more(g, candidates, roles):
                        candidates.append(g)
                if candidates:
                    best = max(candidates, key=lambda g: rank(g, roles))
                    if rank(best, roles)[0]:
                        score = [best]
                        here.append(best)
            for g in score:
                found = score_header(g)
                if found:
                    roles = found
                columns = g.columns
            blocks = [g for g in here if is_budget(g)]
            words = budget_words_grid(textpage, page)  # an unruled block: from its words
            if not blocks and words is not None:
                here.append(words)
            elif not blocks and page == pages[0]:  # or at the bottom of the page before
                grids += block_on_page_before(pdf, page)
            elif blocks:
                for g in blocks:
                    without_label_tails(g)
                if words is not None and (missing := figures_missing(blocks, words)):
                    here.append(missing)
            chars = page_chars(textpage)
            for g in here:  # every number checked against the page where it was read
                g.numbers_checked, g.number_issues = check_cells(page, g.rows, g.boxes, chars)
            for g in blocks if words is not None else []:  # a ruled block read two ways
                g.number_issues = checked_against_words(g, words)
            grids += sorted(here, key=lambda g: -g.top)
    finally:
        camelot.close()
        if doc is None:
            pdf.close()
    return grids


def _names_more(stacked: Grid, candidates: list[Grid], roles: dict | None) -> bool:
    """Whether the grid of the stacked header words is a candidate: when no other reads
    as a score table, or when its header names more roles, its words whole (Camelot
    merged 权 / 重 into the columns beside them: 权三级指标重). On a tie the others stay
    (the stacked words' columns take a lead line's 部门 into 权重)."""
    mine = rank(stacked, roles)[:3]
    return all(mine > rank(g, roles)[:3] for g in candidates)


def figures_missing(blocks: list[Grid], words: Grid) -> Grid | None:
    """The figures a ruled block's cells did not hold, from the page's words.

    A spreadsheet clips a label or figure wrapped in a narrow cell (``28,41`` over
    ``9.61``, the second line below the cell's bottom rule; ``基本`` / ``支出`` / ``2841``
    in one cell): the cells read no figure for that label. The words placed by position
    read the stacked pieces as one figure when they make one well-formed number
    (``budget_words``): a copy of the words' block with only the figures of the labels
    the cells did not read, each checked against the page like any other."""
    read = figures_read(blocks)
    heads, figures = words.rows
    figures = [f if label_key(h) not in read else "" for h, f in zip(heads, figures, strict=True)]
    if not any(figures):
        return None
    return replace(words, rows=[heads, figures])


def block_on_page_before(pdf: OpenPdf, page: int) -> list[Grid]:
    """The budget block printed at the bottom of the page before the score header's page
    (a browser or word processor moved the table to the next page), read from its words
    whether ruled or not, its figures checked against that page like any table number;
    none when that page prints no budget label."""
    if page <= 1:
        return []
    textpage = pdf[page - 2].get_textpage()
    text = "".join(textpage.get_text_range().split())
    if not any(label in text for label in headers()["budget_labels"]):
        return []
    block = budget_words_grid(textpage, page - 1, before_table=True)
    if block is None:
        return []
    block.numbers_checked, block.number_issues = check_cells(
        page - 1, block.rows, block.boxes, page_chars(textpage)
    )
    return [block]


def _continues_or_heads(grid: Grid, columns: list[tuple[float, float]] | None) -> bool:
    if score_header(grid):
        return True
    return columns is not None and same_columns(grid.columns, columns)
