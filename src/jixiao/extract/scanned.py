"""A PDF with image-only pages as a layer for the one assembly, through OCR.

The pages without a usable text layer are OCR'd (``ocr``); each is read in
order (``reading_order``) and its ruled tables rebuilt from the drawn lines
(``ruled_grid``). Pages that do have a text layer keep it (a report with a few
scanned pages is common). The result is a layer like Word's or Excel's
(``ScanLayer``: lines, and grids whose cells carry their OCR confidence), which
``document.assemble`` turns into facts and checks as for every format; this
module then adds what OCR alone knows (``add_ocr_evidence``):

* ``ocr_confidence``: the lowest confidence of the boxes its numbers were read
  from (a table row's weight and score cells; the box holding a prose figure);
* a warning check ``ocr_low_confidence`` naming the fact when that is below
  ``low_confidence`` in ``reference/ocr.yaml``: kept, never trusted silently;
* ``ocr_number_corrected`` when OCR noise inside a number was undone
  ("O.5" → "0.5") or a cell was read again (weight, score, budget amount);
* ``ocr_number_unreadable`` (an error: the report is not valid) for a cell OCR
  could not read as a number, even enlarged, that no table check names already
  (a budget amount; a weight missing beside a score).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import numpy as np

from jixiao.extract import ocr, score_table
from jixiao.extract.pdf import PdfText
from jixiao.extract.reading_order import OcrLine, PageText, read_page
from jixiao.extract.ruled_grid import OcrGrid, clean_number, find_tables, read_grid
from jixiao.extract.tables.budget import amount_cells, block_unit, label_key
from jixiao.extract.tables.verify import check_cells
from jixiao.model import BudgetFact, CheckResult, DocumentFacts, ScoreFact, TextLine
from jixiao.reference import name_key
from jixiao.reference.numbers import load_patterns, parse_number, to_half_width, to_yuan

NUMBER_TOKEN = re.compile(r"\d+(?:[,，]\d{3})*(?:[.．]\d+)?")


@dataclass
class ScannedPages:
    """What OCR read from a document's image-only pages."""

    pages: list[PageText] = field(default_factory=list)
    grids: list[OcrGrid] = field(default_factory=list)
    images: dict[int, np.ndarray] = field(default_factory=dict)  # straightened, by page
    ocr: list[ocr.OcrPage] = field(default_factory=list)

    @property
    def lines(self) -> list[OcrLine]:
        return [line for page in self.pages for line in page.lines]


def read_scanned_pages(path: str | Path, pages: list[int], workers: int = 1) -> ScannedPages:
    """OCR the pages, rebuild their tables and reading order."""
    out = ScannedPages()
    for result in ocr.ocr_pages(path, pages, workers=workers):
        image = ocr.straightened_page(path, result.page, result.skew_deg, result.rotation_deg)
        tables = []
        for ruled in find_tables(image):
            grid, row_lines = read_grid(result, ruled, image)
            out.grids.append(grid)
            tables.append((ruled.region, row_lines))
        out.pages.append(read_page(result, tables))
        out.images[result.page] = image
        out.ocr.append(result)
    return out


@dataclass
class ScanLayer:
    """A PDF with scanned pages as the one assembly (``document.assemble``) reads it.

    ``lines``: the text layer of the text pages and the OCR lines of the scanned
    ones, in page order; ``grids`` (after ``read_layer_tables``): Camelot's tables
    of the text pages and the ruled tables of the scanned pages (``OcrGrid``: each
    cell with its OCR confidence and box), in page order. What OCR alone knows
    (confidences, numbers read again, cells it could not read) is added to the
    assembled facts by ``add_ocr_evidence``.
    """

    scan: ScannedPages
    lines: list[TextLine]
    scanned_pages: list[int]
    grids: list = field(default_factory=list)

    @property
    def ocr_grids(self) -> list[OcrGrid]:
        return [g for g in self.grids if isinstance(g, OcrGrid)]


def read_scan_layer(path: str | Path, pdf: PdfText, pages: list[int]) -> ScanLayer:
    """OCR the ``pages`` (1-based) without a text layer; the text of all pages, in order."""
    scan = read_scanned_pages(path, pages)
    return ScanLayer(scan, merged_lines(pdf, scan), list(pages))


