"""Reading order from OCR boxes: boxes → lines → columns → paragraphs.

RapidOCR returns boxes roughly top to bottom but interleaves neighbours, and
knows nothing of columns or tables. On a straightened page (see
``jixiao.extract.ocr``):

1. page furniture (page numbers in the top or bottom margin) is dropped;
2. boxes inside a ruled table are left to the table reader (``ruled_grid``),
   which gives one line per table row, cells separated by tabs;
3. a two-column page is found by its gutter, a vertical strip that only a few
   boxes (titles spanning both columns) cross; each band between spanning boxes
   is read left column first, then right;
4. boxes sharing most of their height form a line, read left to right;
5. a line opens a paragraph when it is indented, follows a wide gap, or the
   line before it stopped short of the column's right edge.

Every line keeps its boxes, so a figure found in the text can be traced back
to the boxes (and confidences) it was read from.
"""

from __future__ import annotations

import itertools
import re
import statistics
from dataclasses import dataclass, field
from functools import cache

from jixiao.extract.ocr import OcrBox, OcrPage, settings
from jixiao.model import TextLine


@dataclass
class OcrLine:
    """One line of OCR text in reading order, with the boxes it was joined from."""

    page: int
    boxes: list[OcrBox]
    y_pt: float  # top of the line, PDF points from the page top
    separator: str = " "  # between boxes: " " for text, "\t" for table cells
    paragraph: int = 0  # index of the paragraph on its page (0-based)
    in_table: bool = False

    @property
    def text(self) -> str:
        return self.separator.join(b.text for b in self.boxes)

    @property
    def confidence(self) -> float | None:
        return min((b.confidence for b in self.boxes), default=None)

    def box_at(self, offset: int) -> OcrBox | None:
        """The box that printed character ``offset`` of ``text`` (None on a separator)."""
        pos = 0
        for box in self.boxes:
            if pos <= offset < pos + len(box.text):
                return box
            pos += len(box.text) + len(self.separator)
        return None

    def to_text_line(self) -> TextLine:
        return TextLine(self.page, self.text, round(self.y_pt, 1), self.confidence)


@dataclass
class Region:
    """A rectangle on the straightened page image (pixels)."""

    x0: float
    y0: float
    x1: float
    y1: float

    def holds(self, box: OcrBox) -> bool:
        return self.x0 <= box.cx <= self.x1 and self.y0 <= box.cy <= self.y1


@dataclass
class PageText:
    """A page's lines in reading order (table rows included where they stand)."""

    page: int
    lines: list[OcrLine] = field(default_factory=list)
    columns: int = 1


@cache
def _furniture() -> list[re.Pattern[str]]:
    return [re.compile(p) for p in settings()["furniture"]]


def is_furniture(box: OcrBox, page: OcrPage) -> bool:
    """A page number or similar in the top or bottom margin."""
    margin = settings()["margin"] * page.height
    in_margin = box.cy < margin or box.cy > page.height - margin
    return in_margin and any(p.search(box.text) for p in _furniture())


def group_lines(boxes: list[OcrBox], page: OcrPage, separator: str = " ") -> list[OcrLine]:
    """Boxes that share most of their height, as lines read left to right, top to bottom."""
    lines: list[list[OcrBox]] = []
    for box in sorted(boxes, key=lambda b: (b.cy, b.x0)):
        for line in reversed(lines[-3:]):  # a line is only ever near the last few
            top = min(b.y0 for b in line)
            bottom = max(b.y1 for b in line)
            overlap = min(bottom, box.y1) - max(top, box.y0)
            if overlap > 0.5 * min(box.height, bottom - top):
                line.append(box)
                break
        else:
            lines.append([box])
    out = []
    for line in lines:
        ordered = sorted(line, key=lambda b: b.x0)
        out.append(OcrLine(page.page, ordered, page.to_points(min(b.y0 for b in line)), separator))
    out.sort(key=lambda line: line.y_pt)
    return out


