"""One table on one page as rows of cell texts, whatever flavor found it.

Camelot 2.0 (playa) places CJK glyph boxes about one glyph height below where
LibreOffice exports print them (their Type 1 CJK fonts say ``Ascent 0``), so
the second line of a wrapped cell lands in the next row. Camelot's geometry is
kept (ruled cells for lattice; table area and columns for stream/network) and
every text is re-read with PDFium, which places glyphs right:

* lattice: each cell's text is PDFium's text inside the cell box, and each
  cell keeps whether it has a ruled top edge (where a merged span starts);
* stream/network: PDFium's characters inside the table area are cut into the
  Camelot columns and grouped into text lines; a data row is anchored by a
  number in the weight or score column, and every other line joins the row
  nearest to the block of lines it belongs to (multi-line cells, merged labels
  printed in the middle or at the bottom of their rows).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from jixiao.extract.pdf import page_glyphs
from jixiao.extract.tables.headers import header_roles, number_columns
from jixiao.extract.tables.text import clean, headers, number_or_none
from jixiao.extract.tables.verify import WELL_FORMED, NumberIssue
from jixiao.reference import name_key

Box = tuple[float, float, float, float]


@dataclass
class Grid:
    """One table on one page: rows of cell texts plus the evidence around them.

    ``top_edges`` is None when the table has no rules (no edge evidence);
    ``columns`` holds each column's (left, right) x in PDF points; ``top`` the
    table's top y (for the order of several tables on a page).

    A table read from Word, Excel or HTML has exact cells and no geometry: its
    merged cells give the top edges, ``cell_refs`` says where each cell is
    (``Sheet!H12``, ``table 2 row 12 col 8``) and ``location`` the whole table.
    """

    page: int
    rows: list[list[str]]
    top_edges: list[list[bool]] | None
    flavor: str
    parsing_report: dict
    columns: list[tuple[float, float]] = field(default_factory=list)
    top: float = 0.0
    cell_refs: list[list[str]] | None = None
    location: str | None = None
    # each cell's box (x1, y1, x2, y2; PDF points, up is larger) where its text was read
    boxes: list[list[Box | None]] = field(default_factory=list)
    # number cells whose reading is not what the page prints there (see ``verify``)
    number_issues: list[NumberIssue] = field(default_factory=list)
    numbers_checked: int = 0

    def cell_ref(self, r: int, c: int | None) -> str | None:
        """Where cell (r, c) was read, when the source says (Word, Excel, HTML)."""
        if self.cell_refs is None or c is None:
            return None
        try:
            return self.cell_refs[r][c]
        except IndexError:
            return None

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.rows), max((len(r) for r in self.rows), default=0)


def lattice_grid(table, textpage) -> Grid:
    """A Camelot lattice table with each cell's text read by PDFium inside its box.

    A merged cell (cells below its first without a ruled top edge) is read
    over its whole box, so a label wrapped over two lines stays one text; it
    is kept in the row where its text starts (top, middle or bottom).
    """
    cells = table.cells
    rows = [[textpage.get_text_bounded(c.x1, c.y1, c.x2, c.y2) for c in row] for row in cells]
    edges = [[bool(c.top) for c in row] for row in cells]
    boxes: list[list[Box | None]] = [[(c.x1, c.y1, c.x2, c.y2) for c in row] for row in cells]
    for col in range(len(cells[0]) if cells else 0):
        r = 0
        while r < len(cells):
            end = r
            while end + 1 < len(cells) and not edges[end + 1][col]:
                end += 1
            texts = [rows[k][col] for k in range(r, end + 1)]
            filled = [k for k, t in zip(range(r, end + 1), texts, strict=True) if t.strip()]
            top, bottom = cells[r][col], cells[end][col]
            for k in range(r, end + 1):  # a merged cell's text is checked over its whole box
                boxes[k][col] = (top.x1, bottom.y1, top.x2, top.y2)
            if len(filled) > 1:
                whole = textpage.get_text_bounded(top.x1, bottom.y1, top.x2, top.y2)
                for k in range(r, end + 1):
                    rows[k][col] = whole if k == filled[0] else ""
            r = end + 1
    _join_row_spans(cells, rows, boxes, textpage)
    _header_overflow_dropped(cells, rows, textpage)
    return Grid(
        page=int(table.page),
        rows=rows,
        top_edges=edges,
        flavor=table.flavor,
        parsing_report=dict(table.parsing_report),
        columns=[(c.x1, c.x2) for c in cells[0]] if cells else [],
        top=max((c.y2 for c in cells[0]), default=0.0) if cells else 0.0,
        boxes=boxes,
    )


def _header_overflow_dropped(cells, rows: list[list[str]], textpage) -> None:
    """A label's last line printed across the rule below its cell (Calc lets a wrapped
    header ``得分/自评分`` overflow its cell) read out of the number cell below too
    (``10`` + ``评分``): PDFium reads the glyphs that cross a rule into both cells. Only
    where the glyphs prove it is dropped from the lower cell: CJK glyphs without digits
    that cross the lower cell's top rule, whose text ends the cell above's, and what is
    left below is one number (``NUMBER``). Anything else stays (and is flagged)."""
    glyphs = page_glyphs(textpage)
    for r in range(1, len(cells)):
        for c, cell in enumerate(cells[r]):
            text, above = rows[r][c], rows[r - 1][c] if c < len(rows[r - 1]) else ""
            # cheap tests first (a page's glyphs are walked only for such a cell)
            if not above.strip() or not _CJK.search(text) or not re.search(r"\d", text):
                continue
            across = "".join(
                ch for ch, (left, bottom, right, top), _loose in glyphs
                if cell.x1 <= (left + right) / 2 < cell.x2 and bottom < cell.y2 < top
            )  # fmt: skip
            if not across or not _CJK.match(across) or re.search(r"\d", across):
                continue
            rest = "".join(text.split()).replace(across, "", 1)
            if NUMBER.fullmatch(rest) and "".join(above.split()).endswith(across):
                rows[r][c] = rest


def _join_row_spans(cells, rows: list[list[str]], boxes: list[list[Box | None]], textpage) -> None:
    """A cell merged across columns (no ruled left edge between them) read whole, once.

    Read column by column, a centred label spanning two columns comes out cut
    (年度资 │ 金总额) or with a glyph on the line twice (项目名称 │ 称): when more than
    one column of the span has text, the span's whole box is read and its text kept
    in the first column of the span that has any.
    """
    for r, row in enumerate(cells):
        c = 0
        while c < len(row):
            end = c
            while end + 1 < len(row) and not row[end + 1].left and not row[end].right:
                end += 1
            filled = [k for k in range(c, end + 1) if rows[r][k].strip()]
            if len(filled) > 1 and all(boxes[r][k] is not None for k in (c, end)):
                x1, y1, _, y2 = boxes[r][c]
                x2 = boxes[r][end][2]
                whole = textpage.get_text_bounded(x1, y1, x2, y2)
                for k in range(c, end + 1):
                    rows[r][k] = whole if k == filled[0] else ""
                    boxes[r][k] = (x1, y1, x2, y2)
            c = end + 1


@dataclass
class Line:
    """Text of one column on one printed line."""

    col: int
    y: float  # centre, PDF points (up is larger)
    height: float
    text: str
    width: float = 0.0  # the glyphs' widths added up (what the line needs in its cell)
    widest: float = 0.0  # lines joined into this one (a wrapped number): the widest of them

    @property
    def printed(self) -> float:
        """The width of the widest line as printed (one line: its own)."""
        return self.widest or self.width


def column_lines(
    textpage,
    columns: list[tuple[float, float]],
    y_min: float,
    y_max: float,
    numbers: set[int] | frozenset[int] = frozenset(),
) -> list[Line]:
    """PDFium's characters inside the area, cut into columns and grouped into lines.

    ``numbers``: the columns of numbers (分值, 得分). A line there printing a number and,
    a gutter's width to its right, text starting with a CJK character (``0.6  存在不足``:
    the reason beside it, its first characters left of the boundary) gives that text to
    the next column (``spilled_text``)."""
    chars: list[tuple[int, float, float, float, str, float]] = []
    for ch, (left, bottom, right, top), loose in page_glyphs(textpage):
        x, y = (left + right) / 2, (bottom + top) / 2
        if not y_min <= y <= y_max:
            continue
        col = next((k for k, (a, b) in enumerate(columns) if a <= x < b), None)
        if col is not None:
            # the advance box's width: what layout allots the glyph
            chars.append((col, y, max(top - bottom, 1.0), x, ch, max(loose[2] - loose[0], 0.0)))
    furniture = {  # a page number printed across two columns (—3 | —) is no cell's text
        id(c)
        for g in _line_groups(chars)
        if _furniture("".join(c[4] for c in sorted(g, key=lambda c: c[3])))
        for c in g
    }
    chars = [c for c in chars if id(c) not in furniture]
    if numbers:
        chars = spilled_text(chars, {c for c in numbers if c + 1 < len(columns)})
    lines: list[Line] = []
    for col in range(len(columns)):
        groups = _punctuation_joined(_line_groups([c for c in chars if c[0] == col]))
        for g in groups:
            g.sort(key=lambda c: c[3])
            text = "".join(c[4] for c in g)
            y, h = sum(c[1] for c in g) / len(g), max(c[2] for c in g)
            lines.append(Line(col, y, h, text, sum(c[5] for c in g)))
    lines = [ln for ln in lines if not _furniture(ln.text)]
    return join_wrapped_numbers(sorted(lines, key=lambda ln: (-ln.y, ln.col)))


def _line_groups(chars: list[tuple]) -> list[list[tuple]]:
    """One column's characters grouped by printed line (centres within half a height)."""
    groups: list[list[tuple]] = []
    for c in sorted(chars, key=lambda c: -c[1]):
        if groups and abs(groups[-1][0][1] - c[1]) < 0.5 * max(c[2], groups[-1][0][2]):
            groups[-1].append(c)
        else:
            groups.append([c])
    return groups