def read_layer_tables(layer: ScanLayer, path: str | Path) -> list:
    """The score-table pages' grids: Camelot on text pages, the OCR grids on scans.

    The OCR grids' weight, score and budget amount cells without a number are
    read again (``reread_missing_numbers``, ``reread_budget_amounts``) and their
    numbers checked for being whole numbers (``verify_ocr_numbers``) before the
    assembly reads them.
    """
    table_pages = score_table.table_pages(layer.lines)
    text_table_pages = [p for p in table_pages if p not in layer.scanned_pages]
    grids: list = score_table.read_tables(path, text_table_pages) if text_table_pages else []
    ocr_grids = [g for g in layer.scan.grids if g.page in table_pages]
    reread_missing_numbers(ocr_grids, layer.scan.images)
    reread_budget_amounts(ocr_grids, layer.scan.images)
    verify_ocr_numbers(ocr_grids)
    layer.grids = sorted(grids + ocr_grids, key=lambda g: g.page)
    return layer.grids


def add_ocr_evidence(facts: DocumentFacts, layer: ScanLayer) -> DocumentFacts:
    """What OCR alone knows, added to the assembled facts of a scanned report.

    * ``doc_kind`` ``scanned``;
    * per fact, ``ocr_confidence``: the lowest confidence of the boxes its numbers
      were read from (table cells, the box of a prose figure);
    * the grade whose check box OCR lost the tick from (``checkbox_grade``);
    * checks: numbers corrected or read again (warnings), figures read with low
      confidence (warnings), cells OCR could not read as numbers even enlarged
      that no table check names already (errors); a table check naming such a
      cell says what OCR tried in its detail.
    """
    grids = layer.grids
    table, _lineage = score_table.parse_score_tables(grids)  # which cell each row came from
    table_facts = [f for f in facts.scores if f.origin == "table"]
    attach_table_confidence(table, table_facts, grids)
    for fact in [*facts.scores, *facts.budgets]:
        if fact.origin == "prose":
            fact.ocr_confidence = number_confidence(fact, layer.scan.lines)
    attach_budget_confidence([b for b in facts.budgets if b.origin == "table"], grids)
    if table.grade is None and (ticked := checkbox_grade(table.grade_text)):
        facts.grade_printed = ticked
    facts.doc_kind = "scanned"
    facts.checks += correction_checks(layer.ocr_grids)
    facts.checks += unreadable_checks(table_facts, facts.checks)
    facts.checks += unread_amount_checks(layer.ocr_grids)
    facts.checks += unreconciled_budget_checks(facts.checks)
    facts.checks += low_confidence_checks(facts.scores, facts.budgets)
    return facts


def merged_lines(pdf: PdfText, scan: ScannedPages) -> list[TextLine]:
    """Text-layer lines of the text pages and OCR lines of the scanned ones, in page order."""
    scanned = {page.page for page in scan.pages}
    lines = [line for line in pdf.lines if line.page not in scanned]
    lines += [line.to_text_line() for line in scan.lines]
    return sorted(lines, key=lambda line: line.page)  # stable: reading order within a page


# ---------------------------------------------------------------- table cells


def _roles_by_grid(grids: list) -> list[dict[str, list[int]] | None]:
    """The column roles in force in each grid (a continuation keeps the last header's)."""
    roles, out = None, []
    for grid in grids:
        for row in grid.rows:
            found = score_table.header_roles([score_table.clean(c) for c in row])
            if found:
                roles = found
                break
        out.append(roles)
    return out


def _header_row(grid) -> int:
    """The index of the grid's score-table header row; -1 for a continuation without one."""
    for r, row in enumerate(grid.rows):
        if score_table.header_roles([score_table.clean(c) for c in row]):
            return r
    return -1


def _number_columns(roles: dict[str, list[int]]) -> list[int]:
    return [roles[k][0] for k in ("weight:name_l3", "score") if k in roles]


def _parsed(text: str) -> tuple[str, Decimal] | None:
    """A cell reading as (clean text, number), or None when it is not a number."""
    text = clean_number(text, expect_number=True) or text
    value = score_table.number_or_none(score_table.clean(text))
    return None if value is None else (text, value)


