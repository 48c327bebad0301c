"""A table read without its total row: ``total_read`` makes the report invalid.

tests/fixtures/fuzz_total/ holds two documents of ``tools/fuzz.py generate --seed 12``
(an unseen seed, measured after this round's fixes): ``fz0086-reportlab`` (no ruling,
labels at the bottom of their spans, 10 pt, landscape; total 96.2) and
``fz0359-chromium`` (no ruling, narrow number columns; total 97.76, printed
``总分 100 … 97.76`` over a wrapped 评价等 / 级 legend). Every indicator row of both was
read right, but the 总分 row was not, and the prose states no total: before the check,
both loaded as ``valid`` with no total at all (the fuzzer's "silently wrong" total).
Since the 评价等级 legend closes a text grid (``grid.legend_cut``; its row known by its
grade range, ``评价等√级优``), both read their total. ``fz0086-reportlab-cut`` is the
first with the 总分 row's three text objects (``总分``, ``100``, ``96.2``, page 3)
removed (pypdfium2 ``page.remove_obj``, then ``gen_content``): its rows are read, its
total is not printed, and the check still makes it invalid.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import fuzzdocs
import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "fuzz_total"


def _read(doc: str):
    report, rows, _budget, truth = fuzzdocs.scored(FIXTURES, doc)
    return report, rows, truth


@pytest.mark.parametrize(("doc", "total"), [("fz0086-reportlab", "96.2"),
                                           ("fz0359-chromium", "97.76")])  # fmt: skip
def test_the_total_under_the_rows_is_read_above_the_legend(doc, total):
    report, rows, truth = _read(doc)
    assert rows[:26] == ["right"] * 26
    assert [f.score for f in report.scores if f.level == 0] == [Decimal(total)]
    assert Decimal(truth["total"]) == Decimal(total)
    assert [c.detail for c in report.checks if not c.passed and c.severity == "error"] == []
    assert report.status == "valid"


@pytest.mark.parametrize("doc", ["fz0086-reportlab-cut"])
def test_rows_read_without_the_total_make_the_report_invalid(doc):
    report, rows, truth = _read(doc)
    assert rows[:26] == ["right"] * 26  # every indicator row right …
    assert not any(f.level == 0 for f in report.scores)  # … the total not read
    assert Decimal(truth["total"]) > 0
    failed = {c.check_name: c for c in report.checks if not c.passed and c.severity == "error"}
    assert "total_read" in failed
    assert "no total (总分) was read" in failed["total_read"].detail
    assert report.status == "invalid"  # never valid with an unknown total