def spilled_text(chars: list[tuple], numbers: set[int]) -> list[tuple]:
    """Characters of a number column's line moved to the next column where the glyphs
    prove they are its text: the line prints a whole number (``NUMBER``), then a gap
    wider than a glyph's height (no gap inside one cell's text is), then text starting
    with a CJK character. Anything else stays where it is (and is flagged when the cell
    is not one number)."""
    moved: set[int] = set()
    index = {id(c): k for k, c in enumerate(chars)}
    for col in numbers:
        for group in _line_groups([c for c in chars if c[0] == col]):
            group.sort(key=lambda c: c[3])
            k = next((i for i, c in enumerate(group) if _CJK.match(c[4])), None)
            if not k:
                continue
            head, tail = group[:k], group[k:]
            gap = (tail[0][3] - tail[0][5] / 2) - (head[-1][3] + head[-1][5] / 2)
            if NUMBER.fullmatch("".join(c[4] for c in head)) and gap > max(c[2] for c in group):
                moved |= {index[id(c)] for c in tail}
    return [(c[0] + 1, *c[1:]) if k in moved else c for k, c in enumerate(chars)]


_CJK = re.compile(r"[\u4e00-\u9fff]")
NUMBER = re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?|\d+(\.\d+)?")


def _punctuation_joined(groups: list[list[tuple]]) -> list[list[tuple]]:
    """Groups of punctuation alone (a full-width ``，`` or ``。`` whose box sits low) joined
    to the nearest line of text beside them: they are not a printed line of their own."""
    text = [g for g in groups if any(c[4].isalnum() for c in g)]
    if not text:
        return groups
    for g in groups:
        if any(c[4].isalnum() for c in g):
            continue
        y = g[0][1]
        near = min(text, key=lambda t: abs(t[0][1] - y))
        if abs(near[0][1] - y) < 0.8 * max(c[2] for c in near):
            near += g
        else:
            text.append(g)
    return sorted(text, key=lambda g: -g[0][1])


def _furniture(text: str) -> bool:
    """A page number under the table (``—3—``, ``第 3 页``): not the last row's text."""
    from jixiao.reference.numbers import load_patterns

    return any(re.search(p, text) for p in load_patterns()["line_furniture"])


def join_wrapped_numbers(lines: list[Line]) -> list[Line]:
    """A number wrapped in a narrow cell (``94.`` over ``5``, ``76,`` over ``543,210.00``)
    read whole: a line of a column ending in a separator joins the next line of the same
    column when that one is digits printed right below it."""
    out: list[Line] = []
    pending: dict[int, Line] = {}
    for ln in lines:
        above = pending.get(ln.col)
        if (
            above is not None
            and above.y - ln.y < 2.2 * max(above.height, ln.height)
            and (
                (
                    re.fullmatch(r"[\d,.，．]*\d[,.，．]", above.text)
                    and re.fullmatch(r"\d[\d,.，．]*", ln.text)
                )
                or (
                    re.fullmatch(r"[\d,，]*\d", above.text)  # 98 over .7
                    and re.fullmatch(r"[.．,，]\d[\d,.，．]*", ln.text)
                )
            )
        ):
            top, bottom = above.y + above.height / 2, ln.y - ln.height / 2
            joined = Line(
                ln.col, (top + bottom) / 2, top - bottom, above.text + ln.text,
                above.width + ln.width, max(above.printed, ln.printed),
            )  # fmt: skip
            out[out.index(above)] = joined
            pending[ln.col] = joined
            continue
        out.append(ln)
        pending[ln.col] = ln
    return out


def join_stacked_numbers(lines: list[Line], roles: dict) -> list[Line]:
    """A number wrapped in a cell too narrow for it, with no separator at the cut
    (``2`` over ``0`` for 20, ``1`` / ``0`` / ``0`` for 100), read whole.

    In the leaf 分值 column or the 得分 column (one number per row; a merged parent's 分值
    column may print two spans' numbers one line apart), a number line joins the number
    line right below it (one line pitch) only when all of these hold, else both stay as
    printed (and a span or sum check flags what does not add up):

    * together they are wider than any line the column prints on one line (header
      included; a number already joined from two lines counts as its widest line; the
      评价等级 legend under the table is no cell's): a cell that ever holds that width
      would not have wrapped them;
    * together they are one well-formed number;
    * the upper line is full: with the lower one's first digit it would be wider than
      a number the column prints on one line (a wrap fills a line before it starts the
      next: ``2`` over ``96.`` / ``1`` in a column that prints ``96.`` on one line are
      the 2 of a row and the total's 96.1, never 296.1);
    * the other number columns do not print a number beside each of the two lines
      (two rows, each with its own 分值 and 得分, are two numbers).

    A parent's 分值 column (and the 总分 row's) may print two spans' numbers one line
    apart (预算编制's 3 at the bottom of its span over 预算执行's 4 at the top of its
    own): there the two lines are joined only when the label printed nearest to each
    is the same label (one cell: its label and its wrapped number side by side).
    """
    leaf = set(number_columns(roles))
    parents = {
        c: roles[role[len("weight:") :]][0]
        for role, cs in roles.items()
        if role.startswith("weight:") and role[len("weight:") :] in roles
        for c in cs
        if c not in leaf
    }
    out = list(lines)
    grades = [name_key(w) for w in headers()["grade_labels"]]
    legend = max(
        (ln.y for ln in lines if any(name_key(ln.text).startswith(k) for k in grades if k)),
        default=None,
    )  # the 评价等级 legend runs across the columns under the table (its label centred
    # on its lines): no cell's text
    for col in sorted(leaf | set(parents)):
        mine = sorted((ln for ln in out if ln.col == col), key=lambda ln: -ln.y)
        if not mine:
            continue
        inside = [ln for ln in mine if legend is None or ln.y > legend + ln.height]
        # the widest line the cell is seen to hold on one printed line; of numbers alone
        # (a browser may print 分值 in a header cell wider than the 100 it wraps below)
        capacity = max((ln.printed for ln in inside), default=0.0)
        held = max((ln.printed for ln in inside if _is_number(ln.text)), default=0.0)
        others = [ln for ln in out if ln.col in leaf and ln.col != col and _is_number(ln.text)]
        if col in parents:
            blocks = _label_blocks([ln for ln in out if ln.col == parents[col]])
            others = []
        k = 0
        while k + 1 < len(mine):
            up, low = mine[k], mine[k + 1]
            text = up.text + low.text
            if (
                _is_number(up.text)
                and _is_number(low.text)
                and _one_line_apart(up, low)
                and WELL_FORMED.fullmatch(text)
                and not (_beside(others, up) and _beside(others, low))
                and (col not in parents or _same_label(blocks, up, low))
                and up.width + low.width / len(low.text) > held - 0.5
                and (
                    up.width + low.width > capacity + 0.05
                    or (col in parents and _closing(blocks, up))
                )
            ):
                top, bottom = up.y + up.height / 2, low.y - low.height / 2
                joined = Line(
                    col, (top + bottom) / 2, top - bottom, text, up.width + low.width,
                    max(up.printed, low.printed),
                )  # fmt: skip
                out[out.index(up)] = joined
                out.remove(low)
                mine[k : k + 2] = [joined]
                continue
            k += 1
    return sorted(out, key=lambda ln: (-ln.y, ln.col))