def _best_reading(
    readings: list[ocr.OcrBox],
    fits: Callable[[Decimal], bool] = lambda _v: True,
    min_confidence: float = 0.0,
) -> tuple[str, float] | None:
    """The most confident reading that is a number, ``fits`` and is read with at least
    ``min_confidence``: (text, confidence)."""
    best = None
    for box in readings:
        parsed = _parsed(box.text)
        if box.confidence < min_confidence:
            continue
        if parsed is not None and fits(parsed[1]) and (best is None or box.confidence > best[1]):
            best = (parsed[0], box.confidence)
    return best


def _set_cell(grid: OcrGrid, r: int, c: int, text: str, confidence: float, how: str) -> None:
    printed = score_table.clean(grid.rows[r][c])
    grid.corrections.append(
        {"row": r, "col": c, "printed": printed or "(not detected)", "read_as": text,
         "reread": how}
    )  # fmt: skip
    grid.rows[r][c] = text
    grid.confidence[r][c] = confidence


def reread_missing_numbers(grids: list[OcrGrid], images: dict[int, np.ndarray]) -> None:
    """Read again, cell by cell, the weight or score a table row lacks or cannot have.

    * A cell with no number: its crop is recognized on its own; when that is not
      a number either, the cell is read at a higher resolution
      (``ocr.read_cell_closer``) and the most confident number kept. What is
      read is kept with its confidence and flagged (``ocr_number_corrected``);
      a cell still without a number leaves the fact without it, which is an
      error (``ocr_number_unreadable``).
    * A score above its row's weight (a lost decimal point: "1.5" read as "15"):
      the score cell, then the weight cell, is read at a higher resolution; a
      reading that makes the row consistent replaces it, flagged. None does →
      the figures stay and the suite's ``score_within_weight`` error fails the report.
    """
    spec = score_table.headers()
    labels = {name_key(w) for w in spec["total_labels"] + spec["grade_labels"]}
    totals = {name_key(w) for w in spec["total_labels"]}
    for grid, roles in zip(grids, _roles_by_grid(grids), strict=True):
        if roles is None or grid.page not in images:
            continue
        image = images[grid.page]
        name_col = roles.get("name_l3", [None])[0]
        header = _header_row(grid)
        for r, row in enumerate(grid.rows):
            cells = [score_table.clean(c) for c in row]
            first = next((c for c in cells if c), "")
            if r > header and name_key(first) in totals and "score" in roles:
                s_col = roles["score"][0]
                if s_col < len(cells) and score_table.number_or_none(cells[s_col]) is None:
                    _unread_unless_reread(grid, r, s_col, image, "total", f"{first} 得分")
                continue
            if r <= header or name_key(first) in labels:
                continue  # above or at the header (a budget block), or a total/grade row
            if len(cells) <= max(max(v) for v in roles.values()):
                continue  # not a row of this table (the parser skips it too)
            numbers = _number_columns(roles)
            has_name = name_col is not None and bool(cells[name_col])
            if not has_name and not any(cells[c] for c in numbers):
                continue
            for c in numbers + _span_weight_columns(roles, cells):
                if score_table.number_or_none(cells[c]) is None:
                    weight = c != roles.get("score", [None])[0]
                    _reread_cell(grid, r, c, image, checked_by_sums=weight)
            if len(numbers) == 2:
                _reread_score_above_weight(grid, r, numbers, image)


def _span_weight_columns(roles: dict[str, list[int]], cells: list[str]) -> list[int]:
    """The level-1/2 weight columns of a row that prints that level's label (the span's
    first row: a blank weight cell below it is merged, not unread)."""
    return [
        roles[f"weight:{level}"][0]
        for level in ("name_l1", "name_l2")
        if f"weight:{level}" in roles and level in roles and cells[roles[level][0]]
    ]


