"""Ruled tables on a scanned page: the grid from its drawn lines, cell text from OCR.

Camelot's lattice skips a page with no text layer, so for scans the same idea
runs here on the straightened page image (``jixiao.extract.ocr``):

1. ink is separated from paper by an adaptive threshold; opening it with long
   thin kernels keeps only horizontal and vertical rules;
2. rules close together in y (or x) are one ruled line; the lines' extents give
   each grid cell's ruled top and left edges, and cells not separated by a rule
   form one merged span;
3. each OCR box goes to the span holding its centre (a box that crosses a rule is
   read again, part by part); a span's text is put in its top-left grid cell,
   as Camelot's lattice does, so ``score_table.parse_score_tables`` reads the
   result like any other table.

Every cell keeps the lowest confidence of its boxes, and OCR noise inside numbers
(O for 0, l for 1, a space or a full-width point inside the number) is undone
from ``reference/ocr.yaml``, each correction recorded.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import cache

import cv2
import numpy as np

from jixiao.extract import ocr
from jixiao.extract.ocr import OcrBox, OcrPage
from jixiao.extract.reading_order import OcrLine, Region, group_lines
from jixiao.extract.score_table import Grid

LINE_TOLERANCE_PX = 5  # rules this close (after straightening) are one line
MIN_TABLE_SHARE = 0.15  # a table spans at least this share of the page width
# Ink this close to the page's edge (share of its width / height) is the paper's edge
# or a copier's shadow (a photocopy's dark margins), never a table's rule.
EDGE_SHARE = 0.02


@dataclass
class OcrGrid(Grid):
    """A ``Grid`` read from a scan: cell confidences, places and OCR corrections."""

    confidence: list[list[float | None]] = field(default_factory=list)
    cell_rects: list[list[tuple[int, int, int, int]]] = field(default_factory=list)
    corrections: list[dict] = field(default_factory=list)
    region: Region | None = None
    # number cells OCR could not read, even enlarged: {"row", "col", "label", "read"}
    unread: list[dict] = field(default_factory=list)


@dataclass
class Rule:
    """One ruled line: its position and the intervals it covers along it."""

    at: float
    spans: list[tuple[float, float]]

    def covers(self, start: float, end: float) -> float:
        """The share of [start, end] this rule covers."""
        if end <= start:
            return 0.0
        covered = sum(max(0.0, min(end, b) - max(start, a)) for a, b in self.spans)
        return covered / (end - start)


# ---------------------------------------------------------------- rules


def rule_masks(image: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical rule pixels of a greyscale page."""
    h, w = image.shape
    ink = cv2.adaptiveThreshold(
        cv2.bitwise_not(image), 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 15, -10
    )
    horizontal = cv2.morphologyEx(
        ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(20, w // 50), 1))
    )
    vertical = cv2.morphologyEx(
        ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(15, h // 60)))
    )
    return horizontal, vertical


def _rules(mask: np.ndarray, axis: int) -> list[Rule]:
    """Rules from a mask: components grouped by position (y for axis 0, x for axis 1)."""
    n, _labels, stats, _centroids = cv2.connectedComponentsWithStats(mask, connectivity=8)
    pieces = []
    for i in range(1, n):
        x, y, w, h, _area = stats[i]
        if axis == 0:
            pieces.append((y + h / 2, float(x), float(x + w)))
        else:
            pieces.append((x + w / 2, float(y), float(y + h)))
    pieces.sort()
    groups: list[list[tuple[float, float, float]]] = []
    for piece in pieces:
        if groups and piece[0] - groups[-1][-1][0] <= LINE_TOLERANCE_PX:
            groups[-1].append(piece)
        else:
            groups.append([piece])
    rules = []
    for group in groups:
        length = sum(b - a for _, a, b in group)
        at = sum(p * (b - a) for p, a, b in group) / length
        spans = sorted((a - 2, b + 2) for _, a, b in group)
        merged: list[tuple[float, float]] = []
        for a, b in spans:
            if merged and a <= merged[-1][1] + LINE_TOLERANCE_PX:
                merged[-1] = (merged[-1][0], max(merged[-1][1], b))
            else:
                merged.append((a, b))
        rules.append(Rule(at, merged))
    return rules


@dataclass
class RuledTable:
    """The rules of one table on a page and the merged spans they make."""

    region: Region
    rows: list[Rule]  # horizontal rules, top to bottom
    cols: list[Rule]  # vertical rules, left to right

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.rows) - 1, len(self.cols) - 1

    def rect(self, r: int, c: int) -> tuple[float, float, float, float]:
        return self.cols[c].at, self.rows[r].at, self.cols[c + 1].at, self.rows[r + 1].at

    def top_edge(self, r: int, c: int) -> bool:
        x0, _, x1, _ = self.rect(r, c)
        return self.rows[r].covers(x0, x1) >= 0.5

    def left_edge(self, r: int, c: int) -> bool:
        _, y0, _, y1 = self.rect(r, c)
        return self.cols[c].covers(y0, y1) >= 0.5

    def span_roots(self) -> list[list[tuple[int, int]]]:
        """For each grid cell, the top-left cell of the merged span it belongs to."""
        n_rows, n_cols = self.shape
        parent = {(r, c): (r, c) for r in range(n_rows) for c in range(n_cols)}

        def find(cell: tuple[int, int]) -> tuple[int, int]:
            while parent[cell] != cell:
                parent[cell] = parent[parent[cell]]
                cell = parent[cell]
            return cell

        def union(a: tuple[int, int], b: tuple[int, int]) -> None:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)

        for r in range(n_rows):
            for c in range(n_cols):
                if c + 1 < n_cols and not self.left_edge(r, c + 1):
                    union((r, c), (r, c + 1))
                if r + 1 < n_rows and not self.top_edge(r + 1, c):
                    union((r, c), (r + 1, c))
        return [[find((r, c)) for c in range(n_cols)] for r in range(n_rows)]


