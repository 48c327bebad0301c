"""Score tables (自评表) and budget blocks read by Camelot, hierarchy from evidence.

Camelot lattice returns one table per page, with merged cells' text in the
top row of the span and each cell's ruled edges. The hierarchy is rebuilt from
that evidence, not by forward-filling labels:

* a level-1/level-2 span starts where its cell has a ruled top edge;
* a span cut by a page break is joined to its other part when one part is
  blank or both print the same label (a label printed only on page 2 still
  heads the page-1 rows above it: the 黄埔区 2022 trap);
* the dictionary and the weights (a parent's 分值 = the sum of its children's)
  confirm the result later, in normalization and validation.

Header variants, budget labels and grade marks are data in
``reference/table_headers.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from jixiao.model import BudgetFact, ScoreFact, TextLine
from jixiao.normalize.numbers import parse_number, to_yuan
from jixiao.reference import load_yaml, name_key

NAME_LEVELS = ("name_l1", "name_l2", "name_l3")


@cache
def headers() -> dict:
    return load_yaml("table_headers.yaml")


@dataclass
class Grid:
    """One ruled table as Camelot found it, cell texts read by PDFium.

    Camelot 2.0 (playa) places CJK glyph boxes about one glyph height below
    where they are printed, so the second line of a wrapped cell lands in the
    next row. Camelot's grid (ruled lines, cells, edges, parsing report) is
    right; each cell's text is re-read from PDFium within the cell's box.
    """

    page: int
    rows: list[list[str]]
    top_edges: list[list[bool]]
    flavor: str
    parsing_report: dict

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.rows), max((len(r) for r in self.rows), default=0)


@dataclass
class Cell:
    text: str
    top_edge: bool = True  # the cell has a ruled top edge: a span starts here


@dataclass
class Row:
    """One data row of the score table, cells keyed by role."""

    page: int
    index: int  # position in the whole table, top to bottom
    names: dict[str, Cell]  # name_l1/name_l2/name_l3 → cell
    weights: dict[str, str]  # name_lN → the 分值 text beside it
    score: str
    extra: dict[str, str]  # deduction_reason, improvement, explanation
    raw: list[str]


@dataclass
class ScoreTable:
    rows: list[Row] = field(default_factory=list)
    total: ScoreFact | None = None
    grade: str | None = None
    grade_text: str | None = None
    pages: list[int] = field(default_factory=list)


_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f“”‘’"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")


def clean(text: object) -> str:
    """Cell text on one line: a line break inside CJK text joins without a space."""
    return _CJK_GAP.sub("", re.sub(r"\s+", " ", str(text or "")).strip())


def header_roles(cells: list[str]) -> dict[str, list[int]] | None:
    """Column roles if this row is a score-table header, else None.

    A 分值/权重 column belongs to the name column on its left, so the result
    maps ``weight:name_lN`` for each level that has one.
    """
    spec = headers()
    roles: dict[str, list[int]] = {}
    keys = [name_key(c) for c in cells]
    for col, key in enumerate(keys):
        if not key:
            continue
        for role, words in spec["roles"].items():
            if key in {name_key(w) for w in words}:
                roles.setdefault(role, []).append(col)
                break
    if not all(r in roles for r in spec["required"]):
        return None
    for col in roles.pop("weight", []):
        left = [(c, r) for r in NAME_LEVELS for c in roles.get(r, []) if c < col]
        if left:
            roles[f"weight:{max(left)[1]}"] = [col]
    return roles


def parse_score_tables(tables: list) -> tuple[ScoreTable, list[dict]]:
    """Read Camelot tables (in page order) into one score table.

    Returns:
        The score table (rows, total, grade) and, per Camelot table, its
        lineage record (page, flavor, accuracy, whitespace, shape, role).
    """
    spec = headers()
    total_keys = {name_key(w) for w in spec["total_labels"]}
    grade_keys = {name_key(w) for w in spec["grade_labels"]}
    result = ScoreTable()
    roles: dict[str, list[int]] | None = None
    closed = False
    lineage = []
    for t_index, table in enumerate(tables):
        page = table.page
        role = "other"
        for r in range(len(table.rows)):
            cells = [clean(c) for c in table.rows[r]]
            found = header_roles(cells)
            if found:
                roles, role, closed = found, "score_table", False
                if page not in result.pages:
                    result.pages.append(page)
                continue
            if roles is None or closed or not any(cells):
                continue
            first = next((name_key(c) for c in cells if c), "")
            if first in total_keys:
                result.total = _total_row(cells, roles, page)
                continue
            if first in grade_keys:
                result.grade, result.grade_text = _grade(cells), " ".join(c for c in cells if c)
                closed = True
                continue
            if len(cells) <= max(max(v) for v in roles.values()):
                continue  # a table of another shape: not a continuation
            role = "score_table"
            if page not in result.pages:
                result.pages.append(page)
            result.rows.append(_row(table, r, cells, roles, page, len(result.rows)))
        report = table.parsing_report
        lineage.append(
            {
                "table_index": t_index,
                "page": page,
                "flavor": table.flavor,
                "accuracy": float(report.get("accuracy", 0.0)),
                "whitespace": float(report.get("whitespace", 0.0)),
                "n_rows": table.shape[0],
                "n_cols": table.shape[1],
                "role": role,
            }
        )
    return result, lineage


def _cell_top_edge(table: Grid, r: int, c: int) -> bool:
    try:
        return table.top_edges[r][c]
    except IndexError:
        return True


def _row(table: Grid, r: int, cells: list[str], roles: dict, page: int, index: int) -> Row:
    def at(role: str) -> str:
        cols = roles.get(role)
        return cells[cols[0]] if cols and cols[0] < len(cells) else ""

    names = {}
    for level in NAME_LEVELS:
        if level in roles:
            col = roles[level][0]
            names[level] = Cell(cells[col], _cell_top_edge(table, r, col))
    return Row(
        page=page,
        index=index,
        names=names,
        weights={level: at(f"weight:{level}") for level in NAME_LEVELS},
        score=at("score"),
        extra={k: at(k) for k in ("deduction_reason", "improvement", "explanation")},
        raw=cells,
    )


def _total_row(cells: list[str], roles: dict, page: int) -> ScoreFact:
    score_col = roles["score"][0]
    numbers = [(c, number_or_none(t)) for c, t in enumerate(cells)]
    numbers = [(c, n) for c, n in numbers if n is not None]
    score = next((n for c, n in numbers if c == score_col), None)
    if score is None and numbers:
        score = numbers[-1][1]
    weight = next((n for c, n in numbers if c != score_col), None)
    return ScoreFact(
        printed_name=next(c for c in cells if c),
        level=0,
        weight=weight,
        score=score,
        source_page=page,
        printed_text=" | ".join(c for c in cells if c),
        origin="table",
    )


def _grade(cells: list[str]) -> str | None:
    spec = headers()
    text = "".join(cells)
    for mark in spec["grade_marks"]:
        m = re.search(re.escape(mark) + r"\s*(" + "|".join(spec["grades"]) + ")", text)
        if m:
            return m.group(1)
    return None


def number_or_none(text: str) -> Decimal | None:
    """A cell's number, or None when the cell is not a plain number."""
    text = clean(text)
    if not text or not re.fullmatch(r"[-+]?[\d,，.\s．０-９]+", text):
        return None
    try:
        return parse_number(text)
    except (ValueError, InvalidOperation):
        return None