def _reread_cell(
    grid: OcrGrid, r: int, c: int, image: np.ndarray, checked_by_sums: bool = False
) -> None:
    """Read one cell without a number again: on its own, then at a higher resolution.

    A score, total or amount read this way is kept only with a confidence of at
    least ``reread.min_confidence``: the page pass found nothing there, so a faint
    reading of a crop is as likely a signature's loop or a stamp's edge as a digit.
    A reading below it leaves the cell empty (the row lacks that number: an error
    names it), recorded in ``OcrGrid.unread``. A weight (``checked_by_sums``) is
    kept whatever its confidence, flagged when low: the printed parent weights
    check it (``weight_children_sum``), and faint lone "1" weights are common.
    """
    floor = 0.0 if checked_by_sums else ocr.settings()["reread"]["min_confidence"]
    rect = grid.cell_rects[r][c]
    box = ocr.read_cell(image, rect)
    parsed = _parsed(box.text) if box is not None else None
    if parsed is not None and box.confidence >= floor:
        _set_cell(grid, r, c, parsed[0], box.confidence, "on its own")
        return
    confident = _best_reading(ocr.read_cell_closer(image, rect), min_confidence=floor)
    if confident is not None:
        _set_cell(grid, r, c, *confident, "at a higher resolution")
        return
    if parsed is not None:  # a number, but not read surely enough to load
        grid.unread.append(
            {"row": r, "col": c, "kind": "cell", "label": None,
             "read": f"{parsed[0]} ({box.confidence:.2f})"}
        )  # fmt: skip
        grid.rows[r][c] = ""
    elif box is not None:  # kept as read: not a number, the fact will lack it
        _set_cell(grid, r, c, box.text, box.confidence, "on its own")


def _reread_score_above_weight(
    grid: OcrGrid, r: int, numbers: list[int], image: np.ndarray
) -> None:
    """Read a row's score and weight closer when the score exceeds the weight."""
    w_col, s_col = numbers
    weight = score_table.number_or_none(score_table.clean(grid.rows[r][w_col]))
    score = score_table.number_or_none(score_table.clean(grid.rows[r][s_col]))
    if weight is None or score is None or score <= weight:
        return
    how = "at a higher resolution (score above weight)"
    floor = ocr.settings()["reread"]["min_confidence"]
    readings = ocr.read_cell_closer(image, grid.cell_rects[r][s_col])
    if (best := _best_reading(readings, lambda v: 0 <= v <= weight, floor)) is not None:
        _set_cell(grid, r, s_col, *best, how)
        return
    readings = ocr.read_cell_closer(image, grid.cell_rects[r][w_col])
    if (best := _best_reading(readings, lambda v: v >= score, floor)) is not None:
        _set_cell(grid, r, w_col, *best, how)


def reread_budget_amounts(grids: list[OcrGrid], images: dict[int, np.ndarray]) -> None:
    """Read again, like a score cell, a budget block's amount cell OCR read no number in.

    The amount cell of a label (总预算, 基本支出 …) is the first ruled cell below the
    label's span. Without a number it is read on its own, then enlarged; a number
    read is kept with its confidence and flagged (``ocr_number_corrected``). Still
    none: the cell is recorded as unread (``OcrGrid.unread``, an error check names
    it) and left empty, so the block reader stops there instead of taking a lower
    row's number for it (``tables.budget.amount_cells``).
    """
    labels = {name_key(k) for k in score_table.headers()["budget_labels"]}
    for grid in grids:
        if grid.page not in images or not grid.top_edges:
            continue
        cells = [[score_table.clean(c) for c in row] for row in grid.rows]
        if block_unit(cells) is None:
            continue
        for cell in amount_cells(grid):
            k = next(
                (k for k in range(cell.label_row + 1, len(grid.rows))
                 if grid.top_edges[k][cell.col]),
                None,
            )  # fmt: skip
            if k is None or score_table.header_roles(cells[k]):
                continue
            text = cells[k][cell.col]
            if score_table.number_or_none(text) is not None:
                continue
            if label_key(text) in labels:
                continue  # a sub-header of the block: the amount is further down
            _unread_unless_reread(grid, k, cell.col, images[grid.page], "amount", cell.label)


def _unread_unless_reread(
    grid: OcrGrid, r: int, c: int, image: np.ndarray, kind: str, label: str
) -> None:
    """Read cell (r, c) again; still no number: record it as unread (``kind``: amount,
    total) and leave it empty, so no reader takes another cell's number for it."""
    _reread_cell(grid, r, c, image)
    read = score_table.clean(grid.rows[r][c])
    if score_table.number_or_none(read) is not None:
        return
    earlier = [u for u in grid.unread if (u["row"], u["col"]) == (r, c)]
    grid.unread = [u for u in grid.unread if (u["row"], u["col"]) != (r, c)]
    read = earlier[0]["read"] if earlier else read
    grid.unread.append({"row": r, "col": c, "kind": kind, "label": label, "read": read})
    grid.rows[r][c] = ""


