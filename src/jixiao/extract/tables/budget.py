"""The 年度部门预算 block of a 自评表 → ``BudgetFact`` records (for ``fact_budget``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from jixiao.extract.tables.grid import Grid
from jixiao.extract.tables.headers import header_roles
from jixiao.extract.tables.text import clean, headers, number_or_none
from jixiao.extract.tables.verify import NumberIssue, digits, is_numberish, well_formed
from jixiao.model import BudgetFact, CheckResult
from jixiao.reference import budget_parts, name_key
from jixiao.reference.numbers import to_yuan


def parse_budget_block(tables: list[Grid]) -> list[BudgetFact]:
    """Budget figures from a table block (总预算 / 基本支出 / 项目支出 labels).

    Each label's amount is the first number below it in the same column
    (``amount_cells``); the unit is the one printed in the block (e.g. "总预算
    (万元)"). Without a printed unit nothing is read: an amount without its unit
    is a guess. A ruled cell below the label's span that is empty (nothing
    printed, or a scan's cell OCR could not read) ends the search: a lower row's
    number is never taken for it.
    """
    facts: list[BudgetFact] = []
    for table in tables:
        grid = [[clean(c) for c in row] for row in table.rows]
        unit = block_unit(grid)
        if unit is None:
            continue
        for cell in amount_cells(table):
            k, c = cell.row, cell.col
            value = figure_or_none(grid[k][c]) if k is not None else None
            if value is None:
                continue
            facts.append(
                BudgetFact(
                    item=cell.target["item"],
                    measure=cell.target["measure"],
                    amount_yuan=None,  # normalize.budgets converts
                    rate=None,
                    printed_text=f"{cell.label}: {grid[k][c]}",
                    printed_unit=unit,
                    source_page=table.page,
                    origin="table",
                    source_location=table.cell_ref(k, c),
                    printed_amount=value,
                )
            )
    return _unique(facts + execution_rate_rows(tables))


def execution_rate_rows(tables: list[Grid]) -> list[BudgetFact]:
    """The budget execution rate a score table prints as an indicator row: a flat list's
    预算执行率 row (重庆) gives it in its 完成值 column (``96.8%``) → 部门预算 ×
    ``execution_rate``. Only a printed percentage is read (labels in
    ``execution_rate_rows`` of ``reference/table_headers.yaml``), and only from grids
    whose cells are ruled or exact (lattice; Word, Excel, HTML): an unruled grid places
    its text columns by position, and 目标值 beside 完成值 must not be taken for it."""
    labels = {name_key(k) for k in headers().get("execution_rate_rows", [])}
    facts = []
    for table in tables:
        if table.flavor in ("stream", "network"):
            continue
        roles = None
        for r, row in enumerate(table.rows):
            cells = [clean(c) for c in row]
            roles = header_roles(cells) or roles
            if roles is None or "actual" not in roles or "name_l1" not in roles:
                continue
            name_col, actual_col = roles["name_l1"][0], roles["actual"][0]
            if actual_col >= len(cells) or name_key(cells[name_col]) not in labels:
                continue
            m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*[%％]", cells[actual_col])
            if m:
                facts.append(
                    BudgetFact(
                        item="部门预算",
                        measure="execution_rate",
                        amount_yuan=None,
                        rate=Decimal(m.group(1)) / 100,
                        printed_text=f"{cells[name_col]}: {cells[actual_col]}",
                        printed_unit="%",
                        source_page=table.page,
                        origin="table",
                        source_location=table.cell_ref(r, actual_col),
                    )
                )
    return facts


@dataclass(frozen=True)
class AmountCell:
    """Where a budget label's amount is read: ``row`` None when the block has none."""

    label: str  # the label as printed (总预算（万元）)
    target: dict  # item and measure (reference/table_headers.yaml budget_labels)
    label_row: int
    row: int | None
    col: int


def amount_cells(table: Grid) -> list[AmountCell]:
    """Each budget label of a block and the cell its amount is read from.

    Below the label, in its column: the first number; or, in a ruled table, the
    first empty cell that starts a new ruled span (the amount cell left blank or
    unread), which ends the search. Text cells in between (a sub-header) are passed.
    """
    labels = {name_key(k): v for k, v in headers()["budget_labels"].items()}
    grid = [[clean(c) for c in row] for row in table.rows]
    out = []
    for r, row in enumerate(grid):
        if header_roles(row):
            break  # the score table starts: the budget block is above it
        for c, text in enumerate(row):
            text = label_text(table.rows[r][c])
            key = label_key(text)
            if key not in labels:
                continue
            found = None
            for k, below in enumerate(grid[r + 1 :], start=r + 1):
                if header_roles(below):
                    break
                here = below[c] if c < len(below) else ""
                if figure_or_none(here) is not None or (not here and _ruled_top(table, k, c)):
                    found = k
                    break
            out.append(AmountCell(text, labels[key], r, found, c))
    return out


def without_label_tails(table: Grid) -> None:
    """Figure cells of a ruled block freed of their label's wrapped tail (in place).

    A spreadsheet prints a label too long for its narrow cell over two lines and lets the
    last one spill down into the figure's cell (``基本支`` / ``出`` over ``333.05``): that
    cell reads ``333.05 出``, no number. A line of a cell below a label that is exactly a
    line of the label is the label's: when what is left is one number, the cell holds
    that number (then checked against the page like every number cell)."""
    labels = {name_key(k) for k in headers()["budget_labels"]}
    for r, row in enumerate(table.rows):
        for c, label in enumerate(row):
            if label_key(label_text(label)) not in labels:
                continue
            tail = {clean(ln) for ln in str(label).splitlines() if clean(ln)}
            tail = {ln for ln in tail if not is_numberish(ln)}  # a figure's line printed in it
            for below in table.rows[r + 1 :]:
                lines = [clean(ln) for ln in str(below[c] if c < len(below) else "").splitlines()]
                kept = [ln for ln in lines if ln and ln not in tail]
                if len(kept) < len([ln for ln in lines if ln]) and figure_or_none(" ".join(kept)):
                    below[c] = " ".join(kept)
                if any(lines):
                    break


def figures_read(tables: list[Grid]) -> set[str]:
    """The budget labels (``label_key``) whose figure the blocks' cells read."""
    read = set()
    for table in tables:
        if block_unit([[clean(c) for c in row] for row in table.rows]) is None:
            continue
        for cell in amount_cells(table):
            k, c = cell.row, cell.col
            if k is not None and figure_or_none(clean(table.rows[k][c])) is not None:
                read.add(label_key(cell.label))
    return read


def readings_disagree(table: Grid, words: Grid) -> list[NumberIssue]:
    """Each figure of a ruled block that the page's words placed by position read as
    another number under the same label (``budget_words``): the cells read a piece of
    a figure wrapped or clipped past them (``4,927`` of ``4,927,221,441.72``), or the
    words took a neighbour's. An error either way: two readings, one truth."""
    by_label = {}
    for head, figure in zip(*words.rows, strict=True):
        by_label.setdefault(label_key(head), figure)
    issues = []
    for cell in amount_cells(table):
        k, c = cell.row, cell.col
        text = clean(table.rows[k][c]) if k is not None else ""
        other = by_label.get(label_key(cell.label), "")
        if figure_or_none(text) is None or not other or digits(other) == digits(text):
            continue
        issues.append(NumberIssue(table.page, k, c, text, other, "two_readings"))
    return issues


def checked_against_words(table: Grid, words: Grid) -> list[NumberIssue]:
    """A ruled block's number issues once its figures are read a second way, by the
    page's words placed by position (``budget_words``): ``readings_disagree`` added, and
    a cell's ``two_readings`` issue dropped when the page's words in the cell's box read
    the figure short of a clipped line and the words' stacked reading of the same label
    reads the cell's figure whole.

    A spreadsheet lets a figure wrapped in a narrow cell overflow its rules: the last line
    (``9`` of ``18,526`` / ``,874.8`` / ``9``) is clipped by the cell's bottom rule but
    printed in the text layer, its glyphs straddling the rule. The cell's text holds it,
    the box's words (lines centred in the box) do not. When the words' stacked reading
    under the label agrees with the cell digit for digit, two readings print the figure
    whole: it is read.

    The other way round, the cell's text can lose a glyph the page prints in its box (the
    point of ``.15`` sits low, under the cell's bottom rule: ``26857`` / ``37569`` /
    ``15``): when the box's words and the label's stacked words read the same well-formed
    figure and the cell's digits are those short of some, the cell reads the page's
    figure. Any other disagreement stays an error."""
    by_label = {}
    for head, figure in zip(*words.rows, strict=True):
        by_label.setdefault(label_key(head), figure)
    whole = {}
    for cell in amount_cells(table):
        k, c = cell.row, cell.col
        other = by_label.get(label_key(cell.label), "")
        if k is not None and figure_or_none(other) is not None and well_formed(other):
            whole[(k, c)] = other
    kept = []
    for i in table.number_issues:
        other = whole.get((i.row, i.col)) if i.why == "two_readings" else None
        cell = digits(clean(table.rows[i.row][i.col])) if other else ""
        if other and cell == digits(other) and _lines_of(digits(i.printed), cell):
            continue  # the cell holds a line clipped by its rule: the words read it too
        if other and digits(i.printed) == digits(other) and _piece_of(cell, digits(other)):
            table.rows[i.row][i.col] = other  # the cell's text lost a glyph the page prints
            continue
        kept.append(i)
    return kept + readings_disagree(table, words)


def figure_or_none(text: str) -> Decimal | None:
    """A figure cell's number, also when wrapped over the cell's lines (a narrow ruled
    cell prints ``13,849`` / ``,425.1`` / ``1``): its lines joined, when one of them is
    evidently a piece (not a number on its own) and together they are one well-formed
    number (``verify.well_formed``, the same join ``check_cells`` verifies against the
    page). None when the cell holds no number, or pieces that do not make one (then
    ``verify`` flags the fragment)."""
    value = number_or_none(text)
    if value is not None:
        return value
    pieces = clean(text).split()
    joined = "".join(pieces)
    if any(not well_formed(p) for p in pieces) and well_formed(joined):
        return number_or_none(joined)
    return None


def label_text(cell: object) -> str:
    """A label cell's text without a figure's line printed into it: a figure wrapped in
    the narrow cell below straddles the rule between them, and its first line lands in
    the label's cell (``总预算`` / ``(元)`` / ``13849`` over ``13,849`` / ``,425.1`` /
    ``1``). Lines that are only number glyphs are not the label's."""
    lines = [clean(ln) for ln in str(cell or "").splitlines()]
    kept = [ln for ln in lines if ln and not is_numberish(ln)]
    return clean("\n".join(kept)) if kept else clean(cell)


def label_key(text: str) -> str:
    """A budget label's key without its unit: ``总预算（万元）`` → ``总预算``, also when the
    unit is cut by a wrap (``总预算(万``: the words' line of a label wrapped in its cell)."""
    text = re.sub(r"[（(][^）)]*[）)]", "", clean(text))
    return name_key(re.split(r"[（(]", text)[0])


def is_budget(grid: Grid) -> bool:
    """Whether a grid prints a budget label (总预算, 基本支出 …) in one of its cells."""
    labels = {name_key(k) for k in headers()["budget_labels"]}
    return any(label_key(c or "") in labels for row in grid.rows for c in row)


def _ruled_top(table: Grid, r: int, c: int) -> bool:
    """Whether cell (r, c) starts a ruled span (False when the table has no rules)."""
    edges = table.top_edges
    return bool(edges) and r < len(edges) and c < len(edges[r]) and bool(edges[r][c])


def block_unit(grid: list[list[str]]) -> str | None:
    """The unit a budget block prints ("总预算 (万元)"), None when it prints none."""
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


def reconcile_budget(facts: list[BudgetFact]) -> list[CheckResult]:
    """部门预算 = 基本支出 + 项目支出 (``reference.budget_parts``), to the precision the
    block prints.

    The three figures of one block, compared in their printed unit: a difference of one
    unit of the last printed digit is rounding (seed 001: 11,887.73 against 3308.06 +
    8579.68 = 11,887.74); more, and a warning names the figure that does not add up, and
    an error (``clipped_figures``) when that figure was read in part.
    """
    by_item = {f.item: f for f in facts if f.measure == "budget" and f.origin == "table"}
    parts = [by_item.get(k) for k in ("部门预算", *budget_parts()["部门预算"])]
    if any(p is None for p in parts):
        return []
    total = parts[0]
    factor = to_yuan(Decimal(1), total.printed_unit)
    printed = [_printed_number(f) for f in parts]
    places = max((-n.as_tuple().exponent for n in printed if n is not None), default=2)
    step = Decimal(1).scaleb(-places)
    t, b, p = (to_yuan(f.printed_amount, f.printed_unit) / factor for f in parts)
    off = t - (b + p)
    unit = total.printed_unit
    clipped = [] if abs(off) <= step else clipped_figures(parts, [t, b, p], places, unit)
    return [
        *clipped,
        CheckResult(
            "budget_block_sum",
            "部门预算",
            "warning",
            abs(off) <= step,
            observed=f"{t:,.{places}f}",
            expected=f"{b + p:,.{places}f}",
            detail=None
            if abs(off) <= step
            else f"总预算 {t:,.{places}f}{unit} is not 基本支出 {b:,.{places}f} + 项目支出 "
            f"{p:,.{places}f} = {b + p:,.{places}f}{unit}: 总预算 is {off:+,.{places}f}{unit} "
            "off (a typo in the report, or one of the three misread)",
        ),
    ]


def clipped_figures(
    parts: list[BudgetFact], values: list[Decimal], places: int, unit: str
) -> list[CheckResult]:
    """An error for the figure of a block that does not add up when what was read is a
    piece of the figure that would make it add up: its digits a shorter subsequence of
    that figure's (``13849`` of ``13,849,425.11``, ``543,210.00`` of ``76,543,210.00``).
    That is a figure clipped or wrapped in its cell and read in part, not a typo in the
    report: the report is not valid with it (``budget_figure_clipped``). A figure read
    as zeros only is not taken for a piece."""
    t, b, p = values
    would = [b + p, t - p, t - b]  # the value each figure would need for the block to add up
    out = []
    for fact, value, needed in zip(parts, values, would, strict=True):
        read = re.sub(r"\D", "", str(_printed_number(fact) or value))
        whole = re.sub(r"\D", "", f"{needed:.{places}f}")
        if needed <= 0 or not read.strip("0") or not _piece_of(read, whole):
            continue
        out.append(
            CheckResult(
                "budget_figure_clipped",
                fact.item,
                "error",
                False,
                observed=fact.printed_text,
                expected=f"{needed:,.{places}f}",
                detail=f"{fact.printed_text} (page {fact.source_page}"
                f"{f', {fact.source_location}' if fact.source_location else ''}) is a piece "
                f"of {needed:,.{places}f}{unit}, the "
                f"figure that makes the block add up: {fact.item} was clipped or wrapped "
                "in its cell and read in part",
            )
        )
    return out


def _piece_of(read: str, whole: str) -> bool:
    """Whether the digits ``read`` are fewer than ``whole``'s and a subsequence of them."""
    if len(read) >= len(whole):
        return False
    rest = iter(whole)
    return all(d in rest for d in read)


def _lines_of(read: str, whole: str) -> bool:
    """Whether ``read`` is ``whole`` short of its first or last digits (lines of a wrapped
    figure clipped at the top or bottom of its cell)."""
    return bool(read) and len(read) < len(whole) and read in whole


def _printed_number(fact: BudgetFact) -> Decimal | None:
    """The number as printed after the label (``总预算(万元): 11,887.73`` → 11887.73)."""
    text = fact.printed_text.rsplit(":", 1)[-1]
    return figure_or_none(text)


def merge_budgets(table: list[BudgetFact], prose: list[BudgetFact]) -> list[BudgetFact]:
    """The table's budget figures, plus the prose figures the table does not have."""
    keys = {(b.item, b.measure) for b in table}
    return table + [b for b in prose if (b.item, b.measure) not in keys]