def _one_line_apart(up: Line, low: Line) -> bool:
    """Whether the last printed line of ``up`` and the first of ``low`` are one line pitch
    apart (at most 2.2 line heights between their centres). A number already joined from
    two lines (``97.`` / ``2``) is as tall as both: its centre is not its first line's, and
    the line of the row above (三公's ``2``, a row pitch up) is not one line above it."""
    h = min(up.height, low.height)  # one printed line
    return up.y - low.y - (up.height + low.height) / 2 + h <= 2.2 * h


def _label_blocks(lines: list[Line]) -> list[list[Line]]:
    """A label column's lines grouped into labels: one line pitch apart, a completed
    dictionary name ending its label (``_two_cells``)."""
    blocks: list[list[Line]] = []
    for ln in sorted((ln for ln in lines if ln.text.strip()), key=lambda ln: -ln.y):
        last = blocks[-1][-1] if blocks else None
        if (
            last is not None
            and last.y - ln.y <= 2.2 * max(last.height, ln.height)
            and not _two_cells(blocks[-1], ln, False)
        ):
            blocks[-1].append(ln)
        else:
            blocks.append([ln])
    return blocks


def _same_label(blocks: list[list[Line]], up: Line, low: Line) -> bool:
    """Whether the label printed nearest to both lines is one and the same label."""
    a = _nearest_label(blocks, up)
    return a is not None and a == _nearest_label(blocks, low)


def _nearest_label(blocks: list[list[Line]], line: Line) -> int | None:
    """The label block printed nearest to ``line`` (within two line heights), if any."""

    def gap(b: list[Line]) -> float:
        top, bottom = b[0].y + b[0].height / 2, b[-1].y - b[-1].height / 2
        return max(bottom - line.y, line.y - top, 0.0)

    if not blocks:
        return None
    k = min(range(len(blocks)), key=lambda k: gap(blocks[k]))
    return k if gap(blocks[k]) <= 2 * line.height else None


def _closing(blocks: list[list[Line]], line: Line) -> bool:
    """Whether the label printed nearest to ``line`` is the total's (总分): its 分值 cell
    holds one number, the sum of the level-1 weights (100), however wide the header."""
    k = _nearest_label(blocks, line)
    if k is None:
        return False
    keys = {name_key(w) for w in headers()["total_labels"]}
    return name_key("".join(ln.text for ln in blocks[k])) in keys


def _is_number(text: str) -> bool:
    return re.fullmatch(r"[\d,.]+", text) is not None and any(ch.isdigit() for ch in text)


def _beside(lines: list[Line], line: Line) -> bool:
    return any(abs(ln.y - line.y) < 0.5 * max(ln.height, line.height) for ln in lines)


def bands(lines: list[Line]) -> list[list[Line]]:
    """Lines across columns that share a printed line, top to bottom."""
    out: list[list[Line]] = []
    for ln in sorted(lines, key=lambda ln: -ln.y):
        if out and abs(out[-1][0].y - ln.y) < 0.5 * ln.height:
            out[-1].append(ln)
        else:
            out.append([ln])
    return out


def _cells(band_group: list[list[Line]], n: int) -> list[str]:
    cells = [""] * n
    for band in band_group:
        for ln in sorted(band, key=lambda ln: -ln.y):
            cells[ln.col] += ln.text
    return [clean(c) for c in cells]


def find_header(rows: list[list[Line]], n: int) -> tuple[int, int, dict] | None:
    """(first band, number of bands, roles) of the header: the band group naming most roles.

    The first band that starts a header is looked at together with the next two: a
    line printed just above the header (a budget block's figures, a caption) makes a
    group that names fewer roles than the header's own lines.
    """
    found = None
    for i in range(len(rows)):
        if found is not None and i > found[0] + 2:
            break
        for k in range(1, 9):  # a header wrapped in narrow columns: up to eight lines
            roles = header_roles(_cells(rows[i : i + k], n))
            if roles and (found is None or len(roles) > len(found[2])):
                found = (i, k, roles)
    if found is None:
        return None
    i, k, roles = found
    # a line just above the header (a budget block's figures) that names nothing is not
    # the header's: its commas would widen the columns the header's words cut
    while k > 1 and len(header_roles(_cells(rows[i + 1 : i + k], n)) or {}) == len(roles):
        i, k = i + 1, k - 1
    return i, k, header_roles(_cells(rows[i : i + k], n)) or roles


def text_grid(
    table,
    textpage,
    columns: list[tuple[float, float]] | None = None,
    roles: dict | None = None,
    rules: list[Rule] | None = None,
) -> Grid | None:
    """A stream/network table rebuilt from PDFium's text lines (see the module docstring).

    Camelot's columns find the header; the boundaries are then moved into the
    emptiest vertical strip between neighbouring header labels (a wrapped
    reason must not lend its first characters to the score column).

    Args:
        table: the Camelot table (its area, columns and parsing report).
        textpage: PDFium's text page of the table's page.
        columns: the score table's columns from an earlier page, for a page that
            continues it without repeating the header.
        roles: the column roles that go with ``columns``.
        rules: the page's horizontal rules (``horizontal_rules``): a table ruled between
            its rows (no vertical rules, so lattice does not find it) has its cells'
            top edges read from them.

    Returns:
        The grid (header row first when the page prints one), or None when the
        page holds no header and nothing continues.
    """
    _x1, y1, _x2, y2 = table._bbox
    margin = 18.0  # the area Camelot reports comes from playa's (shifted) glyph boxes
    # below: two more lines, the last pieces of a number wrapped in the last row (1/0/0)
    y_min, y_max = y1 - 2 * margin, y2 + margin
    header = None
    own = [tuple(c) for c in table.cols]
    for cols in (own, columns) if columns else (own,):
        lines = column_lines(textpage, cols, y_min, y_max)
        found = find_header(bands(lines), len(cols))
        if found and (merged := _empty_merged(cols, lines, bands(lines)[found[0]])) != cols:
            again = column_lines(textpage, merged, y_min, y_max)
            if (header := find_header(bands(again), len(merged))) and len(header[2]) >= len(
                found[2]
            ):
                cols, lines, found = merged, again, header
        if found:
            cols = refine_columns(textpage, cols, bands(lines), found, y_min, rules or [])
            lines = column_lines(textpage, cols, y_min, y_max)
            header = find_header(bands(lines), len(cols))
            if header:
                use_cols = cols
                break
    if header is None:
        if not columns or not roles:
            return None
        use_cols = fit_columns(textpage, columns, y_min, y_max)
        use_cols = _fitted_to_rule_ends(
            use_cols, rule_ends([r for r in rules or [] if y_min <= r.y <= y_max])
        )
        lines = column_lines(textpage, use_cols, y_min, y_max)
        roles_here, header_rows = roles, []
    else:
        all_bands = bands(lines)
        i, k, roles_here = header
        header_rows = [_cells(all_bands[i : i + k], len(use_cols))]
    numbers = {c for r, cs in roles_here.items() if r == "score" or r.startswith("weight")
               for c in cs}  # fmt: skip
    lines, legend = legend_cut(column_lines(textpage, use_cols, y_min, y_max, numbers))
    if header is None:
        body = bands(join_stacked_numbers(lines, roles_here))
    else:
        below = min(ln.y - ln.height / 2 for band in all_bands[i : i + k] for ln in band)
        # the header and what is under it: a lead line above (本表根据部门…) is no cell's
        top = max(ln.y + ln.height / 2 for band in all_bands[i : i + k] for ln in band)
        from_header = [ln for ln in lines if ln.y <= top]
        body = [b for b in bands(join_stacked_numbers(from_header, roles_here)) if b[0].y < below]
    # a page that continues the table may start with the tail of its last row; the first
    # page of the table cannot (there, text above the first numbers is that row's own)
    body_rows, body_boxes, body_edges = _body_rows(
        body, roles_here, use_cols, columns is not None, rules or []
    )
    if legend and body_rows:  # the legend closes the table: one last row, the grade's
        cells = [[ln for ln in legend if ln.col == c] for c in range(len(use_cols))]
        body_rows.append([clean("".join(ln.text for ln in c)) for c in cells])
        body_boxes.append([_lines_box(c, use_cols[col]) for col, c in enumerate(cells)])
        if body_edges is not None:
            body_edges.append([True] * len(use_cols))
    rows = header_rows + body_rows
    if header is None:
        use_cols = columns  # the table's columns; the text was read in the fitted ones
    edges = None
    if body_edges is not None:
        edges = [[True] * len(use_cols) for _ in header_rows] + body_edges
    return Grid(
        page=int(table.page),
        rows=rows,
        top_edges=edges,
        flavor=table.flavor,
        parsing_report=dict(table.parsing_report),
        columns=list(use_cols),
        top=y2,
        boxes=[[None] * len(use_cols) for _ in header_rows] + body_boxes,
    )