def find_tables(image: np.ndarray) -> list[RuledTable]:
    """The ruled tables on a straightened page, top to bottom."""
    h, w = image.shape
    horizontal, vertical = rule_masks(image)
    edge_x, edge_y = int(EDGE_SHARE * w), int(EDGE_SHARE * h)
    for mask in (horizontal, vertical):
        mask[:, :edge_x] = mask[:, w - edge_x :] = 0
        mask[:edge_y] = mask[h - edge_y :] = 0
    both = cv2.dilate(cv2.bitwise_or(horizontal, vertical), np.ones((5, 5), np.uint8))
    n, _labels, stats, _ = cv2.connectedComponentsWithStats(both, connectivity=8)
    tables = []
    for i in range(1, n):
        x, y, bw, bh, _area = stats[i]
        if bw < MIN_TABLE_SHARE * w or bh < 0.03 * h:
            continue
        sub = (slice(y, y + bh), slice(x, x + bw))
        rows = _rules(_only(horizontal, sub), axis=0)
        rows = [r for r in rows if sum(b - a for a, b in r.spans) >= 0.05 * bw]
        if len(rows) < 2:
            continue
        # Vertical rules only count between the top and bottom rules: strokes of a
        # bold title just above the table are not rules.
        top, bottom = rows[0].at, rows[-1].at
        cols = [
            c
            for c in _rules(_only(vertical, sub), axis=1)
            if c.covers(top, bottom) * (bottom - top) >= 0.03 * bh
        ]
        if len(cols) < 2:
            continue
        region = Region(cols[0].at, top, cols[-1].at, bottom)
        tables.append(RuledTable(region, rows, cols))
    return sorted(tables, key=lambda t: t.region.y0)


def _only(mask: np.ndarray, sub: tuple[slice, slice]) -> np.ndarray:
    out = np.zeros_like(mask)
    out[sub] = mask[sub]
    return out


# ---------------------------------------------------------------- OCR noise in numbers


@cache
def _noise() -> tuple[dict[str, str], re.Pattern[str]]:
    cfg = ocr.settings()
    table = {**cfg["digit_confusions"], **cfg["number_punctuation"]}
    chars = "".join(re.escape(k) for k in table)
    return table, re.compile(rf"[-+]?[\d{chars}\s.,%]*\d[\d{chars}\s.,%]*")


NUMBER = re.compile(r"[-+]?\d+(?:,\d{3})*(?:\.\d+)?%?")
# Groups of three digits between points, a last group after: thousands separators read
# as points by OCR (a comma's tail lost), never two decimal points of one number.
THOUSANDS_AS_POINTS = re.compile(r"\d{1,3}(?:\.\d{3})+\.\d+")


def clean_number(text: str, expect_number: bool = False) -> str | None:
    """The number an OCR'd cell means, when it is one with OCR noise; else None.

    "O.5" → "0.5", "1 .5" → "1.5", "9．88" → "9.88", "l0" → "10", ".17.5" → "17.5"
    (a speck read as a point), "11.887.73" → "11,887.73" (separators read as
    points). A cell that holds words, or a plain number already, gives None. With
    ``expect_number`` (a weight or score cell) a cell of confusable characters only
    ("I", "l") is read as digits too.
    """
    table, shape = _noise()
    raw = text.strip()
    if not raw or not shape.fullmatch(raw + ("" if not expect_number else "0")):
        return None
    fixed = "".join(table.get(ch, ch) for ch in raw if not ch.isspace())
    if THOUSANDS_AS_POINTS.fullmatch(fixed):  # "11.887.73": the separators read as points
        head, _, tail = fixed.rpartition(".")
        fixed = head.replace(".", ",") + "." + tail
    if not NUMBER.fullmatch(fixed):
        stripped = fixed.rstrip(".,")
        if stripped.startswith(".") and "." in stripped[1:]:
            stripped = stripped[1:]
        fixed = stripped  # a leading separator (",887.73") is a number cut in two: kept
    if fixed == raw or not NUMBER.fullmatch(fixed):
        return None
    return fixed


# ---------------------------------------------------------------- cells


