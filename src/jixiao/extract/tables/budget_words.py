"""An unruled 年度部门预算 block read from the page's words placed by position.

Camelot's lattice finds a budget block only when it is ruled; an HTML or
word-processor page prints it with no rules (or horizontal ones only) above
the score table. Its labels (总预算, 基本支出, 项目支出: ``budget_labels`` in
``reference/table_headers.yaml``) and figures are then placed by position:

* each number printed below the labels belongs to the label printed lowest
  above it in its column (a nested header prints 部门预算 over 基本支出 /
  项目支出: the leaf label is the one right above the figure);
* a figure wrapped in a narrow column (``560,868,354.`` over ``63``, or cut
  anywhere by a browser's ``word-break``) is the runs of digits stacked one
  line apart under one label, read whole when together they are one
  well-formed number (otherwise kept as read: ``verify`` then flags it);
* the unit is the one printed with 总预算 (``总预算 (万`` / ``元)`` wrapped
  counts); without a printed unit the block is not read (``budget.py``).

The result is a two-row ``Grid`` (labels, figures) whose figure cells carry
the box they were read from, so every figure is checked against the page like
any table number.
"""

from __future__ import annotations

import re

from jixiao.extract.tables.budget import label_key
from jixiao.extract.tables.grid import Grid, glyph_lines, glyph_runs
from jixiao.extract.tables.pages import FORM_WORDS
from jixiao.extract.tables.text import headers
from jixiao.extract.tables.verify import NUMBER_CHARS, RUN_GAP, well_formed
from jixiao.reference import name_key

TOUCH = 0.1  # line heights: a glyph that starts where another ends touches it
UNIT = re.compile(r"[（(](万元|元|亿元)[）)]")
UNIT_PART = re.compile(r"[（(]?(万元|元|亿元|万|亿)?[）)]?")  # 总预算 (万 / 元): not a label


def _runs(line: list[tuple]) -> list[list[tuple]]:
    """A line's glyphs cut into runs (``grid.glyph_runs``) at the gap the glyphs of one
    printed number keep (``verify.RUN_GAP``)."""
    return glyph_runs(line, RUN_GAP)


def _overprinted(runs: list[list[tuple]]) -> list[list[tuple]]:
    """A run where a label's wrapped tail is printed over a figure (a spreadsheet lets the
    tail ``出`` of ``基本支`` / ``出`` spill down onto ``2,880,2``: the line reads
    ``2,8出80,2``) as two runs, the figure's glyphs and the others'. Only glyphs that
    overlap a number glyph by half its width count as printed over it."""
    out = []
    for run in runs:
        number = [g for g in run if g[4] in NUMBER_CHARS]
        other = [g for g in run if g[4] not in NUMBER_CHARS]
        over = any(
            min(o[1], n[1]) - max(o[0], n[0]) > 0.5 * (n[1] - n[0])
            for o in other for n in number if n[4].isdigit()
        )  # fmt: skip
        out += [number, other] if number and other and over else [run]
    return out


