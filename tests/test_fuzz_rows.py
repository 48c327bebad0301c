"""Numbers and rows of tables ruled between their rows only (a browser's or Writer's
table: no vertical rules, so lattice finds no grid and the rows are rebuilt from the
page's text lines, ``grid.text_grid``), read right now.

tests/fixtures/fuzz_rows/ holds documents of ``tools/fuzz.py generate --seed 12`` and
``--seed 11`` (committed: the test needs neither Chromium nor LibreOffice) with their
truth (``<id>.json``); each was a whole report flagged:

* ``fz0087-chromium`` (7.5 pt): the 扣分原因 header is centred in a wide column, so the
  gutter between it and 自评分 was drawn far right of the score cell, and the reason
  printed at its cell's left edge, a narrow gap after the score, was read into it
  (``5.25存在不足，``). The rules under the header end at the cells' edges (a browser
  draws each cell's border on its own): the boundary goes there. Its total (98.25, a
  ``98.2`` / ``5`` wrap) was not joined: the 评价等级 legend's text under the table
  counted as a line the score cell holds;
* ``fz0499-chromium``: every header word wrapped (权 / 重, 一级指 / 标, 自 / 评 / 得 / 分);
  Camelot's columns merged each 权重 into its neighbour (``权三级指标重``), the total
  read ``983`` for ``98.`` / ``3``. The header words stacked give the nine columns;
* ``fz0251-chromium``: the header printed alone at the bottom of page 1 (no rows under
  it to find the gutters by); page 2 continues in the page before's columns, where the
  boundary of 二级指标 cut 部 off 部门整体… Page 2's rules end at its cells' edges: the
  continued columns move onto them;
* ``fz0047-chromium`` (no rules): the last row's score ``2`` and the total's ``96.`` /
  ``1`` under it were joined into 296.1; a line is a number's first piece only when
  full (the column prints ``96.`` on one line, so ``2`` had room for more);
* ``fz0181-writer``: a score of 0.75 wrapped ``0.7`` / ``5`` stayed two rows: the
  column's capacity was taken from the total's number joined from two lines (its two
  lines' widths added up), not from a line as printed;
* seed 11's ``fz0175-chromium``: ``0.8`` over ``8`` (0.88) in one ruled 自评分 cell,
  the ``0.8`` a line of its own: a row with a score and nothing else;
* ``fz0417-writer``: the total 98.21 wraps ``98.2`` / ``1`` in its ruled cell; where
  the rows give the ``1`` elsewhere (to the 评价等级 legend under it), the number is
  checked against every number line of its ruled cell and the report is invalid, never
  valid with 98.2;
* seed 1's ``fz0126-reportlab`` (ruled between rows, no rule between two of them in the
  number columns): each of the two rows reads its own number there (25, 3), and neither
  is a stray piece of the other's: the report stays valid;
* seed 11's ``fz0377-writer``: Camelot's columns on the header page held two that
  print nothing from the header down (only a budget figure's wrapped piece above it);
  with them the gutters were not looked for, and the 成 of 完成情况 went into the 权重
  cell (``成10``). Empty columns are joined to their neighbour first;
* seed 11's ``fz0433-writer``: the page number ``—3—`` printed across two columns under
  the last row went into its cells (``采购活动合规性—3``, ``2—``). (The generator prints
  优 under a total of 86.06: ``grade_matches_total`` rightly makes it invalid.)
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import fuzzdocs
import pytest

from jixiao.extract.tables.grid import (
    Line,
    Rule,
    _empty_merged,
    _fitted_to_rule_ends,
    join_stacked_numbers,
    piece_of,
    rule_ends,
)

HERE = Path(__file__).parent / "fixtures" / "fuzz_rows"
VALID = ["fz0047-chromium", "fz0087-chromium", "fz0126-reportlab", "fz0175-chromium",
         "fz0181-writer", "fz0251-chromium", "fz0377-writer", "fz0417-writer",
         "fz0499-chromium"]  # fmt: skip


@cache
def outcome(doc: str):
    return fuzzdocs.scored(HERE, doc)[:3]


def errors(report) -> list[str]:
    return [c.check_name for c in report.checks if not c.passed and c.severity == "error"]


def total(report) -> str | None:
    """The total (总分) as the table prints it."""
    return next((str(f.score) for f in report.scores if f.level == 0 and f.origin == "table"), None)


def test_the_documents_are_here():
    assert sorted(p.stem for p in HERE.glob("*.pdf")) == sorted([*VALID, "fz0433-writer"])


@pytest.mark.parametrize("doc", VALID)
def test_every_row_right_and_the_report_valid(doc):
    report, rows, budget = outcome(doc)
    truth = json.loads((HERE / f"{doc}.json").read_text(encoding="utf-8"))["truth"]
    assert rows == ["right"] * len(truth["rows"])
    assert all(b == "right" for b in budget)
    assert errors(report) == []
    assert report.status == "valid"
    assert total(report) == truth["total"]


def test_a_page_number_across_two_columns_is_no_cells_text():
    report, rows, _budget = outcome("fz0433-writer")
    assert rows == ["right"] * 26
    assert total(report) == "86.06"
    assert errors(report) == ["grade_matches_total"]  # the generator's 优 under 86.06


def test_rule_ends_are_the_cells_edges():
    # a browser's row borders: one segment per cell, on three rows; the table's outer
    # ends are no boundary, nor is an end only one rule has (a short line)
    cells = [(48.8, 93.8), (93.8, 138.8), (138.8, 236.2), (236.2, 254.2), (254.2, 275.2),
             (275.2, 402.8)]  # fmt: skip
    rules = [Rule(y, a, b) for y in (317.1, 302.0, 287.0) for a, b in cells]
    rules.append(Rule(250.0, 300.0, 320.0))
    assert rule_ends(rules) == pytest.approx([93.8, 138.8, 236.2, 254.2, 275.2])


def test_a_number_piece_alone_on_its_line_is_the_rows():
    score_piece = [Line(4, 270.0, 6.0, "0.8", 12.9)]
    row = [Line(2, 260.0, 6.0, "采购政策效能"), Line(3, 260.0, 6.0, "1"),
           Line(4, 260.0, 6.0, "8", 4.9)]  # fmt: skip
    assert piece_of(score_piece, row)
    # a band with a weight of its own is a row (2 over 1 would be 21), as is a number
    # the row's cell does not continue (1.5 over 2.5 is no number)
    assert not piece_of([*score_piece, Line(3, 270.0, 6.0, "2")], row)
    assert not piece_of([Line(4, 270.0, 6.0, "1.5")], [Line(4, 260.0, 6.0, "2.5")])
    # two lines apart: not one cell's wrap
    assert not piece_of([Line(4, 290.0, 6.0, "0.8")], row)


def test_a_wrapped_number_joins_only_from_a_full_line():
    roles = {"name_l3": [0], "weight:name_l3": [1], "score": [2]}
    # the column holds 96. (13.9) on one line: 2 (5.56) had room for the 9 after it
    lines = [Line(0, 100.0, 10.0, "“三公”经费控制情况"), Line(1, 100.0, 10.0, "2", 5.56),
             Line(2, 100.0, 10.0, "2", 5.56), Line(2, 88.0, 10.0, "96.1", 19.46, 13.9)]  # fmt: skip
    assert [ln.text for ln in join_stacked_numbers(lines, roles) if ln.col == 2] == ["2", "96.1"]
    # 0.7 (14.33) is as full as the column gets: 0.7 over 5 is 0.75
    lines = [Line(2, 120.0, 10.0, "2", 5.58), Line(2, 100.0, 10.0, "0.7", 14.33),
             Line(2, 88.0, 10.0, "5", 5.58),
             Line(2, 60.0, 10.0, "99.75", 27.09, 15.27)]  # fmt: skip
    assert [ln.text for ln in join_stacked_numbers(lines, roles) if ln.col == 2] == [
        "2",
        "0.75",
        "99.75",
    ]


def test_a_number_piece_the_rows_put_elsewhere_flags_the_cell(monkeypatch):
    """fz0417-writer read as before ``piece_of`` and before the legend was cut off the
    table's lines (``legend_cut``, which now keeps the ``1`` of 98.21 out of the legend):
    the ``1`` went to the legend's row. The total's ruled cell prints ``98.2`` and ``1``:
    an error, not a valid 98.2."""
    import jixiao.extract.tables.grid as grid

    monkeypatch.setattr(grid, "piece_of", lambda piece, row: False)
    monkeypatch.setattr(grid, "legend_cut", lambda lines: (lines, []))
    report, _rec = fuzzdocs.read(HERE, "fz0417-writer")
    assert report.status == "invalid"
    flagged = [
        f"{c.subject}: {c.detail}" for c in report.checks
        if c.check_name == "table_number_as_printed" and not c.passed
    ]  # fmt: skip
    assert any("read '98.2', the page prints '98.2 1'" in d for d in flagged), flagged


def test_continued_columns_move_onto_the_rule_ends_near_them():
    # fz0251-chromium's page 2: the page before's columns, and the rules' cell edges
    cols = [(0.0, 94.2), (94.2, 152.3), (152.3, 223.1), (223.1, 262.0), (262.0, 299.4),
            (299.4, 841.9)]  # fmt: skip
    ends = [93.8, 138.8, 236.2, 261.8, 294.8]
    bounds = [b for _a, b in _fitted_to_rule_ends(cols, ends)][:-1]
    assert bounds == pytest.approx(ends)
    # an end nearer another boundary than half a column away moves nothing: a Writer
    # table's rules end only where merged label spans do
    cols = [(0.0, 80.0), (80.0, 110.0), (110.0, 137.0), (137.0, 300.0)]
    assert _fitted_to_rule_ends(cols, [136.7]) == [
        (0.0, 80.0), (80.0, 110.0), (110.0, 136.7), (136.7, 300.0)
    ]  # fmt: skip


def test_columns_empty_from_the_header_down_join_a_neighbour():
    cols = [(73.0, 110.0), (110.0, 128.0), (128.0, 147.0), (147.0, 165.0), (165.0, 225.0)]
    head = [Line(0, 500.0, 8.0, "一级指标"), Line(2, 500.0, 8.0, "权重"),
            Line(4, 500.0, 8.0, "二级指标")]  # fmt: skip
    above = [Line(1, 520.0, 8.0, "17"), Line(3, 520.0, 8.0, "71")]  # a budget figure's piece
    body = [Line(0, 480.0, 8.0, "履职效能"), Line(2, 480.0, 8.0, "50")]
    assert _empty_merged(cols, head + above + body, head) == [
        (73.0, 128.0), (128.0, 165.0), (165.0, 225.0)
    ]  # fmt: skip
    both = [Line(0, 500.0, 8.0, "一级指标"), Line(1, 500.0, 8.0, "权重")]
    assert _empty_merged(cols[:2], both, both) == cols[:2]  # none empty: unchanged
