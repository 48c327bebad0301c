"""A row whose 分值 was read into the row above: never a `valid` report.

tests/fixtures/fuzz_weight/ holds ``fz0421-writer`` of ``tools/fuzz.py generate --seed
13`` (committed: the test needs no LibreOffice) with its truth: LibreOffice Writer, rules
between rows only, 7.5 pt, portrait, narrow number columns. Its 分值 cells of
部门整体绩效目标效益指标完成情况 (20) and 部门预算资金支出率 (10) were read as one cell
printing ``20`` over ``10``: the first row loaded a weight of 2010, the second none, and
the report loaded `valid` (the span's weight sum skips a row without a weight, and 2010
is digit for digit on the page). Two level-3 rows silently wrong on an unseen seed.

Now a row with a score and no weight, in a table that prints its rows' weights, is a
``table_number_unreadable`` error naming the row (shown on the rows as they were read
then). The reader now also reads the two cells apart (a number's lines joined only
when the upper one fills its column as printed, and the legend cut before): all 25
rows right.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import fuzzdocs

from jixiao.extract.tables.facts import unreadable_numbers
from jixiao.extract.tables.rows import Cell, Row

HERE = Path(__file__).parent / "fixtures" / "fuzz_weight"


def test_the_two_weights_are_read_apart_and_every_row_right():
    report, rows, _budget, _truth = fuzzdocs.scored(HERE, "fz0421-writer")
    assert rows == ["right"] * 25
    weights = {f.printed_name: f.weight for f in report.scores if f.level == 3}
    assert weights["部门整体绩效目标效益指标完成情况"] == Decimal(20)
    assert weights["部门预算资金支出率"] == Decimal(10)
    assert report.status == "valid"


def _row(weight: str, score: str) -> Row:
    return Row(page=2, index=2, names={"name_l3": Cell("部门预算资金支出率")},
               weights={"name_l3": weight}, score=score, extra={}, raw=[])  # fmt: skip


def test_a_score_without_a_weight_is_an_error_only_where_the_table_prints_weights():
    (check,) = unreadable_numbers(_row("", "10"), "name_l3", None, Decimal(10), True)
    assert (check.check_name, check.subject, check.severity) == (
        "table_number_unreadable", "page 2 row 3 weight", "error",
    )  # fmt: skip
    assert "a score of 10 but no weight was read" in check.detail
    # a table without a 分值 column (a list of scores) has nothing to miss
    assert unreadable_numbers(_row("", "10"), "name_l3", None, Decimal(10), False) == []
    assert unreadable_numbers(_row("10", "10"), "name_l3", Decimal(10), Decimal(10), True) == []
