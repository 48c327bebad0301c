"""Every number read from a table, checked against the page where it was read.

A number is loaded only if the page prints exactly that number at the place it
was read from. Each number cell is read twice:

1. the table reading: the cell's text (PDFium's text inside Camelot's cell box, or
   the text lines a stream/network grid placed in the cell);
2. the page's words placed by position: every printed number (a run of number
   glyphs on one line) with a glyph in the cell's box, taken whole wherever it
   begins and ends.

They disagree when a number is wider than its cell (a narrow column; a
spreadsheet that lets it spill or clips it: ``543,210.00`` read of
``76,543,210.00``), when a neighbour's number spills into the cell, or when a
wrap cut a number in two (``76,`` / ``543,210.00``: what was read is not a
well-formed number). Each disagreement is an error check naming the page, the
cell and both readings, so the report is ``invalid``, never ``valid`` with a
wrong number. Digits are compared after the project's number normalisation
(full-width forms, thousands separators and spaces inside a number do not count).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jixiao.normalize.numbers import to_half_width

NUMBERISH = re.compile(r"[-+]?[\d,，.．\s０-９]*\d[\d,，.．\s０-９]*%?")
WELL_FORMED = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?")
NUMBER_CHARS = set("0123456789,.，．０１２３４５６７８９")
# Two glyphs of one printed number are closer than this share of their height.
RUN_GAP = 0.35


@dataclass(frozen=True)
class Char:
    left: float
    bottom: float
    right: float
    top: float
    text: str

    @property
    def cx(self) -> float:
        return (self.left + self.right) / 2

    @property
    def cy(self) -> float:
        return (self.bottom + self.top) / 2

    @property
    def height(self) -> float:
        return max(self.top - self.bottom, 1.0)


@dataclass(frozen=True)
class NumberIssue:
    """A cell whose reading is not what the page prints there."""

    page: int
    row: int
    col: int
    read: str
    printed: str
    why: str  # fragment · two_readings


def page_chars(textpage) -> list[Char]:
    """PDFium's characters of a page (spaces left out): x from the advance box (a comma is
    as wide as its advance, so one printed number is one run of touching boxes), y from
    the glyph (some exports declare fonts without ascent or descent)."""
    out = []
    for i in range(textpage.count_chars()):
        ch = textpage.get_text_range(i, 1)
        if not ch.strip():
            continue
        left, bottom, right, top = textpage.get_charbox(i)
        loose = textpage.get_charbox(i, loose=True)
        if loose[2] > loose[0]:
            left, right = loose[0], loose[2]
        out.append(Char(left, bottom, right, top, ch))
    return out


def digits(text: str) -> str:
    """The number as compared: half-width, no spaces or thousands separators."""
    return re.sub(r"[\s,]", "", to_half_width(text))


def is_numberish(text: str) -> bool:
    return bool(text) and NUMBERISH.fullmatch(text.strip()) is not None


def well_formed(text: str) -> bool:
    """A number as printed whole: digit groups of three after a separator, one point."""
    return WELL_FORMED.fullmatch("".join(to_half_width(text).split())) is not None


def page_reading(lines: list[list[Char]], box: tuple[float, float, float, float]) -> str:
    """The second reading of a number cell: the page's words placed by position.

    Every printed number (a run of number glyphs on one line, no wider gap than
    ``RUN_GAP`` of their height) with a glyph overlapping the box is taken whole,
    wherever it begins and ends, top to bottom: a number that spills beyond the
    cell, or into it from a neighbour, shows here and not in the box's text.
    """
    x1, y1, x2, y2 = box
    out = []
    for line in lines:
        if not y1 <= max(line, key=lambda c: c.height).cy <= y2:
            continue
        line.sort(key=lambda c: c.left)
        runs = [[line[0]]]
        for c in line[1:]:
            if _continues(runs[-1][-1], c):
                runs[-1].append(c)
            else:
                runs.append([c])
        out += ["".join(c.text for c in run) for run in runs
                if any(c.right > x1 + 0.1 and c.left < x2 - 0.1 for c in run)]  # fmt: skip
    return " ".join(out)


def number_lines(chars: list[Char]) -> list[list[Char]]:
    """The page's number glyphs by printed line: lines from the digits (all of one
    height), then each comma or point on the line whose baseline it sits at."""
    digits_ = sorted((c for c in chars if to_half_width(c.text).isdigit()), key=lambda c: -c.top)
    lines: list[list[Char]] = []
    for c in digits_:
        if lines and abs(lines[-1][0].top - c.top) < 0.5 * c.height:
            lines[-1].append(c)
        else:
            lines.append([c])
    for c in chars:
        if c.text not in NUMBER_CHARS or to_half_width(c.text).isdigit():
            continue
        near = [
            line for line in lines
            if min(x.bottom for x in line) - 0.35 * line[0].height <= c.cy
            <= max(x.top for x in line)
        ]  # fmt: skip
        if near:
            min(near, key=lambda line: abs(min(x.bottom for x in line) - c.bottom)).append(c)
    return lines


def _continues(a: Char, b: Char) -> bool:
    """Whether ``b`` (right of ``a``) continues the same printed number as ``a``."""
    if a.text not in NUMBER_CHARS or b.text not in NUMBER_CHARS:
        return False
    return b.left - a.right <= RUN_GAP * max(a.height, b.height)


def check_cells(
    page: int,
    rows: list[list[str]],
    boxes: list[list[tuple[float, float, float, float] | None]],
    chars: list[Char],
) -> tuple[int, list[NumberIssue]]:
    """How many number cells one grid has, and those whose reading is not the number
    printed there."""
    issues, checked = [], 0
    lines = number_lines(chars)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            text = (text or "").strip()
            if not is_numberish(text):
                continue
            checked += 1
            if not well_formed(text):
                issues.append(NumberIssue(page, r, c, text, text, "fragment"))
                continue
            box = boxes[r][c] if r < len(boxes) and c < len(boxes[r]) else None
            if box is None:
                continue
            printed = page_reading(lines, box)
            if digits(printed) != digits(text):
                issues.append(NumberIssue(page, r, c, text, printed, "two_readings"))
    return checked, issues