def _empty_merged(
    cols: list[tuple[float, float]], lines: list[Line], head: list[Line]
) -> list[tuple[float, float]]:
    """Camelot's columns with each one that prints nothing from the header's first line
    down (no header word, no line below; a budget block above may) joined to its left
    neighbour (the first to its right one): an empty column keeps the gutters between
    its neighbours from being found."""
    top = max(ln.y + ln.height / 2 for ln in head)
    used = {ln.col for ln in lines if ln.y <= top}
    if len(used) == len(cols) or not used:
        return cols
    bounds = [cols[0][0]]
    for c in range(len(cols)):
        if c in used or c == 0:
            bounds.append(cols[c][1])
        else:
            bounds[-1] = cols[c][1]
    if 0 not in used:  # the first column empty: its right neighbour takes it
        bounds.pop(1)
    return list(itertools.pairwise(bounds))


def refine_columns(
    textpage,
    cols: list[tuple[float, float]],
    rows: list[list[Line]],
    header: tuple,
    y_min: float,
    rules: list[Rule] | None = None,
) -> list[tuple[float, float]]:
    """Column boundaries moved to the emptiest strip between neighbouring header labels.

    A column that prints two header words side by side on one header line (a narrow
    分值 column beside 三级指标 that Camelot took for one) is split between them first.

    Where the rules under the header end or meet between two header labels (a browser's
    table ruled between its rows draws each cell's border on its own: ``rule_ends``),
    that is the cells' edge, and the boundary goes there: a centred 扣分原因 header leaves
    a wide empty strip, but the reason printed below starts at its cell's left edge, right
    beside the score (``5.25 存在不足``)."""
    i, k, _roles = header
    head = [ln for band in rows[i : i + k] for ln in band]
    head_bottom = min(ln.y - ln.height / 2 for ln in head)
    n_found = len(cols)
    cols = split_columns(textpage, cols, head)
    # the columns of numbers (分值, 得分): their gutter is kept close to the numbers
    if len(cols) == n_found:
        roles = header_roles(_cells(rows[i : i + k], n_found)) or {}
    else:  # a column split: its header words read again in the split columns
        top = max(ln.y + ln.height / 2 for ln in head)
        again = bands(column_lines(textpage, cols, head_bottom, top))
        roles = header_roles(_cells(again, len(cols))) or {}
    numbers = {c for r, cs in roles.items() if r == "score" or r.startswith("weight") for c in cs}
    extents: dict[int, tuple[float, float]] = {}
    spans = []
    for _ch, (left, bottom, right, top), loose in page_glyphs(textpage):
        y = (bottom + top) / 2
        if any(abs(y - ln.y) < ln.height / 2 for ln in head):
            col = next((c for c, (a, b) in enumerate(cols) if a <= (left + right) / 2 < b), None)
            if col is not None:
                a, b = extents.get(col, (left, right))
                extents[col] = (min(a, left), max(b, right))
        elif y_min <= y < head_bottom:  # advance boxes: a comma's box is a full em wide
            left, _b, right, _t = loose
            spans.append((left, right, y, max(top - bottom, 1.0)))
    ends = rule_ends([r for r in rules or [] if y_min <= r.y < head_bottom])
    if len(extents) != len(cols):  # a column with no header words (text beside the table)
        return _on_rule_ends(cols, extents, ends)
    spans = _text_runs(spans)
    bounds = [cols[0][0]]
    for c in range(len(cols) - 1):
        if extents[c + 1][0] <= extents[c][1]:
            return cols
        if (edge := _rule_end_between(ends, extents[c][1], extents[c + 1][0])) is not None:
            bounds.append(edge)  # the cells' own edge, drawn by the rules
            continue
        # from the middle of one header label to the middle of the next: a number
        # narrower than its header leaves the gutter left of the header's right edge
        lo, hi = sum(extents[c]) / 2, sum(extents[c + 1]) / 2
        steps = [lo + (hi - lo) * s / 80 for s in range(81)]
        # never through a header label: a cut there puts the header word in two columns
        cover = [
            sum(a < x < b for a, b in spans)
            + 1000 * any(a + 1 < x < b - 1 for a, b in extents.values())
            for x in steps
        ]
        least = min(cover)
        run = _widest_run([n == least for n in cover])
        if c in numbers:  # the next column may start with text only on later pages
            pitch = max(ln.height for ln in head)
            bounds.append(min((steps[run[0]] + steps[run[1]]) / 2, steps[run[0]] + pitch))
        else:
            bounds.append((steps[run[0]] + steps[run[1]]) / 2)
    bounds.append(cols[-1][1])
    return [(bounds[c], bounds[c + 1]) for c in range(len(cols))]


def _on_rule_ends(
    cols: list[tuple[float, float]], extents: dict[int, tuple[float, float]], ends: list[float]
) -> list[tuple[float, float]]:
    """Each boundary between two header labels with one rule end between them moved
    there (the cells' edge); every other boundary stays."""
    bounds = [a for a, _b in cols] + [cols[-1][1]]
    for c in range(len(cols) - 1):
        if c in extents and c + 1 in extents:
            edge = _rule_end_between(ends, extents[c][1], extents[c + 1][0])
            bounds[c + 1] = bounds[c + 1] if edge is None else edge
    return list(itertools.pairwise(bounds))


def _rule_end_between(ends: list[float], left: float, right: float) -> float | None:
    """The one rule end strictly between two header labels (``left`` ends one, ``right``
    starts the next), or None when there is none or more than one."""
    edge = [x for x in ends if left < x < right]
    return edge[0] if len(edge) == 1 else None


def _fitted_to_rule_ends(
    cols: list[tuple[float, float]], ends: list[float]
) -> list[tuple[float, float]]:
    """A continued table's columns (the page before's, ``fit_columns``) moved onto this
    page's cell edges: each boundary to the rule end nearest it, closer than half the
    narrower of its two columns, when no other boundary is nearest to that end too (a
    header printed alone at the bottom of the page before left its gutters unknown:
    部 / 门整体…)."""
    bounds = [a for a, _b in cols] + [cols[-1][1]]
    nearest: dict[int, float] = {}
    for i in range(1, len(bounds) - 1):
        reach = 0.5 * min(bounds[i] - bounds[i - 1], bounds[i + 1] - bounds[i])
        between = [x for x in ends if bounds[i - 1] < x < bounds[i + 1]]
        between = [x for x in between if abs(x - bounds[i]) < reach]
        if between:
            nearest[i] = min(between, key=lambda x: abs(x - bounds[i]))
    taken = list(nearest.values())
    for i, x in nearest.items():
        if taken.count(x) == 1:
            bounds[i] = x
    return list(itertools.pairwise(bounds))


def rule_ends(rules: list[Rule]) -> list[float]:
    """Where the horizontal rules of a table end or meet inside it: the cells' left and
    right edges. An x counts when at least two rules, at two heights, end there (within
    half a point), and not at the table's outer edges (where every rule ends)."""
    if not rules:
        return []
    left, right = min(r.x1 for r in rules), max(r.x2 for r in rules)
    at: dict[float, set[float]] = {}
    for r in rules:
        for x in (r.x1, r.x2):
            if left + 1.0 < x < right - 1.0:
                key = next((k for k in at if abs(k - x) <= 0.5), x)
                at.setdefault(key, set()).add(round(r.y, 1))
    return sorted(x for x, ys in at.items() if len(ys) >= 2)


