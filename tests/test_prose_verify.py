"""Prose numbers verified digit for digit against the text they were read from (issue 12):
every seed's prose numbers pass, and a number the sentence does not print whole fails."""

from __future__ import annotations

from decimal import Decimal

import pytest
from test_prose import facts

from jixiao.extract.prose import ProseFacts, verify_prose_numbers
from jixiao.model import BudgetFact, ScoreFact

SEEDS = ["000", "001", "002", "003", "004"]


@pytest.mark.parametrize("layout", ["published", "rewrapped_30"])
@pytest.mark.parametrize("seed", SEEDS)
def test_every_prose_number_of_the_seeds_is_as_printed(seed, layout):
    f = facts(seed, layout)
    assert [c for c in f.checks if c.check_name == "prose_number_as_printed"] == []


def test_the_seeds_prose_has_numbers_to_compare():
    """Seed 001 is its table alone; the others state scores or amounts in sentences."""
    for seed in ("000", "002", "003", "004"):
        f = facts(seed, "published")
        assert f.scores or f.budgets, seed


def score(value: str, printed: str) -> ScoreFact:
    return ScoreFact("总分", 0, None, Decimal(value), 3, printed, origin="prose")


def test_a_score_the_sentence_prints_with_more_digits_is_an_error():
    (check,) = verify_prose_numbers(ProseFacts(scores=[score("94.5", "自评得分为94.56分")]))
    assert (check.passed, check.severity, check.subject) == (False, "error", "page 3 总分 score")
    assert check.observed == "94.5" and "94.56" in check.detail


def test_a_score_printed_whole_passes():
    assert verify_prose_numbers(ProseFacts(scores=[score("94.56", "自评得分为 94.56 分")])) == []


def budget(wan: str, printed: str) -> BudgetFact:
    return BudgetFact(
        "部门预算", "budget", None, None, printed, "万元", 2, printed_amount=Decimal(wan)
    )


def test_an_amount_is_compared_in_its_printed_unit():
    ok = verify_prose_numbers(ProseFacts(budgets=[budget("11887.73", "年度预算11,887.73万元")]))
    assert ok == []
    (bad,) = verify_prose_numbers(ProseFacts(budgets=[budget("887.73", "年度预算11,887.73万元")]))
    assert not bad.passed and bad.observed == "887.73"


def test_numbers_in_chinese_numerals_are_not_compared():
    assert verify_prose_numbers(ProseFacts(scores=[score("94", "自评得分九十四分")])) == []