def find_gutter(boxes: list[OcrBox], width: float) -> float | None:
    """The x of a two-column page's gutter, or None for a single column.

    The gutter is the x in the middle of the text block crossed by the fewest
    boxes; it counts when at most a tenth of the boxes cross it (spanning
    titles) and each side holds at least a quarter of the others.
    """
    if len(boxes) < 8:
        return None
    left = min(b.x0 for b in boxes)
    right = max(b.x1 for b in boxes)
    lo, hi = int(left + 0.3 * (right - left)), int(left + 0.7 * (right - left))
    if hi <= lo:
        return None
    crossing = [0] * (hi - lo)
    for b in boxes:
        for x in range(max(lo, int(b.x0)), min(hi, int(b.x1) + 1)):
            crossing[x - lo] += 1
    fewest = min(crossing)
    runs = [i for i, n in enumerate(crossing) if n == fewest]
    x = lo + runs[len(runs) // 2]
    if fewest > 0.1 * len(boxes):
        return None
    on_left = sum(b.x1 < x for b in boxes)
    on_right = sum(b.x0 > x for b in boxes)
    others = on_left + on_right
    if min(on_left, on_right) < 0.25 * others:
        return None
    return float(x)


def mark_paragraphs(lines: list[OcrLine], first: int = 0) -> int:
    """Number the paragraphs of one column's lines (in reading order) from ``first``.

    Returns:
        The next unused paragraph number.
    """
    if not lines:
        return first
    heights = [b.height for line in lines for b in line.boxes]
    char = statistics.median(heights) if heights else 10.0
    left = min(line.boxes[0].x0 for line in lines)
    right = max(line.boxes[-1].x1 for line in lines)
    tops = [min(b.y0 for b in line.boxes) for line in lines]
    pitches = [b - a for a, b in itertools.pairwise(tops) if b > a]
    pitch = statistics.median(pitches) if pitches else 2 * char
    paragraph = first
    lines[0].paragraph = paragraph
    for prev, line, top, prev_top in zip(lines, lines[1:], tops[1:], tops, strict=False):
        indented = line.boxes[0].x0 - left > 1.2 * char
        gap = top - prev_top > 1.6 * pitch
        short = right - prev.boxes[-1].x1 > 3 * char
        if indented or gap or short:
            paragraph += 1
        line.paragraph = paragraph
    return paragraph + 1


def read_page(page: OcrPage, tables: list[tuple[Region, list[OcrLine]]] | None = None) -> PageText:
    """One OCR'd page in reading order.

    Args:
        page: the page's OCR boxes.
        tables: ruled tables found on the page: each region and its row lines
            (from ``ruled_grid``); boxes inside a region are read from there.
    """
    tables = tables or []
    boxes = [b for b in page.boxes if b.text.strip() and not is_furniture(b, page)]
    free = [b for b in boxes if not any(region.holds(b) for region, _ in tables)]
    gutter = find_gutter(free, page.width)
    blocks: list[tuple[float, list[OcrLine]]] = []  # (top, lines) in reading order
    number = 0
    if gutter is None:
        lines = group_lines(free, page)
        number = mark_paragraphs(lines, number)
        blocks += [(line.y_pt, [line]) for line in lines]
    else:
        spanners = sorted((b for b in free if b.x0 < gutter < b.x1), key=lambda b: b.cy)
        edges = [-1.0] + [b.cy for b in spanners] + [float(page.height) + 1]
        for top, bottom in itertools.pairwise(edges):
            band = [b for b in free if top < b.cy <= bottom and not (b.x0 < gutter < b.x1)]
            band_lines = []
            for side in (
                [b for b in band if b.cx < gutter],
                [b for b in band if b.cx >= gutter],
            ):
                side_lines = group_lines(side, page)
                number = mark_paragraphs(side_lines, number)
                band_lines += side_lines
            if band_lines:
                blocks.append((band_lines[0].y_pt, band_lines))
        for b in spanners:
            spanner = group_lines([b], page)
            number = mark_paragraphs(spanner, number)
            blocks.append((page.to_points(b.y0), spanner))
    for region, row_lines in tables:
        for line in row_lines:
            line.in_table = True
            line.paragraph = number  # each table row stands alone
            number += 1
        blocks.append((page.to_points(region.y0), row_lines))
    blocks.sort(key=lambda block: block[0])
    ordered = [line for _, lines in blocks for line in lines]
    renumber: dict[int, int] = {}
    for line in ordered:  # paragraph numbers in reading order: 0, 1, 2, …
        line.paragraph = renumber.setdefault(line.paragraph, len(renumber))
    return PageText(page.page, ordered, 1 if gutter is None else 2)


def paragraphs(pages: list[PageText]) -> list[str]:
    """The document's paragraphs as text; one broken over a page break is joined.

    A page's first paragraph continues the previous page's last one when its
    first line is not indented (the "增光添 / 彩" case of a scan).
    """
    out: list[str] = []
    for page in pages:
        current = None
        for i, line in enumerate(page.lines):
            if line.in_table:
                out.append(line.text)
                current = None
                continue
            if current == line.paragraph or (i == 0 and out and _continues(page)):
                out[-1] += line.text
            else:
                out.append(line.text)
            current = line.paragraph
    return out


def _continues(page: PageText) -> bool:
    """Whether the page's first line continues a paragraph (it is not indented)."""
    body = [line for line in page.lines if not line.in_table]
    if len(body) < 2 or body[0] is not page.lines[0]:
        return False
    left = min(line.boxes[0].x0 for line in body)
    char = statistics.median(b.height for line in body for b in line.boxes)
    return body[0].boxes[0].x0 - left <= 1.2 * char