def fit_columns(
    textpage, cols: list[tuple[float, float]], y_min: float, y_max: float
) -> list[tuple[float, float]]:
    """The columns of the page before, each boundary moved off the words it cuts on this
    page. A header printed alone at the bottom of a page has no text below it to find
    its gutters by: a wide 评分标准 column's lines may run past the boundary drawn between
    the header labels (``效`` of 绩效 read into the 权重 column). A run of glyphs (its
    gaps narrower than a third of their height) is one cell's text: a boundary through
    runs moves just past all of them, to the right or to the left, when only one of the
    two cuts no run, lies within two and a half line heights and leaves both columns at
    least half their width; otherwise it stays.
    Only the body's lines count: none from the 总分 or 评价等级 line down (the legend under
    the total runs across the columns), and a run over two boundaries or more (a legend
    or note across the table) moves nothing. The grid keeps the page before's columns as its own
    (``Grid.columns``: the table's identity across pages); its cells' boxes are where the
    text was read."""
    spec = headers()
    closing = [name_key(w) for w in spec["total_labels"] + spec["grade_labels"]]
    bounds = [a for a, _b in cols] + [cols[-1][1]]
    lines = [ln for ln in glyph_lines(textpage, x="glyph", y="glyph") if y_min <= ln[0][2] <= y_max]
    ends = [
        ln[0][2] for ln in lines
        if any(name_key("".join(g[4] for g in glyph_runs(ln, 0.3)[0])).startswith(k)
               for k in closing if k)
    ]  # fmt: skip
    if ends:
        lines = [ln for ln in lines if ln[0][2] > max(ends) + 0.5 * ln[0][3]]
    if not lines:
        return cols
    runs = [
        (run[0][0], run[-1][1], k) for k, line in enumerate(lines) for run in glyph_runs(line, 0.3)
    ]
    reach = 2.5 * sorted(ln[0][3] for ln in lines)[len(lines) // 2]
    # a run over two boundaries or more is no cell's text (a legend across the table)
    runs = [r for r in runs if sum(r[0] + 1 < x < r[1] - 1 for x in bounds[1:-1]) == 1]

    def cut(x: float) -> list[tuple[float, float, int]]:
        return [r for r in runs if r[0] < x - 1 and x + 1 < r[1]]

    for i in range(1, len(bounds) - 1):
        x = bounds[i]
        through = cut(x)
        if not through:
            continue
        # past every run it cuts, to the right or to the left: only one way may be open
        ways = [max(r[1] for r in through) + 0.5, min(r[0] for r in through) - 0.5]
        open_ = [
            m for m in ways
            if abs(m - x) <= reach and not cut(m)
            and m - bounds[i - 1] >= 0.5 * (x - bounds[i - 1])
            and bounds[i + 1] - m >= 0.5 * (bounds[i + 1] - x)
        ]  # fmt: skip
        if len(open_) == 1:
            bounds[i] = open_[0]
    return list(itertools.pairwise(bounds))


def split_columns(
    textpage, cols: list[tuple[float, float]], head: list[Line]
) -> list[tuple[float, float]]:
    """Columns split where one header line prints two or more header words apart."""
    words = {name_key(w) for ws in headers()["roles"].values() for w in ws}
    glyphs: dict[tuple[int, int], list[tuple[float, float, float, str]]] = {}
    for ch, _tight, (left, bottom, right, top) in page_glyphs(textpage):
        y, x = (bottom + top) / 2, (left + right) / 2
        line = next((round(ln.y) for ln in head if abs(y - ln.y) < ln.height / 2), None)
        col = next((c for c, (a, b) in enumerate(cols) if a <= x < b), None)
        if line is not None and col is not None:
            glyphs.setdefault((col, line), []).append((left, right, max(top - bottom, 1.0), ch))
    cuts: dict[int, list[float]] = {}
    for (col, _line), line_glyphs in glyphs.items():
        line_glyphs.sort()
        runs = [[line_glyphs[0]]]
        for g in line_glyphs[1:]:
            if g[0] - runs[-1][-1][1] < 0.5 * g[2]:
                runs[-1].append(g)
            else:
                runs.append([g])
        texts = [name_key("".join(g[3] for g in run)) for run in runs]
        if len(runs) > 1 and all(t in words for t in texts):
            cuts[col] = [(a[-1][1] + b[0][0]) / 2 for a, b in itertools.pairwise(runs)]
    out = []
    for col, (a, b) in enumerate(cols):
        edges = [a, *cuts.get(col, []), b]
        out += list(itertools.pairwise(edges))
    return out


def _text_runs(glyphs: list[tuple[float, float, float, float]]) -> list[tuple[float, float]]:
    """Glyph boxes (left, right, y, height) → the x extents of the text runs they print:
    glyphs of one line closer than half their height are one run (the gaps between the
    glyphs of a word are not gutters)."""
    runs: list[tuple[float, float]] = []
    by_line: dict[int, list[tuple[float, float, float]]] = {}
    for left, right, y, h in glyphs:
        by_line.setdefault(round(y), []).append((left, right, h))
    for line in by_line.values():
        line.sort()
        start, end, h = line[0]
        for left, right, hh in line[1:]:
            if left - end < 0.5 * max(h, hh):
                end = max(end, right)
            else:
                runs.append((start, end))
                start, end, h = left, right, hh
        runs.append((start, end))
    return runs


def _widest_run(flags: list[bool]) -> tuple[int, int]:
    """(first, last) index of the longest stretch of True (the leftmost of equals).

    The emptiest strip between two header labels is where the gutter is; a
    left-aligned text beside a number column also has narrow empty strips
    between its glyphs (around punctuation), which are shorter.
    """
    best, start = (0, 0), None
    for i, flag in enumerate([*flags, False]):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            if i - 1 - start > best[1] - best[0] or not flags[best[0]]:
                best = (start, i - 1)
            start = None
    return best


def _is_anchor(band: list[Line], roles: dict) -> bool:
    spec = headers()
    closing = {name_key(w) for w in spec["total_labels"] + spec["grade_labels"]}
    by_col = {ln.col: ln.text for ln in band}
    if any(number_or_none(by_col.get(c, "")) is not None for c in number_columns(roles)):
        return True
    first = min(by_col)
    return any(name_key(by_col[first]).startswith(k) for k in closing if k)


def _closing_band(lines: list[Line]) -> bool:
    """Whether the leftmost of ``lines`` starts with a 总分 or 评价等级 label."""
    spec = headers()
    closing = {name_key(w) for w in spec["total_labels"] + spec["grade_labels"]}
    first = min(lines, key=lambda ln: ln.col)
    return any(name_key(first.text).startswith(k) for k in closing if k)


def legend_cut(lines: list[Line]) -> tuple[list[Line], list[Line]]:
    """A grid's lines above the 评价等级 legend, and the legend's lines with all below it.

    The legend closes the table: none of its lines is a line of the rows above (its wide
    lines set no number column's width for ``join_stacked_numbers``: ``98.3`` / ``1``),
    nor a row's anchor (its ``80`` under 分值). Where 评价等级's first glyph falls left of the
    first column (``价等级：``), no grade label names it: its text does (``is_legend``)."""
    found = bands(lines)
    k = next((i for i, band in enumerate(found) if is_legend(band)), None)
    if not k:
        return lines, []
    legend = [ln for band in found[k:] for ln in band]
    return [ln for ln in lines if ln not in legend], legend


def is_legend(band: list[Line]) -> bool:
    """Whether a printed line is the 评价等级 legend (``√优 90分≤得分≤100分；□良 80分≤…``),
    also when its label's first glyphs fall left of the table's first column: its text
    across the columns, in column order, prints a grade's range (``grade_legend`` in
    ``reference/table_headers.yaml``)."""
    return legend_printed([ln.text for ln in sorted(band, key=lambda ln: ln.col)])


def legend_printed(cells: list[str]) -> bool:
    """Whether cells, read in order, print the legend's grade range (``grade_legend``)."""
    text = re.sub(r"\s", "", "".join(cells))
    return re.search(headers()["grade_legend"], text) is not None


def _total_label_cols(lines: list[Line], roles: dict) -> set[int]:
    """The columns of the level whose column prints the 总分 label (its label and 分值
    columns): there the total's own weight (100) may sit above its label's line."""
    first = min(lines, key=lambda ln: ln.col).col
    level = next((r for r, cs in roles.items() if r.startswith("name_") and first in cs), None)
    if level is None:
        return {first}
    return set(roles.get(level, [])) | set(roles.get(f"weight:{level}", []))


def _body_rows(
    body: list[list[Line]],
    roles: dict,
    columns: list[tuple[float, float]],
    continues: bool = True,
    rules: list[Rule] | None = None,
) -> tuple[list[list[str]], list[list[Box | None]], list[list[bool]] | None]:
    """Data rows below the header: anchors plus the blocks of lines nearest to each.

    Lines of one column join a block when they are one line pitch apart (the
    smallest distance between two lines of a column, when it is smaller than
    the distance between rows). A block over several rows is one merged label
    in a label column, and one line per row elsewhere.

    Horizontal rules, where the page prints them, are the cells' edges: lines on
    two sides of a rule are never one block; in a table ruled between every two
    rows (``_ruled_rows``) a block is the text of one cell: all of it goes to the
    one row whose numbers are inside the cell (a three-line name beside a
    two-line one), the number lines of one weight cell are one wrapped number
    (``2`` over ``0`` inside one merged 分值 cell), and each cell's top edge is
    known (``top_edges``, the hierarchy's rule evidence).

    Returns the rows' cell texts, per cell the box of the lines it was read from,
    and the top edges (None when the table is not ruled between its rows).
    """
    n = len(columns)
    rules = rules or []
    anchors = [b for b in body if _is_anchor(b, roles)]
    anchors = _total_numbers_joined(_wrapped_numbers_rows(anchors, roles), roles)
    if not anchors:
        return [], [], None
    anchor_y = [sum(ln.y for ln in b) / len(b) for b in anchors]
    crossing = [_crossing(rules, columns, col) for col in range(n)]
    ruled = _ruled_rows(crossing, anchor_y, number_columns(roles))
    if ruled:  # two anchors in one ruled row (a total whose score wraps) are one row
        anchors = _one_row_per_cell(anchors, crossing[number_columns(roles)[0]])
        anchor_y = [sum(ln.y for ln in b) / len(b) for b in anchors]
    height = max(ln.height for b in anchors for ln in b)
    row_gap = min((a - b for a, b in itertools.pairwise(anchor_y)), default=9e9)
    last_y = anchor_y[-1] - 3 * height * 1.5  # below this: not the table any more
    lines = [ln for b in body for ln in b if ln.y >= last_y]
    line_gap = _line_pitch(lines, n)
    pitch = line_gap * 1.15 if line_gap < 0.9 * row_gap else 0.0
    label_cols = {c for role, cols in roles.items() if "name_l1" in role or "name_l2" in role
                  for c in cols}  # fmt: skip
    weight_cols = {c for role, cols in roles.items() if role.startswith("weight") for c in cols}
    rows: list[list[list[Line]]] = [[[] for _ in range(n)] for _ in anchors]
    tail: list[list[Line]] = [[] for _ in range(n)]
    extents: list[tuple[float, float, float, float] | None] | None = None  # see _row_extent
    dealt: set[int] = set()  # lines of a block over several rows, dealt out one per row
    for col in sorted(range(n), key=lambda c: c in label_cols):  # label columns last
        mine = sorted((ln for ln in lines if ln.col == col), key=lambda ln: -ln.y)
        blocks: list[list[Line]] = []
        for ln in mine:
            last = blocks[-1][-1] if blocks else None
            if last is not None and _rule_between(crossing[col], last.y, ln.y):
                blocks.append([ln])
            elif (
                last is not None
                and ruled
                and last.y - ln.y <= 2.2 * max(last.height, ln.height)
                and (
                    col not in weight_cols
                    or (_is_number(ln.text) and all(_is_number(x.text) for x in blocks[-1]))
                )
            ):  # lines of one ruled cell, one line apart: one text (管理效 / 率), and in a
                # 分值 cell one wrapped number (a cell prints one number)
                blocks[-1].append(ln)
            elif (
                last is not None
                and last.y - ln.y <= pitch * (1.5 if _closing_mark(ln.text) else 1.0)
                and not _two_cells(blocks[-1], ln, col in weight_cols)
            ):
                blocks[-1].append(ln)
            else:
                blocks.append([ln])
        taken: dict[int, list[Line]] = {}  # weight column: the number block each row holds
        for block in blocks:
            own = []  # the rows whose numbers are inside the block's ruled cell
            if ruled:
                own = [k for k, y in enumerate(anchor_y) if _same_cell(crossing[col], block, y)]
                if len(own) == 1 and own[0] not in taken:
                    k = own[0]
                    rows[k][col] += block  # the one row whose numbers are inside the cell
                    if col in weight_cols or col in label_cols:
                        taken[k] = block
                    continue
            inside = [k for k, y in enumerate(anchor_y) if block[-1].y - 1 <= y <= block[0].y + 1]
            if len(inside) > 1 and col not in label_cols:  # one line per row
                dealt |= {id(ln) for ln in block}
                for ln in block:
                    k = min(range(len(anchor_y)), key=lambda k: abs(anchor_y[k] - ln.y))
                    rows[k][col].append(ln)
                continue
            centre = (block[0].y + block[-1].y) / 2
            # a cell over several rows (a span's label at its bottom): one of its rows, never
            # the nearest row across the rule under it (two spans' labels in one row)
            k = min(own or range(len(anchor_y)), key=lambda k: abs(anchor_y[k] - centre))
            above_first = block[-1].y > anchor_y[0] + 0.5 * height
            if continues and k == 0 and above_first and _has_own_block(blocks, block, anchor_y[0]):
                tail[col] += block  # the tail of the last row of the page before
                continue
            if col in label_cols and k > 0 and centre > anchor_y[k] and k - 1 not in taken:
                # a label printed at the bottom of its span sits beside its span's last
                # line (a wrapped 评分标准's third), which may be nearer the next row's
                # anchor than its own: the row above holds it when the two rows are printed
                # apart (more than a line pitch between the last line of one and the first
                # of the other: text running on from cell to cell says nothing), its lines
                # reach down across the label's centre and the nearer row's do not reach up
                if extents is None:
                    extents = [_row_extent(row, label_cols, dealt) for row in rows]
                up, near = extents[k - 1], extents[k]
                reaches = (
                    up is not None
                    and near is not None
                    and up[3] - near[2] > 1.15 * line_gap
                    and up[1] <= centre <= up[0]
                    and centre > near[0]
                )
                # above the 总分 row's lines: the last span's label (the total prints 总分)
                closes = (
                    _closing_band(anchors[k])
                    and col not in _total_label_cols(anchors[k], roles)
                    and not _closing_band(block)
                    and centre > max(ln.y + ln.height / 2 for ln in anchors[k])
                )
                if reaches or closes:
                    rows[k - 1][col] += block
                    taken[k - 1] = block
                    continue
            if (col in weight_cols or col in label_cols) and k in taken:
                # two numbers for one row (a label's 分值 printed at the bottom of its span
                # right above the next label's, at the top of its own): never one number;
                # the one farther from the row goes to the neighbouring row on its side
                # (two labels likewise: 预算编制 at a span's bottom over 预算执行)
                other = taken[k]
                far, near = sorted((other, block), key=lambda b: -abs(anchor_y[k] - _centre(b)))
                side = k - 1 if _centre(far) > anchor_y[k] else k + 1
                if 0 <= side < len(anchor_y) and side not in taken:
                    rows[k][col] = [ln for ln in rows[k][col] if ln not in far]
                    rows[k][col] += [ln for ln in near if ln not in rows[k][col]]
                    rows[side][col] += far
                    taken[k], taken[side] = near, far
                    continue
            rows[k][col] += block
            if col in weight_cols or col in label_cols:
                taken.setdefault(k, block)
    edges = None
    # a cell's top edge: a rule across its column between its row and the one above. Not
    # on a page that starts with the tail of the page before's last row: the hierarchy
    # takes a page's first row's top edge for the page's top (a span may run on across
    # the break), where here it is a rule under the tail (a span starts there)
    if ruled and not any(tail):
        edges = [
            [k == 0 or _rule_between(crossing[col], anchor_y[k - 1], anchor_y[k])
             for col in range(n)]
            for k in range(len(anchor_y))
        ]  # fmt: skip
    if any(tail):
        rows.insert(0, tail)
    out = [[clean("".join(ln.text for ln in c)) for c in row] for row in rows]
    boxes = [[_lines_box(c, columns[col]) for col, c in enumerate(row)] for row in rows]
    if ruled:  # a number is checked against every number line its ruled cell prints (a
        # piece wrapped onto a line the rows put elsewhere: ``98.2`` read, ``1`` under it)
        numbers = weight_cols | set(roles.get("score", []))
        owned = [  # a row's own number (two rows in one ruled cell: each reads its own)
            ln for k, row in enumerate(rows) for col in numbers
            if number_or_none(out[k][col]) is not None for ln in row[col]
        ]  # fmt: skip
        strays = [ln for ln in lines if ln not in owned]
        for k, row in enumerate(rows):
            for col in numbers:
                if boxes[k][col] is not None:
                    boxes[k][col] = _ruled_box(boxes[k][col], crossing[col], strays, row[col], col)
    return out, boxes, edges


@dataclass(frozen=True)
class Rule:
    """A horizontal rule printed on the page: its height and x extent (PDF points)."""

    y: float
    x1: float
    x2: float


def horizontal_rules(page) -> list[Rule]:
    """The thin horizontal lines a page draws (cell borders: a browser's or a word
    processor's table ruled between its rows), from PDFium's path objects."""
    import pypdfium2 as pdfium

    out = []
    for obj in page.get_objects(max_depth=4):
        if obj.type != pdfium.raw.FPDF_PAGEOBJ_PATH:
            continue
        left, bottom, right, top = obj.get_bounds()
        if top - bottom <= 2.01 and right - left >= 4.0:  # 2.0000153: float32 bounds
            out.append(Rule((bottom + top) / 2, left, right))
    return out


def _crossing(rules: list[Rule], columns: list[tuple[float, float]], col: int) -> list[float]:
    """The heights of the rules that cross column ``col`` (over at least half of the
    column's width inside the table: a neighbouring cell's border is not this one's)."""
    if not rules:
        return []
    left, right = min(r.x1 for r in rules), max(r.x2 for r in rules)
    a, b = max(columns[col][0], left), min(columns[col][1], right)
    if b <= a:
        return []
    return sorted(r.y for r in rules if min(r.x2, b) - max(r.x1, a) >= 0.5 * (b - a))


def _rule_between(ys: list[float], high: float, low: float) -> bool:
    return any(low < y < high for y in ys)


def _same_cell(ys: list[float], block: list[Line], y: float) -> bool:
    """Whether height ``y`` is inside the ruled cell that holds ``block``."""
    top, bottom = block[0].y, block[-1].y
    return not _rule_between(ys, max(top, y), min(bottom, y))


def _one_row_per_cell(anchors: list[list[Line]], ys: list[float]) -> list[list[Line]]:
    """Neighbouring anchors with no rule between them joined into one row, when no number
    column prints a number in both (two numbers in one column stay two rows), or when one
    of them is only the piece of a number wrapped in its cell (``piece_of``)."""

    def numbered(band: list[Line]) -> set[int]:
        return {ln.col for ln in band if _is_number(ln.text)}

    def mid(band: list[Line]) -> float:
        return sum(ln.y for ln in band) / len(band)

    out = [anchors[0]]
    for band in anchors[1:]:
        above = out[-1]
        if not _rule_between(ys, mid(above), mid(band)) and (
            not numbered(above) & numbered(band) or piece_of(above, band) or piece_of(band, above)
        ):
            out[-1] = above + band
        else:
            out.append(band)
    return out


def piece_of(piece: list[Line], row: list[Line]) -> bool:
    """Whether the band ``piece`` prints nothing but the first or last line of a number
    wrapped in a cell of ``row`` one line below or above it (``0.8`` over the ``8`` of
    0.88 in one ruled 得分 cell): one line, a number piece, in a column where ``row``
    prints a number, the two one line apart, together one well-formed number. A band
    printing a label, or two numbers (a weight and a score: an unnamed row), is a row of
    its own."""
    if len(piece) != 1:
        return False
    ln = piece[0]
    other = next((o for o in row if o.col == ln.col), None)
    if other is None or not (_is_number(ln.text) and _is_number(other.text)):
        return False
    if abs(ln.y - other.y) > 2.2 * max(ln.height, other.height):
        return False
    up, low = (ln, other) if ln.y > other.y else (other, ln)
    return WELL_FORMED.fullmatch(up.text + low.text) is not None


def _ruled_rows(crossing: list[list[float]], anchor_y: list[float], leaf: list[int]) -> bool:
    """Whether the table is ruled between its rows: a rule across the leaf 分值 column
    between at least three in four pairs of neighbouring anchors (a 三线表's three rules,
    or none, are not; a total whose score wraps is two anchors in one ruled row)."""
    if len(anchor_y) < 3 or not leaf:
        return False
    ys = crossing[leaf[0]]
    pairs = list(itertools.pairwise(anchor_y))
    return sum(_rule_between(ys, a, b) for a, b in pairs) >= 0.75 * len(pairs)


def _wrapped_numbers_rows(anchors: list[list[Line]], roles: dict) -> list[list[Line]]:
    """Two neighbouring anchors that are one row: a number joined from two printed lines
    (``join_stacked_numbers``, ``9.`` / ``5``) is as tall as both and reaches the line of
    the other, whose numbers sit in other columns (its 分值 printed once, at the centre or
    the top of the cell). Two rows each with their own numbers in one column stay two."""
    numbers = {c for role, cs in roles.items() if role == "score" or role.startswith("weight")
               for c in cs}  # fmt: skip

    def numbered(band: list[Line]) -> set[int]:
        return {ln.col for ln in band if ln.col in numbers and _is_number(ln.text)}

    def reaches(band: list[Line], other: list[Line]) -> bool:
        tall = [ln for ln in band if ln.col in numbers and _is_number(ln.text)
                and ln.height > 1.5 * min(o.height for o in other)]  # fmt: skip
        return any(abs(t.y - o.y) < t.height / 2 for t in tall for o in other)

    out: list[list[Line]] = []
    for band in anchors:
        above = out[-1] if out else None
        if (
            above is not None
            and not numbered(above) & numbered(band)
            and (reaches(above, band) or reaches(band, above))
        ):
            out[-1] = above + band
        else:
            out.append(band)
    return out


def _total_numbers_joined(anchors: list[list[Line]], roles: dict) -> list[list[Line]]:
    """The 总分 line and the total's numbers on a neighbouring line are one row: its weight
    or score wrapped in a narrow cell (``10`` / ``0``, ``99.`` / ``4``), joined, sits half
    a line above or below the label. The line holding the total label joins the line
    right above or below it when that one holds numbers and no label, and no number
    column prints a number on both."""
    spec = headers()
    totals = {name_key(w) for w in spec["total_labels"]}
    labels = {c for role, cs in roles.items() if role.startswith("name_") for c in cs}
    numbers = {c for role, cs in roles.items() if role == "score" or role.startswith("weight")
               for c in cs}  # fmt: skip

    def numbered(band: list[Line]) -> set[int]:
        return {ln.col for ln in band if ln.col in numbers and _is_number(ln.text)}

    def joins(total: list[Line], other: list[Line]) -> bool:
        first = min(total, key=lambda ln: ln.col)
        gap = min(abs(a.y - b.y) for a in total for b in other)
        return (
            name_key(first.text) in totals
            and bool(numbered(other))
            and not numbered(total) & numbered(other)
            and not any(ln.col in labels and ln.text.strip() for ln in other)
            and gap <= 1.5 * first.height
        )

    out: list[list[Line]] = []
    for band in anchors:
        above = out[-1] if out else None
        if above is not None and (joins(band, above) or joins(above, band)):
            out[-1] = above + band
        else:
            out.append(band)
    return out


def _closing_mark(text: str) -> bool:
    """A line of closing punctuation alone (the ``。`` a wrap left): it ends the text above
    (no cell starts with it), and its glyph box sits low, so its centre is farther than a
    line pitch from that text's last line."""
    return bool(text) and all(ch in "。，、；：）)」”" for ch in text)


def _row_extent(
    row: list[list[Line]], skip: set[int], dealt: set[int]
) -> tuple[float, float, float, float] | None:
    """The top and bottom of the lines a row prints outside the columns ``skip``, and
    the centres of its highest and lowest line, from the blocks it holds whole: a line
    ``dealt`` to the nearest row out of a block over several rows (text printed from cell
    to cell one line pitch apart) may be its neighbour's, and would stretch the row over
    the neighbour's label."""
    lines = [
        ln for col, cell in enumerate(row) if col not in skip for ln in cell if id(ln) not in dealt
    ]
    if not lines:
        return None
    return (
        max(ln.y + ln.height / 2 for ln in lines),
        min(ln.y - ln.height / 2 for ln in lines),
        max(ln.y for ln in lines),
        min(ln.y for ln in lines),
    )


def _centre(block: list[Line]) -> float:
    return (block[0].y + block[-1].y) / 2


def _ruled_box(box: Box, ys: list[float], lines: list[Line], mine: list[Line], col: int) -> Box:
    """A number cell's box stretched over the lines of its column printing digits between
    the rules above and below it that the rows gave to no row or to another row's cell
    that is not one number (``lines``: those not read as a row's number)."""
    x1, y1, x2, y2 = box
    top = min((y for y in ys if y >= y2), default=None)
    bottom = max((y for y in ys if y <= y1), default=None)
    if top is None or bottom is None:  # the cell is not closed by rules: not known
        return box
    strays = [
        ln for ln in lines
        if ln.col == col and bottom < ln.y < top and ln not in mine
        and any(ch.isdigit() for ch in ln.text)
    ]  # fmt: skip
    for ln in strays:
        y1, y2 = min(y1, ln.y - ln.height / 2), max(y2, ln.y + ln.height / 2)
    return (x1, y1, x2, y2)


def _lines_box(lines: list[Line], column: tuple[float, float]) -> Box | None:
    """The box a cell's text was read from: its column, from its top line to its bottom one."""
    if not lines:
        return None
    bottom = min(ln.y - ln.height / 2 for ln in lines)
    top = max(ln.y + ln.height / 2 for ln in lines)
    return (column[0], bottom, column[1], top)


def _two_cells(block: list[Line], line: Line, weights: bool) -> bool:
    """Whether ``line`` starts another cell rather than continuing ``block``: in a weight
    column every number is its own (``50`` over ``50`` is two spans, never 5050); in a
    label column a complete indicator name under another complete one (履职效能 over
    管理效率, two labels printed at the bottom and the top of their spans)."""
    if weights:
        return number_or_none(line.text) is not None
    from jixiao.reference.indicators import dictionary

    known = dictionary().by_key
    above = name_key("".join(ln.text for ln in block))
    if above not in known:
        return False
    if name_key(line.text) in known:
        return True
    # 资产管 / 理 (a known name, complete) over 运行成 / 本: a wrapped label starting
    together = above + name_key(line.text)
    return not any(k.startswith(together) for k in known)


def _line_pitch(lines: list[Line], n: int) -> float:
    """The smallest distance between two consecutive lines of one column."""
    gaps = []
    for col in range(n):
        ys = sorted((ln.y for ln in lines if ln.col == col), reverse=True)
        gaps += [a - b for a, b in itertools.pairwise(ys)]
    return min(gaps, default=9e9)


def _has_own_block(blocks: list[list[Line]], block: list[Line], y: float) -> bool:
    """Whether the column has another block at the first anchor's height."""
    return any(b is not block and b[-1].y - 1 <= y <= b[0].y + 1 for b in blocks)


@dataclass
class WordsTable:
    """A table found from the page's words alone (no Camelot): the columns its header
    words print, from the header to the page's last line. Stands in for a Camelot table
    where Camelot's stream/network areas miss an unruled table (text above it taken
    into its area, columns merged)."""

    page: int
    _bbox: tuple[float, float, float, float]
    cols: list[tuple[float, float]]
    flavor: str = "words"
    parsing_report: dict = field(default_factory=lambda: {"accuracy": 0.0, "whitespace": 0.0})


def words_table(
    textpage, page: int, page_width: float, *, stacked: bool = False
) -> WordsTable | None:
    """The score table's area and columns from its header words, placed by position.

    The header line is the printed line naming most header words (一级指标, 分值, 得分 …,
    each a separate run of glyphs); parts of wrapped header labels on the lines just
    above and below join the column they overlap. Columns are cut halfway between
    neighbouring header words; ``refine_columns`` then moves each cut into the gutter.

    ``stacked``: when no line names four whole header words, the line whose runs make
    most header words with the run printed over or under them (a narrow Writer table
    wraps every one: 一级指 / 标, 权 / 重, 自评 / 得分). The reader asks for it only when
    no line names four whole header words: the stacked grid is then one more candidate,
    and wins only by naming more roles in its header than Camelot's (a browser's table
    whose 权 / 重 columns Camelot merged into their neighbours: 权三级指标重).
    """
    words = {name_key(w) for ws in headers()["roles"].values() for w in ws}
    prefixes = {w[:2] for w in words if len(w) >= 2}
    lines = glyph_lines(textpage)
    if not lines:
        return None
    glyphs = [g for line in lines for g in line]
    best = None
    runs_by_line = [glyph_runs(line, 0.3) for line in lines]
    for k, runs in enumerate(runs_by_line):
        named = sum(name_key("".join(g[4] for g in run)) in words for run in runs)
        if named >= 4 and (best is None or named > best[1]):
            best = (k, named)
    if best is None and stacked:  # every header word wrapped (一级指 / 标, 权 / 重 …)
        for k in range(len(lines)):
            named = _stacked_words(lines, runs_by_line, k, words)
            if named >= 4 and (best is None or named > best[1]):
                best = (k, named)
    if best is None:
        return None
    k = best[0]
    y_head, h = min(lines[k])[2], min(lines[k])[3]  # the line's leftmost glyph
    spans = [(run[0][0], run[-1][1]) for run in runs_by_line[k]]
    for j in range(max(0, k - 2), min(len(lines), k + 3)):  # wrapped header label parts
        if j == k or abs(min(lines[j])[2] - y_head) > 2.6 * h:
            continue
        for run in runs_by_line[j]:
            text = name_key("".join(g[4] for g in run))
            a, b = run[0][0], run[-1][1]
            if any(a < y and x < b for x, y in spans):
                continue
            if text and (text in words or text[:2] in prefixes or len(text) <= 2):
                spans.append((a, b))
    spans.sort()
    cuts = [(a[1] + b[0]) / 2 for a, b in itertools.pairwise(spans)]
    # a table wider than its page is printed past the page's edges: its columns go there too
    left = min(0.0, min(g[0] for g in glyphs) - 1)
    edges = [left, *cuts, max(page_width, max(g[1] for g in glyphs) + 1)]
    y_top = y_head + 3 * h
    return WordsTable(page, (left, 0.0, edges[-1], y_top), list(itertools.pairwise(edges)))


def _stacked_words(lines: list[list[tuple]], runs_by_line: list, k: int, words: set) -> int:
    """How many runs of line ``k`` make a header word with the run printed over or under
    them on a line at most two lines away (a narrow column wraps 一级指 / 标)."""
    head = min(lines[k])
    n = 0
    for run in runs_by_line[k]:
        text, a, b = name_key("".join(g[4] for g in run)), run[0][0], run[-1][1]
        for j in range(max(0, k - 2), min(len(lines), k + 3)):
            if j == k or abs(min(lines[j])[2] - head[2]) > 2.6 * head[3]:
                continue
            other = [
                name_key("".join(g[4] for g in r))
                for r in runs_by_line[j]
                if r[0][0] < b and a < r[-1][1]
            ]
            if any((text + o if j > k else o + text) in words for o in other):
                n += 1
                break
    return n


def glyph_lines(textpage, x: str = "advance", y: str = "advance") -> list[list[tuple]]:
    """The page's glyphs (left, right, y, height, char, bottom) by printed line, top to
    bottom: the words a table's header (``words_table``), an unruled budget block
    (``budget_words``) or a continued table's cells (``fit_columns``) print, placed by
    position.

    ``x`` and ``y`` say which of PDFium's boxes places a glyph across and up the page:
    ``"advance"`` (the advance box: a comma is as wide as its advance, so the glyphs of
    one printed number touch; every glyph of a line as tall as the font) or ``"glyph"``
    (the glyph's own box: the gaps between two cells' texts; a digit's own height). A
    flat glyph (一, a dash) has a box a fraction of the text's height: heights are at
    least the page's typical one. A comma or point sits low: it joins the line whose
    glyphs stand on its baseline, never makes a line of its own.
    """
    glyphs = []
    for ch, tight, loose in page_glyphs(textpage):
        _l, bottom, _r, top = loose if y == "advance" else tight
        left, _b, right, _t = loose if x == "advance" and loose[2] > loose[0] else tight
        glyphs.append((left, right, (bottom + top) / 2, max(top - bottom, 1.0), ch, bottom))
    if not glyphs:
        return []
    typical = sorted(g[3] for g in glyphs)[len(glyphs) // 2]
    glyphs = [(a, b, y, max(h, typical), ch, low) for a, b, y, h, ch, low in glyphs]
    lines: list[list[tuple]] = []
    for g in sorted((g for g in glyphs if g[4].isalnum()), key=lambda g: -g[2]):
        if lines and abs(lines[-1][0][2] - g[2]) < 0.4 * g[3]:
            lines[-1].append(g)
        else:
            lines.append([g])
    for g in glyphs:
        if g[4].isalnum():
            continue
        close = [ln for ln in lines if abs(ln[0][2] - g[2]) < 0.8 * g[3]]
        near = min(close, key=lambda ln: abs(min(x[5] for x in ln) - g[5]), default=None)
        if near is not None:
            near.append(g)
        else:
            lines.append([g])
    return sorted(lines, key=lambda ln: -ln[0][2])


def glyph_runs(line: list[tuple], gap: float) -> list[list[tuple]]:
    """A line's glyphs cut into runs where the gap is wider than ``gap`` glyph heights
    (header words: 0.3; budget labels and figures: 0.35, as ``verify.RUN_GAP`` reads a
    printed number)."""
    line = sorted(line)
    runs = [[line[0]]]
    for g in line[1:]:
        if g[0] - runs[-1][-1][1] < gap * g[3]:
            runs[-1].append(g)
        else:
            runs.append([g])
    return runs