def budget_words_grid(textpage, page: int, *, before_table: bool = False) -> Grid | None:
    """The budget block above the score table on this page, from its words; None if the
    page prints no budget label above a score header.

    ``before_table``: the page before the score header's page (the block printed at the
    bottom of one page, the table starting on the next): no header closes the block
    there, its figure lines do (``_figure_lines_end``), and nothing but a page number
    may follow them (a 决算 table in a narrative prints 基本支出 too, rows of them).
    """
    spec = headers()
    labels = {name_key(k) for k in spec["budget_labels"]}
    head_words = [name_key(w)[:2] for role in ("name_l1", "name_l2") for w in spec["roles"][role]]
    lines = glyph_lines(textpage, y="glyph")
    runs = []  # (line index, text, left, right, y, height, glyphs)
    for i, line in enumerate(lines):
        for run in _overprinted(_runs(line)):
            text = "".join(g[4] for g in run)
            runs.append((i, text, run[0][0], run[-1][1], line[0][2], max(g[3] for g in run), run))
    runs = _side_by_side(_separators_placed(runs))
    texts = [r for r in runs if not _is_number(r[1])]
    found = [r for r in _stacked_labels(texts, labels) if label_key(r[1]) in labels]
    if not found:
        return None
    page_text = "".join(r[1] for r in runs)
    if all(w in page_text for w in FORM_WORDS):
        return None  # a MoF form's budget-execution block: read by tables/forms.py
    first = min(r[0] for r in found)
    stop = next(
        (i for i in range(first + 1, len(lines))
         if any(w in name_key("".join(g[4] for g in sorted(lines[i]))) for w in head_words)),
        None,
    )  # fmt: skip
    if stop is None and before_table:
        from jixiao.extract.tables.grid import _furniture  # a page number: 第 3 页, —3—

        stop = _figure_lines_end(lines, first)
        below = ["".join(g[4] for g in sorted(ln)) for ln in lines[stop or len(lines) :]]
        if any(not _furniture(text) for text in below):
            return None  # not the last thing on its page: some other table's labels
    if stop is None:
        return None  # no score table below: not the 自评表's block
    block = [r for r in runs if _block_top(lines, first) <= r[0] < stop]
    numbers = [r for r in block if _is_number(r[1])]
    # a separator left alone (not put back among its digits) is no label: the figure's
    # lines under it are still its label's
    words = _stacked_labels(
        [r for r in block if r not in numbers and not _separators(r[1])], labels
    )
    columns: dict[int, list[tuple]] = {}  # label run index → its number runs
    for num in numbers:
        above = [
            (k, w) for k, w in enumerate(words)
            if (w[4] > num[4] + 0.25 * num[5] or w[0] == num[0])  # or printed over it
            and w[2] < num[3] and num[2] < w[3]
        ]  # fmt: skip
        above = [(k, w) for k, w in above if not UNIT_PART.fullmatch(_squeezed(w[1]))]
        if not above:
            continue
        k, word = min(above, key=lambda kw: kw[1][4])  # the lowest label above the figure
        if label_key(word[1]) in labels:
            columns.setdefault(k, []).append(num)
    if not columns:
        return None
    heads, figures, boxes = [], [], []
    for k, nums in sorted(columns.items(), key=lambda kv: words[kv[0]][2]):
        word = words[k]
        nums.sort(key=lambda r: -r[4])
        stacked = [nums[0]]
        for r in nums[1:]:  # one line apart under one label: one wrapped figure
            if stacked[-1][4] - r[4] <= 2.2 * max(r[5], stacked[-1][5]):
                stacked.append(r)
        joined = "".join(r[1] for r in stacked)
        text = joined if well_formed(joined) else _first_or_pieces(stacked)
        heads.append(_with_unit(words, word))
        figures.append(text)
        left = min(word[2], *(r[2] for r in stacked))
        right = max(word[3], *(r[3] for r in stacked))
        bottom = stacked[-1][4] - 1.5 * stacked[-1][5]  # a wrapped tail left out shows
        head = stacked[0][4] + 1.5 * stacked[0][5]  # and a wrapped head left out
        boxes.append((left, bottom, right, head))
    top = max(words[k][4] for k in columns) + 10
    return Grid(
        page=page,
        rows=[heads, figures],
        top_edges=None,
        flavor="words",
        parsing_report={"accuracy": 0.0, "whitespace": 0.0},
        columns=[(b[0], b[2]) for b in boxes],
        top=top,
        boxes=[[None] * len(boxes), boxes],
    )


def _first_or_pieces(stacked: list[tuple]) -> str:
    """The figure under a label when its stacked lines do not join into one: the first
    line when every other is a number on its own (a row of figures below), else the
    lines as printed, one per line: a wrapped figure whose pieces do not join is no
    figure (``budget.figure_or_none`` reads none and ``verify`` flags the cell), never
    its first line (``3,160`` of 3,160,686,079.80)."""
    if all(well_formed(r[1]) for r in stacked[1:]):
        return stacked[0][1]
    return "\n".join(r[1] for r in stacked)


def _is_number(text: str) -> bool:
    return all(ch in NUMBER_CHARS for ch in text) and any(ch.isdigit() for ch in text)


def _separators(text: str) -> bool:
    """Whether a run is only commas and points (a figure's separator left on its own)."""
    return all(ch in NUMBER_CHARS for ch in text) and not any(ch.isdigit() for ch in text)


def _side_by_side(runs: list[tuple]) -> list[tuple]:
    """Pieces of one printed word that the lines put on two lines (a spreadsheet centres a
    cell's text by its glyphs: ``基`` sits 3 pt higher than ``本支出`` beside it, and
    ``区本`` / ``级`` / ``资`` / ``金`` alternate) as one run: text runs (no figure's
    glyphs) that touch end to start (no wider gap than ``RUN_GAP`` of their height) and
    stand less than half a line apart. The run keeps the lower line's place."""
    texts = sorted((r for r in runs if not _is_number(r[1])), key=lambda r: r[2])
    out = [r for r in runs if _is_number(r[1])]
    chains: list[list[tuple]] = []
    for r in texts:
        chain = next(
            (c for c in chains
             if c[-1][0] != r[0] and abs(c[-1][4] - r[4]) < 0.5 * max(c[-1][5], r[5])
             and -0.1 * r[5] <= r[2] - c[-1][3] <= RUN_GAP * max(c[-1][5], r[5])),
            None,
        )  # fmt: skip
        if chain is None:
            chains.append([r])
        else:
            chain.append(r)
    for chain in chains:
        low = min(chain, key=lambda r: r[4])
        text = "".join(r[1] for r in chain)
        glyphs = [g for r in chain for g in r[6]]
        height = max(r[5] for r in chain)
        out.append((low[0], text, chain[0][2], chain[-1][3], low[4], height, glyphs))
    return sorted(out, key=lambda r: (r[0], r[2]))