# ----------------------------------------------------------------------------
# Hierarchy


@dataclass
class Span:
    """Consecutive rows under one merged level-1 or level-2 cell."""

    rows: list[Row]
    label: str = ""
    weight: str = ""


def spans(rows: list[Row], level: str) -> list[Span]:
    """Split rows into merged-cell spans at ``level``, joining spans cut by a page break."""
    result: list[Span] = []
    for row in rows:
        cell = row.names.get(level, Cell(""))
        weight = row.weights.get(level, "")
        starts = not result or cell.top_edge or row.page != result[-1].rows[-1].page
        if starts and result and row.page != result[-1].rows[-1].page:
            prev = result[-1]
            # A span cut by the page break: join when one part is blank or both agree.
            if not cell.text or not prev.label or name_key(cell.text) == name_key(prev.label):
                starts = not _continues(prev, row, level)
        if starts:
            result.append(Span([row]))
        else:
            result[-1].rows.append(row)
        span = result[-1]
        if cell.text and not span.label:
            span.label = cell.text
        if weight and not span.weight:
            span.weight = weight
    return result


def _continues(prev: Span, row: Row, level: str) -> bool:
    """Whether ``row`` (first on a new page) continues ``prev`` (last on the page before).

    It does when the previous page's span reaches the page's last row and
    either part is unlabelled or both carry the same label.
    """
    last_on_page = prev.rows[-1]
    cell = row.names.get(level, Cell(""))
    same_label = bool(cell.text) and name_key(cell.text) == name_key(prev.label)
    return last_on_page.page == row.page - 1 and (not cell.text or not prev.label or same_label)