def verify_ocr_numbers(grids: list[OcrGrid]) -> None:
    """The numbers of OCR grids checked like Camelot's: each number cell a whole number.

    A scan has no second reading by position (no glyphs to place), so only the
    first half of ``tables.verify.check_cells`` applies: a cell that reads like a
    number but is not one well-formed number ("1.8.5", "3,4") is an error.
    """
    for grid in grids:
        grid.numbers_checked, grid.number_issues = check_cells(grid.page, grid.rows, [], [])


def _grid_rows(table: score_table.ScoreTable, grids: list) -> dict[int, tuple]:
    """Score-table row index → (grid, grid row), matched in the order the parser read them."""
    out: dict[int, tuple] = {}
    k = 0
    for grid in grids:
        for r, row in enumerate(grid.rows):
            if k >= len(table.rows):
                return out
            cells = [score_table.clean(c) for c in row]
            if table.rows[k].page == grid.page and table.rows[k].raw == cells:
                out[k] = (grid, r)
                k += 1
    return out


def _cell_confidence(grid, r: int, cols: list[int]) -> float | None:
    conf = getattr(grid, "confidence", None)
    if not conf:
        return None
    values = [conf[r][c] for c in cols if c < len(conf[r]) and conf[r][c] is not None]
    return min(values) if values else None


def attach_table_confidence(
    table: score_table.ScoreTable, facts: list[ScoreFact], grids: list
) -> None:
    """Set ``ocr_confidence`` on table facts from the cells their numbers were read from."""
    rows = _grid_rows(table, grids)
    roles_of = dict(zip(map(id, grids), _roles_by_grid(grids), strict=True))
    for fact in facts:
        if fact.level == 0:
            fact.ocr_confidence = _total_confidence(grids)
            continue
        if fact.row_index is None:
            continue
        if fact.level in (1, 2) and fact.span_key:  # a span: find where its weight is
            key = f"weight:name_l{fact.level}"
            for k in range(fact.row_index, len(table.rows)):
                if k not in rows:
                    continue
                grid, r = rows[k]
                roles = roles_of[id(grid)] or {}
                cols = roles.get(key, [])
                weight = table.rows[k].weights.get(f"name_l{fact.level}", "")
                if cols and weight and score_table.number_or_none(weight) == fact.weight:
                    fact.ocr_confidence = _cell_confidence(grid, r, cols[:1])
                    break
            continue
        if fact.row_index in rows:
            grid, r = rows[fact.row_index]
            roles = roles_of[id(grid)] or {}
            fact.ocr_confidence = _cell_confidence(grid, r, _number_columns(roles))


def _total_confidence(grids: list) -> float | None:
    labels = {name_key(w) for w in score_table.headers()["total_labels"]}
    for grid in grids:
        for r, row in enumerate(grid.rows):
            cells = [score_table.clean(c) for c in row]
            if name_key(next((c for c in cells if c), "")) in labels:
                cols = [c for c, t in enumerate(cells) if score_table.number_or_none(t) is not None]
                return _cell_confidence(grid, r, cols)
    return None


def attach_budget_confidence(budgets: list[BudgetFact], grids: list) -> None:
    """Budget-block facts: the confidence of the cell on their page printing their number."""
    for b in budgets:
        printed = b.printed_text.rpartition(": ")[2]
        for grid in grids:
            if grid.page != b.source_page or not getattr(grid, "confidence", None):
                continue
            for r, row in enumerate(grid.rows):
                for c, text in enumerate(row):
                    if text and score_table.clean(text) == printed:
                        b.ocr_confidence = grid.confidence[r][c]
                        break
                if b.ocr_confidence is not None:
                    break


# ---------------------------------------------------------------- prose figures


def _normalize(text: str) -> str:
    return "".join(to_half_width(ch) for ch in text if not ch.isspace())