def _separators_placed(runs: list[tuple]) -> list[tuple]:
    """A comma or point of a figure that the lines put on the line below its digits (it
    sits low, and a wrapped label's tail set that line's height: ``13849`` over ``,``
    over ``,425.1``) put back between the digits it was printed among (``13,849``): a run
    of separators alone, inside the span of a number run one line above, is that run's.
    Left alone, it reads as a word between the figure's lines and cuts the figure. A
    separator that ends the run's line (``3,160`` over ``,`` where the text prints
    ``3,160,`` / ``686,07`` / ``9.80``) starts where the run's last digit ends."""
    out = list(runs)
    for r in runs:
        if not _separators(r[1]):
            continue
        mid = (r[2] + r[3]) / 2
        hosts = [
            n for n in out
            if _is_number(n[1])
            and (n[2] < mid < n[3] or abs(r[2] - n[3]) <= TOUCH * max(n[5], r[5]))
            and 0 < n[4] - r[4] <= 1.5 * max(n[5], r[5])
        ]  # fmt: skip
        if not hosts:
            continue
        host = min(hosts, key=lambda n: n[4] - r[4])
        glyphs = sorted([*host[6], *r[6]], key=lambda g: g[0])
        text = "".join(g[4] for g in glyphs)
        out[out.index(host)] = (*host[:1], text, *host[2:6], glyphs)
        out.remove(r)
    return out


def _block_top(lines: list[list[tuple]], first: int) -> int:
    """The block's first line: up from the first whole label, the lines that follow each
    other at most 2.5 line heights apart (a label wrapped in a narrow cell, ``总预`` /
    ``算(元`` / ``)`` or ``项目`` / ``支出``, starts above the first label printed whole)."""
    while first > 0:
        gap = lines[first - 1][0][2] - lines[first][0][2]
        if gap > 2.5 * max(lines[first - 1][0][3], lines[first][0][3]):
            break
        first -= 1
    return first


def _figure_lines_end(lines: list[list[tuple]], first: int) -> int | None:
    """Where a block with no score header below it ends: after its figure row, the first
    lines from ``first`` on that print a number, one line apart from each other (a
    figure wrapped in a narrow column prints over several); None when no figure follows.
    A line further down (a footer, prose) is not the block's."""

    def has_number(line: list[tuple]) -> bool:
        return any(g[4].isdigit() for g in line)

    start = next((i for i in range(first + 1, len(lines)) if has_number(lines[i])), None)
    if start is None:
        return None
    end = start + 1
    while end < len(lines) and has_number(lines[end]):
        pitch = lines[end - 1][0][2] - lines[end][0][2]
        if pitch > 2.2 * max(lines[end][0][3], lines[end - 1][0][3]):
            break
        end += 1
    return end


def _stacked_labels(words: list[tuple], labels: set[str]) -> list[tuple]:
    """A label wrapped in a narrow column (``基本`` over ``支出``) as one word, placed at
    its last line."""
    out = list(words)
    for w in sorted(words, key=lambda w: -w[4]):
        if w not in out:
            continue
        below = [
            v for v in out
            if v is not w and 0 < w[4] - v[4] <= 2.2 * max(w[5], v[5])
            and v[2] < w[3] and w[2] < v[3]
        ]  # fmt: skip
        for v in sorted(below, key=lambda v: -v[4])[:1]:
            text = w[1] + v[1]
            if label_key(text) in labels and label_key(w[1]) not in labels:
                merged = (v[0], text, min(w[2], v[2]), max(w[3], v[3]), v[4], max(w[5], v[5]))
                out[out.index(v)] = merged
                out.remove(w)
    return out


def _with_unit(words: list[tuple], label: tuple) -> str:
    """The unit printed with a label, also when it wraps onto the lines below it
    (``总预算 (万`` / ``元)``): the label's own text when it already holds one."""
    if UNIT.search(_squeezed(label[1])):
        return label[1]
    tail = [
        w for w in words
        if (label[4] - 3 * label[5] < w[4] < label[4] and w[2] < label[3] and label[2] < w[3])
        or (w[0] == label[0] and 0 <= w[2] - label[3] < 2 * label[5])  # 总预算 （元）
    ]  # fmt: skip
    tail = [w for w in tail if UNIT_PART.fullmatch(_squeezed(w[1]))]  # not the next label
    text = _squeezed(label[1] + "".join(w[1] for w in sorted(tail, key=lambda w: (-w[4], w[2]))))
    return text if UNIT.search(text) else label[1]


def _squeezed(text: str) -> str:
    return re.sub(r"\s", "", text)