def to_facts(table: ScoreTable) -> list[ScoreFact]:
    """Score facts for every level the table prints, parents linked by ``parent_printed``.

    Level-3 rows always become facts (an unnamed row keeps its points); a
    level-1/level-2 span becomes a fact with its printed 分值 and, as score,
    None: the table prints no subtotal scores, normalization derives them.
    Parents are linked through report-local span keys (``L1#n``, ``L2#n``).
    """
    facts: list[ScoreFact] = []
    has_l2 = any("name_l2" in r.names for r in table.rows)
    for n1, s1 in enumerate(spans(table.rows, "name_l1")):
        key1 = f"L1#{n1}"
        facts.append(_span_fact(s1, 1, key1, None))
        inner = spans(s1.rows, "name_l2") if has_l2 else [Span(s1.rows)]
        for n2, s2 in enumerate(inner):
            key2 = f"L2#{n1}.{n2}"
            if has_l2:
                facts.append(_span_fact(s2, 2, key2, key1))
            for row in s2.rows:
                name = row.names.get("name_l3", Cell("")).text
                weight = number_or_none(row.weights.get("name_l3", ""))
                score = number_or_none(row.score)
                if not name and weight is None and score is None:
                    continue
                facts.append(
                    ScoreFact(
                        printed_name=name or None,
                        level=3 if has_l2 else 2,
                        weight=weight,
                        score=score,
                        source_page=row.page,
                        printed_text=" | ".join(c for c in row.raw if c),
                        origin="table",
                        parent_printed=key2 if has_l2 else key1,
                        deduction_reason=row.extra.get("deduction_reason") or None,
                        improvement=row.extra.get("improvement") or None,
                        row_index=row.index,
                    )
                )
    if table.total is not None:
        facts.append(table.total)
    return facts


def _span_fact(span: Span, level: int, key: str, parent_key: str | None) -> ScoreFact:
    labelled = next(
        (r for r in span.rows if r.names.get(f"name_l{level}", Cell("")).text), span.rows[0]
    )
    return ScoreFact(
        printed_name=span.label or None,
        level=level,
        weight=number_or_none(span.weight),
        score=None,
        source_page=labelled.page,
        printed_text=f"{span.label} {span.weight}".strip(),
        origin="table",
        parent_printed=parent_key,
        row_index=span.rows[0].index,
        indicator_code=key,  # a span key until normalization assigns the real code
    )


# ----------------------------------------------------------------------------
# Budget blocks


