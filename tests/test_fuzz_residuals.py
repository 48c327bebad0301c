"""Rows of tables the fuzzer's seeds 1 and 11 flagged, read right now.

tests/fixtures/fuzz_residuals/ holds documents of ``tools/fuzz.py generate --seed 1``
and ``--seed 11`` (committed: the test needs no LibreOffice) with their truth
(``<id>.json``):

* ``fz0084-calc``, ``fz0100-calc`` (ruled, header repeated on every page): a merged
  二级 cell cut by the page break prints its label at the cell's top, so on the next
  page Calc prints it again, clipped, under the repeated header: the header cells read
  ``二级指标 / 绩效管`` and ``分值 / 15``, named no role, and the page's rows lost their
  二级 column (a blank span, the report invalid);
* ``fz0212-calc`` (no rules): Camelot took 二级指标 and its 分值 for one column; after
  the split the number columns' gutters were no longer kept close to the numbers, and
  a reason starting near the 得分 column (``0.9存在不足``) was read into the score;
* ``fz0304-calc`` (horizontal rules only, portrait, 7.5 pt): of the candidate grids of
  page 1, the one chosen had a column its header does not name, its gutter cut through
  三级指标 and took the 部 of 部门整体… into the 分值 column beside it. (The generator
  prints the grade 优 under a total of 86.8: ``grade_matches_total`` rightly makes that
  report invalid, so only its rows are checked.)
* seed 11's ``fz0022-reportlab`` and ``fz0321-writer`` (no rules): the reason beside the
  得分 column starts left of the boundary the header's gutter gave (``0.6存在不足``,
  ``1.5存在不``); the glyphs prove it is the reason's (a gap wider than a glyph after a
  whole number), so it moves to the next column and the score reads 0.6;
* seed 11's ``fz0016-calc`` (ruled): the header 得分/自评分 wraps and its last line 评分
  prints across the rule into the first row's 得分 cell, which PDFium read as ``10评分``;
  the glyphs cross the rule and end the header's text, so the cell reads 10.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

import fuzzdocs
import pytest

HERE = Path(__file__).parent / "fixtures" / "fuzz_residuals"
DOCS = sorted(p.stem for p in HERE.glob("*.pdf"))
VALID = [
    "fz0016-calc",
    "fz0022-reportlab",
    "fz0084-calc",
    "fz0100-calc",
    "fz0212-calc",
    "fz0321-writer",
]


@cache
def outcome(doc: str):
    return fuzzdocs.scored(HERE, doc)[:3]


def test_the_four_documents_are_here():
    assert DOCS == [
        "fz0016-calc", "fz0022-reportlab", "fz0084-calc", "fz0100-calc", "fz0212-calc",
        "fz0304-calc",
        "fz0321-writer",
    ]  # fmt: skip


@pytest.mark.parametrize("doc", VALID)
def test_every_row_right_and_the_report_valid(doc):
    report, rows, budget = outcome(doc)
    assert rows == ["right"] * len(rows) and len(rows) >= 25
    assert all(b == "right" for b in budget)
    assert [c.detail for c in report.checks if not c.passed and c.severity == "error"] == []
    assert report.status == "valid"


def test_the_spilled_header_still_names_the_level_2_column():
    """Page 2's rows of fz0084 sit under 绩效管理 (15 = 5 + 3 + 7) and 采购管理 (10)."""
    report, _, _ = outcome("fz0084-calc")
    by_code = {f.indicator_code: f for f in report.scores}
    parents = {
        f.printed_name: (by_code[f.parent_code].printed_name, by_code[f.parent_code].weight)
        for f in report.scores
        if f.level == 3
    }
    assert parents["绩效结果应用"] == ("绩效管理", 15)
    assert parents["绩效管理制度执行"] == ("绩效管理", 15)
    assert parents["采购内部控制制度建设"] == ("采购管理", 10)
    assert parents["采购活动合规性"] == ("采购管理", 10)


def test_a_candidate_with_a_column_its_header_does_not_name_loses():
    report, rows, _ = outcome("fz0304-calc")
    assert rows == ["right"] * 25
    names = {f.printed_name for f in report.scores if f.level == 3}
    assert "部门整体绩效目标产出指标完成情况" in names
    failed = {c.check_name for c in report.checks if not c.passed and c.severity == "error"}
    assert failed == {"grade_matches_total"}


def test_a_reason_spilled_into_the_score_column_goes_back_to_its_column():
    """fz0022 page 3 prints 0.6 under 得分 and 存在不足，扣0.4分。 under 扣分原因."""
    report, _, _ = outcome("fz0022-reportlab")
    fact = next(f for f in report.scores if f.printed_name == "合同备案时效性")
    assert (fact.weight, fact.score) == (Decimal("1"), Decimal("0.6"))
    assert fact.deduction_reason == "存在不足，扣0.4分。"
    failed = [c.detail for c in report.checks if not c.passed and c.severity == "error"]
    assert not any("not one number" in d for d in failed)


def test_a_header_line_printed_across_the_rule_is_not_the_score_below():
    """fz0016 page 1: the first row (部门整体绩效目标产出指标完成情况) scores 10 of 10."""
    report, _, _ = outcome("fz0016-calc")
    fact = next(f for f in report.scores if f.printed_name == "部门整体绩效目标产出指标完成情况")
    assert (fact.weight, fact.score) == (Decimal("10"), Decimal("10"))
