"""Score tables whose 一级/二级 labels the fuzzer's seeds 11 and 12 left unplaced, read
right now.

tests/fixtures/fuzz_hierarchy/ holds documents of ``tools/fuzz.py generate --seed 12``
(and two of ``--seed 11``; committed: the test needs neither LibreOffice nor Chromium)
with their truth (``<id>.json``). Each but the last was ``invalid`` with
``table_hierarchy_unresolved``: no evidence placed the rows under their labels, because
the reading put the labels on the wrong rows.

* ``fz0018-reportlab`` (no rules, labels at the bottom of their spans): a label sits
  beside its span's last printed line (the third line of a wrapped 评分标准), nearer the
  next row's first line than its own row's: it went to the next row, so every label lay
  outside the rows its weight covers, and two bottom labels (绩效管理 15 over 采购管理 10)
  were read as one (``绩效管理采购管理`` / ``1510``). Now a label goes to the row whose
  printed lines reach across it, and a lone ``。`` line (its glyph box sits low, more than
  a line pitch under the text it ends) stays with that text, so the row's lines do reach;
* ``fz0154-reportlab`` (ruled between rows, labels at the bottom): the same, inside a
  ruled label cell that holds several rows (the cell says which rows, not which one);
* ``fz0442-reportlab`` (ruled between rows): the rules under a label cell's span were
  drawn with float32 bounds 2.0000153 pt high, just over the 2 pt a rule may be, so the
  rows of two spans read as one ruled row; its rows were right but the report invalid;
* ``fz0205-writer`` (no rules, header repeated on every page): on a page that continues
  the table, the candidate grid read in the page before's columns beat the one that
  finds the repeated header, so the header's words became a row's text (``一级指标`` /
  ``分值`` as a label and its weight, ``三级指标`` joined to the last row of the page
  before). The candidate that finds the header the page prints now wins;
* seed 11's ``fz0178-reportlab`` (三线表, labels at the bottom): as ``fz0018``;
* seed 11's ``fz0164-calc`` (no rules, labels at the bottom): the last span's label
  (运行成本 4) sits under its last row's lines, 0.1 pt nearer the 总分 row's line than
  that row's: it went to the total row, and the total row does not keep it. A label
  printed above the 总分 row's lines is the last span's (the total prints its own, 总分);
* seed 11's ``fz0237-writer`` (no rules, labels at the bottom; right before): Writer
  centres a cell's text, so the 指标解释 lines run from cell to cell one line pitch apart
  and a block of them can hold two rows' text; a row stretched by its neighbour's line
  must not take the neighbour's label (资产管理 stays on 固定资产利用率, its last row).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import fuzzdocs
import pytest

HERE = Path(__file__).parent / "fixtures" / "fuzz_hierarchy"
DOCS = [
    "fz0018-reportlab",
    "fz0154-reportlab",
    "fz0164-calc",
    "fz0178-reportlab",
    "fz0205-writer",
    "fz0237-writer",
    "fz0442-reportlab",
]


@cache
def outcome(doc: str):
    report, rows, _budget, truth = fuzzdocs.scored(HERE, doc)
    return report, rows, truth


def test_the_documents_are_here():
    assert sorted(p.stem for p in HERE.glob("*.pdf")) == DOCS


@pytest.mark.parametrize("doc", DOCS)
def test_every_row_right_and_the_report_valid(doc):
    report, rows, truth = outcome(doc)
    assert len(rows) == len(truth["rows"]) >= 25
    assert rows == ["right"] * len(rows)
    assert [c.detail for c in report.checks if not c.passed and c.severity == "error"] == []
    assert report.status == "valid"


@pytest.mark.parametrize("doc", ["fz0018-reportlab", "fz0154-reportlab", "fz0237-writer"])
def test_each_label_heads_the_rows_its_weight_covers(doc):
    """The level-2 facts carry the printed labels and weights of the truth, in order, and
    the rows under each add up to its weight (what the weights evidence proved)."""
    report, _rows, truth = outcome(doc)
    level2 = [s for s in report.scores if s.level == 2]
    printed = []
    for row in truth["rows"]:
        if not printed or printed[-1] != (row["l2"], row["w2"]):
            printed.append((row["l2"], row["w2"]))
    assert [(s.printed_name, str(s.weight)) for s in level2] == printed
    for span in level2:
        children = [s for s in report.scores if s.level == 3 and s.parent_printed == span.span_key]
        assert sum(s.weight for s in children) == span.weight