def number_confidence(fact: ScoreFact | BudgetFact, lines: list[OcrLine]) -> float | None:
    """Min confidence of the OCR boxes that printed a prose fact's number.

    The fact's printed text is found in the OCR lines (spaces and full-width
    forms ignored, on its page first); within it, the last number equal to the
    fact's value is the one it was read from.
    """
    value = fact.score if isinstance(fact, ScoreFact) else None
    if value is None and isinstance(fact, ScoreFact):
        value = fact.weight
    furniture = [re.compile(p) for p in load_patterns()["line_furniture"]]
    chars: list[tuple[str, OcrLine, int]] = []
    for line in lines:
        if any(f.search(line.text) for f in furniture):
            continue
        for i, ch in enumerate(line.text):
            if not ch.isspace():
                chars.append((to_half_width(ch), line, i))
    stream = "".join(c for c, _, _ in chars)
    target = _normalize(fact.printed_text)
    if not target:
        return None
    starts = [m.start() for m in re.finditer(re.escape(target), stream)]
    if not starts:
        return None
    start = next((s for s in starts if chars[s][1].page == fact.source_page), starts[0])
    numbers = list(NUMBER_TOKEN.finditer(target))
    chosen = None
    for m in numbers:
        try:
            parsed = parse_number(m.group())
        except (ValueError, ArithmeticError):
            continue
        if value is None or parsed == value or _amount_matches(fact, parsed):
            chosen = m
    if chosen is None:
        chosen = numbers[-1] if numbers else None
    if chosen is None:
        return None
    confidences = []
    for pos in range(start + chosen.start(), start + chosen.end()):
        _, line, offset = chars[pos]
        box = line.box_at(offset)
        if box is not None:
            confidences.append(box.confidence)
    return min(confidences) if confidences else None


def _amount_matches(fact: ScoreFact | BudgetFact, parsed: Decimal) -> bool:
    """Whether a printed number is the budget fact's figure (in any unit, or as a rate)."""
    if not isinstance(fact, BudgetFact):
        return False
    if fact.rate is not None:
        return abs(parsed / 100 - fact.rate) < Decimal("0.00001")
    if fact.printed_amount is None or parsed == 0:
        return False
    ratio = to_yuan(fact.printed_amount, fact.printed_unit) / parsed
    return ratio in (1, 10000, 100000000)


# ---------------------------------------------------------------- checks


def _subject(fact: ScoreFact) -> str:
    name = fact.printed_name or (f"row {fact.row_index + 1}" if fact.row_index is not None else "?")
    return f"page {fact.source_page}: {name}"


def low_confidence_checks(scores: list[ScoreFact], budgets: list[BudgetFact]) -> list[CheckResult]:
    """A warning for every figure read with a confidence below the threshold."""
    threshold = ocr.settings()["low_confidence"]
    checks = []
    for f in scores:
        if f.ocr_confidence is not None and f.ocr_confidence < threshold:
            checks.append(
                CheckResult(
                    "ocr_low_confidence",
                    f"score/{_subject(f)}",
                    "warning",
                    False,
                    observed=f"weight {f.weight}, score {f.score} (OCR confidence "
                    f"{f.ocr_confidence:.2f})",
                    expected=f"OCR confidence ≥ {threshold}",
                    detail=f"read from a scan with low confidence: check 「{f.printed_text}」 "
                    f"on page {f.source_page}",
                )
            )
    for b in budgets:
        if b.ocr_confidence is not None and b.ocr_confidence < threshold:
            figure = b.rate
            if b.printed_amount is not None:
                figure = to_yuan(b.printed_amount, b.printed_unit)
            checks.append(
                CheckResult(
                    "ocr_low_confidence",
                    f"budget/{b.item}/{b.measure}",
                    "warning",
                    False,
                    observed=f"{figure} (OCR confidence {b.ocr_confidence:.2f})",
                    expected=f"OCR confidence ≥ {threshold}",
                    detail=f"read from a scan with low confidence: check 「{b.printed_text}」 "
                    f"on page {b.source_page}",
                )
            )
    return checks


