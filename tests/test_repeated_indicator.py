"""An indicator printed twice in one report: one fact per code, never a load crash.

The reproduction is the scale corpus's s00140-140225-2020 (bench/corpus.py, N=300):
运行成本's merged cell is split by the page break, its second half has no label, the
dictionary names it from its row (“三公”经费控制情况 → 运行成本), and both halves
became facts coded 2.7 — a duplicate key at load (issue 14 saw the same crash).
"""

from decimal import Decimal

from jixiao.model import ScoreFact
from jixiao.normalize.scores import normalize_scores


def row(level, name, weight, score, page, parent=None, span=None) -> ScoreFact:
    return ScoreFact(
        printed_name=name,
        level=level,
        weight=None if weight is None else Decimal(str(weight)),
        score=None if score is None else Decimal(str(score)),
        source_page=page,
        printed_text=f"{name} {weight} {score}",
        parent_printed=parent,
        span_key=span,
    )


def 运行成本_split(
    second_half_score=None, second_half_weight=None, second_label=None, first_score=None
):
    """管理效率 → 运行成本 (4) → its two rows, the page break between them."""
    return [
        row(1, "管理效率", 50, None, 11, span="L1#1"),
        row(2, "运行成本", 4, first_score, 11, parent="L1#1", span="L2#1.6"),
        row(3, "公用经费控制率", 2, 2, 11, parent="L2#1.6"),
        row(2, second_label, second_half_weight, second_half_score, 12, "L1#1", "L2#1.7"),
        row(3, "“三公”经费控制情况", 2, 1.5, 12, parent="L2#1.7"),
    ]


def test_a_span_split_by_a_page_break_is_one_fact():
    facts, checks = normalize_scores(运行成本_split(), [])
    codes = [f.indicator_code for f in facts]
    assert len(codes) == len(set(codes)), codes
    (cost,) = [f for f in facts if f.indicator_code == "2.7"]
    assert (cost.weight, cost.score, cost.source_page) == (Decimal(4), Decimal("3.5"), 11)
    repeated = [c for c in checks if c.check_name == "indicator_repeated"]
    assert [(c.subject, c.severity, c.passed) for c in repeated] == [
        ("管理效率/运行成本", "warning", True)
    ]
    assert not [c for c in checks if c.check_name == "indicator_repeats_agree"]


def test_copies_that_agree_fill_each_other():
    facts, _ = normalize_scores(
        运行成本_split(second_label="运行成本", second_half_weight=4, second_half_score=3.5), []
    )
    (cost,) = [f for f in facts if f.indicator_code == "2.7"]
    assert (cost.weight, cost.score) == (Decimal(4), Decimal("3.5"))


def test_copies_that_disagree_are_an_error_not_two_facts():
    facts, checks = normalize_scores(
        运行成本_split(
            second_label="运行成本", second_half_weight=4, second_half_score=3, first_score=3.5
        ),
        [],
    )
    assert [f.indicator_code for f in facts].count("2.7") == 1
    (bad,) = [c for c in checks if c.check_name == "indicator_repeats_agree"]
    assert (bad.subject, bad.severity, bad.passed) == ("管理效率/运行成本", "error", False)
    assert bad.observed == "score 3 (page 12)"


def test_an_unmapped_row_printed_twice_under_one_parent_is_one_fact():
    facts = [
        row(1, "管理效率", 50, None, 1, span="L1#1"),
        row(2, "运行成本", 4, 4, 1, parent="L1#1", span="L2#1.6"),
        row(3, "办公用房面积控制", 2, 2, 1, parent="L2#1.6"),
        row(3, "办公用房面积控制", 2, 1, 2, parent="L2#1.6"),
    ]
    facts, checks = normalize_scores(facts, [])
    codes = [f.indicator_code for f in facts]
    assert len(codes) == len(set(codes)), codes
    (bad,) = [c for c in checks if c.check_name == "indicator_repeats_agree"]
    assert bad.subject == "管理效率/运行成本/办公用房面积控制"