def parse_budget_block(tables: list) -> list[BudgetFact]:
    """Budget figures from a table block (总预算 / 基本支出 / 项目支出 labels).

    Each label's amount is the first number below it in the same column; the
    unit is the one printed in the block (e.g. "总预算 (万元)"). Without a
    printed unit nothing is read: an amount without its unit is a guess.
    """
    spec = headers()
    labels = {name_key(k): v for k, v in spec["budget_labels"].items()}
    facts: list[BudgetFact] = []
    for table in tables:
        grid = [[clean(c) for c in row] for row in table.rows]
        unit = _block_unit(grid)
        if unit is None:
            continue
        for r, row in enumerate(grid):
            if header_roles(row):
                break  # the score table starts: the budget block is above it
            for c, text in enumerate(row):
                key = name_key(re.sub(r"[（(][^）)]*[）)]", "", text))
                if key not in labels:
                    continue
                for below in grid[r + 1 :]:
                    if header_roles(below):
                        break
                    value = number_or_none(below[c]) if c < len(below) else None
                    if value is not None:
                        target = labels[key]
                        facts.append(
                            BudgetFact(
                                item=target["item"],
                                measure=target["measure"],
                                amount_yuan=to_yuan(value, unit),
                                rate=None,
                                printed_text=f"{text}: {below[c]}",
                                printed_unit=unit,
                                source_page=table.page,
                                origin="table",
                            )
                        )
                        break
    return _unique(facts)


def _block_unit(grid: list[list[str]]) -> str | None:
    for row in grid:
        if header_roles(row):
            return None
        for text in row:
            m = re.search(r"[（(]\s*(万元|元|亿元)\s*[）)]", text)
            if m:
                return m.group(1)
    return None


def _unique(facts: list[BudgetFact]) -> list[BudgetFact]:
    seen, out = set(), []
    for f in facts:
        if (f.item, f.measure) not in seen:
            seen.add((f.item, f.measure))
            out.append(f)
    return out


def table_pages(lines: list[TextLine]) -> list[int]:
    """Pages that hold the score table: from its header page to its total or grade row.

    The header page is the first with a line that prints two level-name
    headers (一级指标, 二级指标, 三级指标) and a 分值 or score header: prose
    that mentions 二级指标 in a sentence does not qualify. At most six pages.
    """
    spec = headers()
    names = [w for role in NAME_LEVELS for w in spec["roles"][role]]
    others = spec["roles"]["weight"] + spec["roles"]["score"]
    end_words = spec["total_labels"][:1] + spec["grade_labels"][:1]
    start = None
    for line in lines:
        text = re.sub(r"\s", "", line.text)
        if sum(w in text for w in names) >= 2 and any(w in text for w in others):
            start = line.page
            break
    if start is None:
        return []
    chosen = []
    for page in sorted({line.page for line in lines if line.page >= start})[:6]:
        chosen.append(page)
        text = "".join(re.sub(r"\s", "", line.text) for line in lines if line.page == page)
        if any(w in text for w in end_words):
            break
    return chosen


def read_tables(path: str | Path, pages: list[int]) -> list[Grid]:
    """Ruled tables on the given pages (only those: parsing costs), in page order.

    Camelot lattice with its ``vector`` engine finds the grid from the PDF's
    own line drawings (0.09 s a page; the raster engine misses thin rules in
    spreadsheet exports); PDFium reads the text inside each cell.
    """
    import camelot  # imported here: parsing runs in worker processes
    import pypdfium2 as pdfium

    if not pages:
        return []
    tables = camelot.read_pdf(
        str(path),
        pages=",".join(map(str, pages)),
        flavor="lattice",
        engine="vector",
        suppress_stdout=True,
    )
    grids = []
    pdf = pdfium.PdfDocument(str(path))
    try:
        textpages = {}
        for table in sorted(tables, key=lambda t: (int(t.page), t.order or 0)):
            page = int(table.page)
            if page not in textpages:
                textpages[page] = pdf[page - 1].get_textpage()
            text = textpages[page]
            grids.append(
                Grid(
                    page=page,
                    rows=[
                        [text.get_text_bounded(c.x1, c.y1, c.x2, c.y2) for c in row]
                        for row in table.cells
                    ],
                    top_edges=[[bool(c.top) for c in row] for row in table.cells],
                    flavor=table.flavor,
                    parsing_report=dict(table.parsing_report),
                )
            )
    finally:
        pdf.close()
    return grids