def unreadable_checks(table_facts: list[ScoreFact], checks: list[CheckResult]) -> list[CheckResult]:
    """An error for every table row whose weight or score OCR could not read, unless
    the table reader names that cell already (``table_number_unreadable``).

    The cell was read on the page, on its own and at a higher resolution
    (``reread_missing_numbers``) before this: a hole left in the table makes
    the report not valid, even when its printed total still adds up. One check
    names each hole: where the table reader's does, its detail gets what OCR
    tried; only the holes it does not see (a weight missing beside a score, a
    row with neither) get an ``ocr_number_unreadable`` of their own.
    """
    named = {
        c.subject: c for c in checks if c.check_name == "table_number_unreadable" and not c.passed
    }
    out = []
    for f in table_facts:
        if f.level not in (2, 3) or f.origin != "table" or f.span_key:
            continue  # a span prints no score
        missing = [what for what in ("weight", "score") if getattr(f, what) is None]
        tried = "read by OCR on the page, on its own and enlarged: no number"
        unnamed = []
        for what in missing:
            table_check = named.get(f"page {f.source_page} row {(f.row_index or 0) + 1} {what}")
            if table_check is None:
                unnamed.append(what)
            elif tried not in (table_check.detail or ""):
                table_check.detail = f"{table_check.detail} ({f.printed_name or '?'}: {tried})"
        if unnamed:
            where = f.source_location or f"row {(f.row_index or 0) + 1}"
            out.append(
                CheckResult(
                    "ocr_number_unreadable",
                    f"{'/'.join(unnamed)}/{_subject(f)}",
                    "error",
                    False,
                    observed=f"「{f.printed_text}」",
                    expected="a number in every weight and score cell",
                    detail=f"the scan's {' and '.join(unnamed)} cell ({where}) could not be read "
                    "as a number, on the page, on its own or enlarged",
                )
            )
    return out


def unread_amount_checks(grids: list[OcrGrid]) -> list[CheckResult]:
    """An error for every budget amount or total score cell OCR could not read
    (``reread_budget_amounts``, ``reread_missing_numbers``): the figure is not
    loaded and no other cell's number stands in for it."""
    return [
        CheckResult(
            "ocr_number_unreadable",
            f"{'budget' if cell['kind'] == 'amount' else 'total'}/page {grid.page}: "
            f"{cell['label']}",
            "error",
            False,
            observed=f"「{cell['read']}」" if cell["read"] else "(no text detected)",
            expected=f"the amount of {cell['label']}",
            detail=f"page {grid.page} table row {cell['row'] + 1} column {cell['col'] + 1}: the "
            f"amount cell of {cell['label']} could not be read as a number, on the page, on its "
            "own or enlarged",
        )
        for grid in grids
        for cell in grid.unread
        if cell["kind"] in ("amount", "total")
    ]


def unreconciled_budget_checks(checks: list[CheckResult]) -> list[CheckResult]:
    """An error for a scanned budget block that does not add up (``budget_block_sum``
    failed, a warning on a text page). On a scan the difference is not evidence of a
    misprint: a stamp's ring taken for a rule or a smudge can cut a figure (11,887.73
    read as 1), so the block's figures are not loaded in a valid report."""
    return [
        CheckResult(
            "ocr_budget_unreconciled",
            c.subject,
            "error",
            False,
            observed=c.observed,
            expected=c.expected,
            detail=f"{c.detail}; the block was read by OCR, where a cut or misread figure "
            "cannot be told from a misprint",
        )
        for c in checks
        if c.check_name == "budget_block_sum" and not c.passed
    ]


def correction_checks(grids: list[OcrGrid]) -> list[CheckResult]:
    """A warning for every number cell whose OCR noise was undone or that was read again."""
    checks = []
    for grid in grids:
        for fix in grid.corrections:
            how = f"read again {fix['reread']}" if fix.get("reread") else "OCR noise undone"
            checks.append(
                CheckResult(
                    "ocr_number_corrected",
                    f"page {grid.page}: row {fix['row'] + 1}, column {fix['col'] + 1}",
                    "warning",
                    False,
                    observed=fix["printed"],
                    expected=fix["read_as"],
                    detail=f"{how}: 「{fix['printed']}」 read as {fix['read_as']}",
                )
            )
    return checks


def checkbox_grade(grade_text: str | None) -> str | None:
    """The grade whose box is ticked when OCR lost the tick but read the empty boxes.

    OCR reads an empty box □ as 口 and often drops a tick √: the one grade not
    preceded by an empty box is the ticked one.
    """
    if not grade_text:
        return None
    spec = score_table.headers()
    boxes = "".join(re.escape(b) for b in ocr.settings()["empty_boxes"])
    grades = "|".join(spec["grades"])
    found = [
        (m.group(2), bool(m.group(1)))
        for m in re.finditer(rf"([{boxes}]?)\s*({grades})(?=\s*(?:\d|得分))", grade_text)
    ]
    unboxed = [g for g, boxed in found if not boxed]
    if len(found) == len(spec["grades"]) and len(unboxed) == 1:
        return unboxed[0]
    return None
