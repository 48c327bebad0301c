"""Every number read from a table, checked against the page where it was read.

A number is loaded only if the page prints exactly that number at the place it
was read from. Three ways a cell's reading can fall short of what is printed:

* **overflow**: the printed number is wider than its cell (a narrow column, a
  spreadsheet that lets it spill or clips it): digits sit on the same line
  just outside the box, so the box alone reads ``543,210.00`` of
  ``76,543,210.00``;
* **a fragment**: a number wrapped inside a narrow cell and cut into two rows
  by a reading that placed its lines apart (``76,`` / ``543,210.00``): what was
  read is not a well-formed number;
* **a different reading**: the same cell read another way (the page's words
  placed by position, see ``two_readings``) gives another number.

Each is an error check naming the page, the cell and both readings: the report
is then ``invalid``, never ``valid`` with a wrong number. Digits are compared
after the project's number normalisation (full-width forms, thousands
separators and spaces inside a number do not count as a difference).
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
    why: str  # overflow · fragment · two_readings


def page_chars(textpage) -> list[Char]:
    """PDFium's characters of a page with their boxes (spaces left out)."""
    out = []
    for i in range(textpage.count_chars()):
        ch = textpage.get_text_range(i, 1)
        if not ch.strip():
            continue
        left, bottom, right, top = textpage.get_charbox(i)
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


def overflow(chars: list[Char], box: tuple[float, float, float, float]) -> str | None:
    """The number printed through the box, when it reaches beyond it on its line.

    Starting from the number glyphs inside ``box``, glyphs of the same line
    that continue the run (no wider gap than ``RUN_GAP`` of the glyph height)
    are added on both sides; the run's text is returned when it holds a digit
    or separator outside the box, else None.
    """
    x1, y1, x2, y2 = box
    inside = [c for c in chars if x1 <= c.cx <= x2 and y1 <= c.cy <= y2]
    found = None
    for line_y in sorted({round(c.cy, 0) for c in inside if c.text in NUMBER_CHARS}):
        line = sorted(
            (c for c in chars if abs(c.cy - line_y) < 0.35 * c.height), key=lambda c: c.left
        )
        run_idx = [k for k, c in enumerate(line) if c in inside and c.text in NUMBER_CHARS]
        if not run_idx:
            continue
        lo, hi = min(run_idx), max(run_idx)
        while lo > 0 and _continues(line[lo - 1], line[lo]):
            lo -= 1
        while hi + 1 < len(line) and _continues(line[hi], line[hi + 1]):
            hi += 1
        run = line[lo : hi + 1]
        if any(c not in inside for c in run):
            found = "".join(c.text for c in run)
    return found


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
            whole = overflow(chars, box)
            if whole is not None and digits(whole) != digits(text):
                issues.append(NumberIssue(page, r, c, text, whole, "overflow"))
    return checked, issues