def split_at_rules(box: OcrBox, table: RuledTable) -> list[tuple[float, float]]:
    """The x-intervals of ``box`` between vertical rules it crosses (one when it crosses none)."""
    margin = max(4.0, 0.4 * box.height)
    cuts = [
        c.at
        for c in table.cols
        if box.x0 + margin < c.at < box.x1 - margin and c.covers(box.y0, box.y1) >= 0.8
    ]
    edges = [box.x0, *cuts, box.x1]
    return list(itertools.pairwise(edges))


def read_grid(page: OcrPage, table: RuledTable, image: np.ndarray) -> tuple[OcrGrid, list[OcrLine]]:
    """Fill a ruled table from the page's OCR boxes.

    Returns:
        The table as an ``OcrGrid`` (text in each span's top-left cell) and one
        line per grid row (cells joined by tabs) for the document's text.
    """
    n_rows, n_cols = table.shape
    roots = table.span_roots()
    cell_boxes: dict[tuple[int, int], list[OcrBox]] = {}
    for box in page.boxes:
        if not box.text.strip() or not table.region.holds(box):
            continue
        parts = split_at_rules(box, table)
        if len(parts) > 1:  # one box over two cells: read each part on its own
            pieces = [
                ocr.read_cell(image, (int(a), int(box.y0), int(b), int(box.y1))) for a, b in parts
            ]
            pieces = [p for p in pieces if p is not None]
        else:
            pieces = [box]
        for piece in pieces:
            cell = _cell_at(table, piece.cx, piece.cy)
            if cell is not None:
                cell_boxes.setdefault(roots[cell[0]][cell[1]], []).append(piece)
    grid = OcrGrid(
        page=page.page,
        rows=[[""] * n_cols for _ in range(n_rows)],
        top_edges=[[table.top_edge(r, c) for c in range(n_cols)] for r in range(n_rows)],
        flavor="ocr_lattice",
        parsing_report={},
        confidence=[[None] * n_cols for _ in range(n_rows)],
        cell_rects=[[_span_rect(table, roots, r, c) for c in range(n_cols)] for r in range(n_rows)],
        region=table.region,
    )
    for (r, c), boxes in cell_boxes.items():
        lines = group_lines(boxes, page)
        text = "\n".join(line.text for line in lines)
        fixed = clean_number(text)
        if fixed is not None:
            grid.corrections.append({"row": r, "col": c, "printed": text, "read_as": fixed})
            text = fixed
        grid.rows[r][c] = text
        grid.confidence[r][c] = min(b.confidence for b in boxes)
    filled = [x for row in grid.confidence for x in row if x is not None]
    grid.parsing_report = {
        "page": page.page,
        "accuracy": round(100 * sum(filled) / len(filled), 2) if filled else 0.0,
        "whitespace": round(100 * (1 - len(filled) / max(1, n_rows * n_cols)), 2),
        "order": 1,
        "ocr_skew_deg": page.skew_deg,
        "ocr_rotation_deg": page.rotation_deg,
    }
    grid.location = page.turned  # table_lineage.source_location: how the page was turned
    return grid, row_lines(page, grid, table)


def _cell_at(table: RuledTable, x: float, y: float) -> tuple[int, int] | None:
    rows = [r.at for r in table.rows]
    cols = [c.at for c in table.cols]
    r = next((i for i in range(len(rows) - 1) if rows[i] <= y < rows[i + 1]), None)
    c = next((i for i in range(len(cols) - 1) if cols[i] <= x < cols[i + 1]), None)
    return None if r is None or c is None else (r, c)


def _span_rect(
    table: RuledTable, roots: list[list[tuple[int, int]]], r: int, c: int
) -> tuple[int, int, int, int]:
    """Pixel rectangle of the span whose top-left cell is (r, c) (the cell's own otherwise)."""
    cells = [
        (i, j) for i, row in enumerate(roots) for j, root in enumerate(row) if root == roots[r][c]
    ]
    x0 = min(table.cols[j].at for _, j in cells)
    x1 = max(table.cols[j + 1].at for _, j in cells)
    y0 = min(table.rows[i].at for i, _ in cells)
    y1 = max(table.rows[i + 1].at for i, _ in cells)
    return int(x0) + 2, int(y0) + 2, int(x1) - 2, int(y1) - 2


def row_lines(page: OcrPage, grid: OcrGrid, table: RuledTable) -> list[OcrLine]:
    """One text line per grid row: its non-empty cells, tab-separated, as pseudo-boxes."""
    lines = []
    for r, row in enumerate(grid.rows):
        boxes = []
        for c, text in enumerate(row):
            if not text:
                continue
            x0, y0, x1, y1 = table.rect(r, c)
            conf = grid.confidence[r][c]
            boxes.append(
                OcrBox(text.replace("\n", ""), 1.0 if conf is None else conf, x0, y0, x1, y1)
            )
        if boxes:
            lines.append(OcrLine(page.page, boxes, page.to_points(table.rows[r].at), "\t"))
    return lines
