"""Grids (in page order) → one score table: header roles, data rows, total, grade.

Transformations, in order:

1. a grid joins the score table when it prints the score header, or when its
   columns are the score table's columns (continued on a new page without
   repeating the header); budget blocks and legends stay out;
2. each data row's cells are keyed by role (the header's words are data);
3. a row that a page break cut is joined again: the part without weight and
   score (the tail of a name alone at the top of the next page, or a head
   whose numbers went to the next page) joins its other part;
4. the 总分 row becomes the level-0 fact, the 评价等级 row the grade.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from jixiao.extract.tables.budget import is_budget, parse_budget_block, reconcile_budget
from jixiao.extract.tables.grid import Grid, legend_printed
from jixiao.extract.tables.headers import (
    NAME_LEVELS,
    header_pieces,
    header_roles,
    number_columns,
)
from jixiao.extract.tables.reading import same_columns
from jixiao.extract.tables.text import clean, headers, name_and_weight, number_or_none
from jixiao.extract.tables.verify import NumberIssue
from jixiao.model import CheckResult, ScoreFact
from jixiao.reference import name_key

EXTRA_ROLES = ("deduction_reason", "improvement", "explanation")


@dataclass
class Cell:
    text: str
    top_edge: bool | None = True  # ruled top edge (a span starts); None: no rules to say


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
    refs: dict[str, str] = field(default_factory=dict)  # role → where its cell was read

    @property
    def has_numbers(self) -> bool:
        leaf = next((lv for lv in reversed(NAME_LEVELS) if lv in self.names), "name_l3")
        return number_or_none(self.weights.get(leaf, "")) is not None or (
            number_or_none(self.score) is not None
        )


@dataclass
class ScoreTable:
    rows: list[Row] = field(default_factory=list)
    total: ScoreFact | None = None
    grade: str | None = None
    grade_text: str | None = None
    pages: list[int] = field(default_factory=list)
    checks: list[CheckResult] = field(default_factory=list)


def parse_score_tables(tables: list[Grid]) -> tuple[ScoreTable, list[dict]]:
    """Read grids (in page order) into one score table.

    Returns:
        The score table (rows, total, grade, checks) and, per grid, its lineage
        record (page, flavor, accuracy, whitespace, shape, role).
    """
    spec = headers()
    total_keys = {name_key(w) for w in spec["total_labels"]}
    grade_keys = {name_key(w) for w in spec["grade_labels"]}
    result = ScoreTable()
    roles: dict[str, list[int]] | None = None
    columns: list | None = None
    closed = False
    lineage = []
    for t_index, table in enumerate(tables):
        page = table.page
        role = "other"
        continues = (
            roles is not None
            and not closed
            and (not table.columns or not columns or same_columns(table.columns, columns))
        )
        for r in range(len(table.rows)):
            cells = [clean(c) for c in table.rows[r]]
            found = _header_under_spilled_text(table.rows[r], header_roles(cells))
            if found:
                roles, role, closed, continues = found, "score_table", False, True
                columns = table.columns
                result.checks += split_header(cells, page)
                if page not in result.pages:
                    result.pages.append(page)
                continue
            if not continues or not any(cells):
                continue
            first = next((name_key(c) for c in cells if c), "")
            if first in total_keys or _total_with_tail(first, cells, roles, result, total_keys):
                result.total = _total_row(cells, roles, page)
                result.total.source_location = _numbers_at(table, r, cells)
                role = "score_table"
                continue
            # 评价等级 may share its cell with the legend's last wrapped line (评价等级：分<60分);
            # after the total, a line 自评等级：优 / 等级：优 closes the table too
            # after the total, the legend's first line (√优 90分≤得分…) is the grade row's
            # even where its label is printed lower, beside the legend's next line
            if (
                first in grade_keys
                or any(
                    first.startswith(k)
                    for k in grade_keys
                    if len(k) > 2 or result.total is not None
                )
                or (result.total is not None and _grade(cells) is not None)
                or (legend_printed(cells) and (result.total is not None or _unscored(cells, roles)))
            ):
                result.grade, result.grade_text = _grade(cells), " ".join(c for c in cells if c)
                closed, continues = True, False
                continue
            if len(cells) <= max(max(v) for v in roles.values()):
                continue
            role = "score_table"
            if page not in result.pages:
                result.pages.append(page)
            _append(result, _row(table, r, cells, roles, page, len(result.rows)))
        if role == "other" and is_budget(table):
            role = "budget"
        if role in ("score_table", "budget"):
            result.checks += numbers_checks(table, t_index)
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
                "source_location": table.location,
            }
        )
    for i, row in enumerate(result.rows):
        row.index = i
    if roles is not None:
        wrapped_label_weights(result.rows, roles)
    budget_grids = [t for t, e in zip(tables, lineage, strict=True) if e["role"] == "budget"]
    result.checks += reconcile_budget(parse_budget_block(budget_grids))
    return result, lineage


def wrapped_label_weights(rows: list[Row], roles: dict[str, list[int]]) -> None:
    """Weights printed inside label cells (决策（15分）) that a narrow unruled column wrapped
    onto the next line, which the reading placed in the next row: ``决策(15`` over ``分)``
    is joined into one label and its weight, and a cell holding only the weight
    (``(5分)`` under ``项目立项``) keeps it as a weight without a name, which the hierarchy
    joins to the label beside it. Only for levels without a 分值 column of their own."""
    for level in ("name_l1", "name_l2"):
        if level not in roles or f"weight:{level}" in roles:
            continue
        for a, b in pairwise(rows):
            ca, cb = a.names.get(level), b.names.get(level)
            if ca is None or cb is None or a.weights.get(level) or b.weights.get(level):
                continue
            if re.search(r"[（(][^）)]*$", ca.text) and re.fullmatch(r"[^（(]*[）)]", cb.text):
                name, weight = name_and_weight(ca.text + cb.text)
                if weight:
                    ca.text, cb.text, a.weights[level] = name, "", weight
        for row in rows:
            cell = row.names.get(level)
            if cell is None or row.weights.get(level) or not cell.text.startswith(("(", "（")):
                continue
            _, weight = name_and_weight("名" + cell.text)  # the weight alone, no name
            if weight:
                cell.text, row.weights[level] = "", weight


def split_header(cells: list[str], page: int) -> list[CheckResult]:
    """An error when a header cell holds a piece of a header word (二级指 | 标): the columns
    were cut inside a label, so the numbers below may sit under the wrong label."""
    pieces = header_pieces(cells)
    if not pieces:
        return []
    return [
        CheckResult(
            "table_header_split", f"page {page} header", "error", False,
            observed=" | ".join(cells), expected="one header word per column",
            detail=f"page {page}: the header row reads {' | '.join(cells)!r}: "
            f"{', '.join(map(repr, pieces))} is part of a header word cut into two columns",
        )
    ]  # fmt: skip


def numbers_checks(table: Grid, t_index: int) -> list[CheckResult]:
    """One check per grid (how many of its numbers are as printed) and an error per number
    cell whose reading is not what the page prints there."""
    n, bad = table.numbers_checked, len(table.number_issues)
    summary = CheckResult(
        "table_number_as_printed",
        f"page {table.page} table {t_index + 1}",
        "error",
        not bad,
        observed=f"{n - bad} of {n} numbers",
        expected=f"{n} of {n} numbers",
        detail=None if not bad else f"{bad} number cells read otherwise than printed",
    )
    return [summary] + [number_check(issue) for issue in table.number_issues]


def number_check(issue: NumberIssue) -> CheckResult:
    """An error check for a number cell whose reading is not what the page prints."""
    why = {
        "fragment": "not a whole number: part of one cut by a wrap",
        "two_readings": "the page's words placed by position read another number there: a "
        "number wider than its cell, or a neighbour's spilling into it",
    }[issue.why]
    return CheckResult(
        "table_number_as_printed",
        f"page {issue.page} table row {issue.row + 1} column {issue.col + 1}",
        "error",
        False,
        observed=issue.read,
        expected=issue.printed,
        detail=f"page {issue.page} table row {issue.row + 1} column {issue.col + 1}: read "
        f"{issue.read!r}, the page prints {issue.printed!r} ({why})",
    )


def _append(table: ScoreTable, row: Row) -> None:
    """Add a row, joining it to the last one when a page break cut one row in two."""
    last = table.rows[-1] if table.rows else None
    if last is None or last.page == row.page or (last.has_numbers and row.has_numbers):
        table.rows.append(row)
        return
    if not row.has_numbers:  # the tail: text only, at the top of the new page
        _join(last, row)
        return
    if not last.has_numbers:  # the head: text only, its numbers printed on the new page
        _join(row, last, head=True)
        table.rows[-1] = row
        return
    table.rows.append(row)


def _join(keep: Row, other: Row, head: bool = False) -> None:
    """Join the cell texts of ``other`` into ``keep`` (``head``: other comes first)."""

    def cat(a: str, b: str) -> str:
        return clean(b + a) if head else clean(a + b)

    for level, cell in other.names.items():
        mine = keep.names.setdefault(level, Cell("", cell.top_edge))
        mine.text = cat(mine.text, cell.text)
        if head:
            mine.top_edge = cell.top_edge
    for level, text in other.weights.items():
        if text and not keep.weights.get(level):
            keep.weights[level] = text
    keep.score = keep.score or other.score
    for role, ref in other.refs.items():
        keep.refs.setdefault(role, ref)
    for k, text in other.extra.items():
        keep.extra[k] = cat(keep.extra.get(k, ""), text)
    keep.raw = [cat(a, b) for a, b in zip(keep.raw, other.raw, strict=False)]
    if head:
        keep.page = other.page


def _cell_top_edge(table: Grid, r: int, c: int) -> bool | None:
    if table.top_edges is None:
        return None
    try:
        return table.top_edges[r][c]
    except IndexError:
        return True


def _row(table: Grid, r: int, cells: list[str], roles: dict, page: int, index: int) -> Row:
    def at(role: str) -> str:
        cols = roles.get(role)
        return cells[cols[0]] if cols and cols[0] < len(cells) else ""

    names = {}
    weights = {level: at(f"weight:{level}") for level in NAME_LEVELS}
    for level in NAME_LEVELS:
        if level in roles:
            col = roles[level][0]
            text = cells[col]
            if f"weight:{level}" not in roles:  # no 分值 column: 决策（15分） prints it
                text, weights[level] = name_and_weight(text)
            names[level] = Cell(text, _cell_top_edge(table, r, col))
    return Row(
        page=page,
        index=index,
        names=names,
        weights=weights,
        score=at("score"),
        extra={k: at(k) for k in EXTRA_ROLES},
        raw=cells,
        refs={
            role: ref
            for role, cols in roles.items()
            if (ref := table.cell_ref(r, cols[0])) is not None
        },
    )


def _numbers_at(table: Grid, r: int, cells: list[str]) -> str | None:
    """Where the numbers of row ``r`` were read (Word, Excel, HTML: their cells)."""
    refs = [table.cell_ref(r, c) for c, t in enumerate(cells) if number_or_none(t) is not None]
    return ", ".join(ref for ref in refs if ref) or None


def _total_with_tail(
    first: str, cells: list[str], roles: dict, table: ScoreTable, total_keys: set[str]
) -> bool:
    """A total row whose label cell took a piece of the note printed under an unruled
    table (``总分级：优``): the label starts with a total word and its weight is the sum of
    the weights of all rows above (an indicator's weight never is)."""
    if not any(first.startswith(k) for k in total_keys) or not table.rows:
        return False
    leaf = next(lv for lv in reversed(NAME_LEVELS) if lv in roles)
    col = roles.get(f"weight:{leaf}", [None])[0]
    weight = number_or_none(cells[col]) if col is not None and col < len(cells) else None
    weights = [number_or_none(r.weights.get(leaf, "")) for r in table.rows]
    return weight is not None and None not in weights and weight == sum(weights)


def _total_row(cells: list[str], roles: dict, page: int) -> ScoreFact:
    score_col = roles["score"][0]
    numbers = [(c, number_or_none(t)) for c, t in enumerate(cells)]
    numbers = [(c, n) for c, n in numbers if n is not None]
    score = next((n for c, n in numbers if c == score_col), None)
    weight_cols = {cols[0] for role, cols in roles.items() if role.startswith("weight")}
    if score is None and numbers and numbers[-1][0] not in weight_cols:
        score = numbers[-1][1]  # a merged cell put it off the 得分 column; a 分值 is no score
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


def _unscored(cells: list[str], roles: dict[str, list[int]]) -> bool:
    """Whether a row prints no number in its leaf 分值 or 得分 cell (the legend under a
    table whose total was not read: ``评价等√级优 90分≤得分≤100分…``, its grade range, is
    no indicator row)."""
    return all(c >= len(cells) or number_or_none(cells[c]) is None for c in number_columns(roles))


def _grade(cells: list[str]) -> str | None:
    spec = headers()
    text = "".join(cells)
    for mark in spec["grade_marks"]:
        m = re.search(re.escape(mark) + r"\s*(" + "|".join(spec["grades"]) + ")", text)
        if m:
            return m.group(1)
    return None


def _header_under_spilled_text(
    row: list[str], found: dict[str, list[int]] | None
) -> dict[str, list[int]] | None:
    """A header row's roles (``found``: read from its whole cells), also when a merged
    label cut by the page break spills hidden text into it: Calc prints the cell's part
    on the next page with its label at the cell's top, clipped under the repeated header
    (``二级指标`` over ``绩效管``, ``分值`` over ``15``), so those cells name no role.
    Read from each cell's first line, the header names more roles: those win."""
    if found is None or not any("\n" in (c or "") for c in row):
        return found
    first = [clean(next((ln for ln in (c or "").splitlines() if ln.strip()), "")) for c in row]
    again = header_roles(first)
    return again if again and len(again) > len(found) else found


__all__ = ["Cell", "Row", "ScoreTable", "number_columns", "parse_score_tables"]
