"""Budget amounts to yuan and the proved 元 → 万元 fix (jixiao.normalize.budgets), on
inline records: extraction keeps amounts as printed, normalization converts them and
returns new facts, never changing the ones it is given."""

from __future__ import annotations

import copy
from decimal import Decimal

from jixiao.model import BudgetFact
from jixiao.normalize.budgets import in_yuan, normalize_budgets, unit_fixes


def amount(item: str, measure: str, number: str, unit: str, origin: str = "prose") -> BudgetFact:
    value = Decimal(number.replace(",", ""))
    return BudgetFact(item, measure, None, None, f"{item} {number}{unit}", unit, 1,
                      origin=origin, printed_amount=value, printed_number=number)  # fmt: skip


def rate(item: str, percent: str) -> BudgetFact:
    return BudgetFact(item, "execution_rate", None, Decimal(percent) / 100, f"{percent}%", "%", 1,
                      printed_number=percent)  # fmt: skip


def test_amounts_in_every_unit_become_yuan_and_the_input_is_left_as_printed():
    given = [
        amount("部门预算", "budget", "11,887.73", "万元", "table"),
        amount("基本支出", "actual", "1,180.855", "元"),
        amount("三公经费", "budget", "1.5", "亿元"),
        rate("部门预算", "98.82"),
    ]
    before = copy.deepcopy(given)
    got = in_yuan(given)
    assert [f.amount_yuan for f in got] == [
        Decimal("118877300.00"),
        Decimal("1180.86"),  # to the cent
        Decimal("150000000.00"),
        None,
    ]
    assert got[3].rate == Decimal("0.9882")
    assert given == before  # new facts; the printed ones unchanged
    assert not any(f.unit_corrected for f in got)


def test_parts_that_add_up_only_in_wan_prove_the_fix():
    """番禺区 2023 (seed 004): 基本支出 printed 1,180.85元 beside 20,585.55万元 and
    21,766.40万元; only 1,180.85万元 makes 基本支出 + 项目支出 = 部门预算."""
    stated = [
        amount("部门预算", "budget", "21766.40", "万元"),
        amount("基本支出", "budget", "1,180.85", "元"),
        amount("项目支出", "budget", "20,585.55", "万元"),
    ]
    fixes, checks = unit_fixes(stated)
    assert fixes == {("基本支出", "budget"): "万元"}
    (check,) = checks
    assert (check.check_name, check.subject, check.severity, check.passed) == (
        "unit_corrected",
        "基本支出/budget",
        "warning",
        False,
    )
    assert (check.observed, check.expected) == ("1,180.85元", "1,180.85万元")
    assert check.detail == (
        "read as 万元: 基本支出 1,180.85万元 + 项目支出 20,585.55万元 = "
        "部门预算 21,766.40万元 (budget)"
    )
    facts, _ = normalize_budgets(stated, stated)
    basic = facts[1]
    assert (basic.amount_yuan, basic.printed_unit, basic.unit_corrected) == (
        Decimal("11808500.00"),
        "元",  # the unit stays as printed; the flag says it was replaced
        True,
    )
    assert stated[1].amount_yuan is None and not stated[1].unit_corrected


def test_the_printed_rate_proves_the_fix():
    stated = [
        amount("项目支出", "budget", "20,585.55", "万元"),
        amount("项目支出", "actual", "17,865.48", "元"),
        rate("项目支出", "86.79"),
    ]
    fixes, (check,) = unit_fixes(stated)
    assert fixes == {("项目支出", "actual"): "万元"}
    assert check.detail == (
        "read as 万元: 项目支出 actual 17,865.48万元 / budget 20,585.55万元 = 86.79%"
    )


def test_without_proof_the_amount_stays_as_printed_and_is_suspect():
    stated = [
        amount("部门预算", "budget", "21766.40", "万元"),
        amount("基本支出", "budget", "1,180.85", "元"),
    ]
    facts, (check,) = normalize_budgets(stated, stated)
    assert check.check_name == "unit_suspect" and check.expected == "1,180.85万元?"
    assert (facts[1].amount_yuan, facts[1].unit_corrected) == (Decimal("1180.85"), False)
    # nothing printed in 万元 beside it: no reason to suspect a 元 amount
    alone = [amount("基本支出", "budget", "1,180.85", "元")]
    assert normalize_budgets(alone, alone)[1] == []


def test_a_fix_reaches_the_initial_budget_standing_in_but_never_a_table_figure():
    """The prose's 年初预算 stands in for the 预算数 it does not state (extract.prose):
    a fix proved for the 年初预算 holds for its stand-in; a table's figure under the
    same key as a fixed prose figure is the table's, as printed."""
    stated = [
        amount("部门预算", "initial_budget", "21766.40", "万元"),
        amount("基本支出", "initial_budget", "1,180.85", "元"),
        amount("项目支出", "initial_budget", "20,585.55", "万元"),
    ]
    stand_in = BudgetFact(**{**stated[1].__dict__, "measure": "budget"})
    table = amount("基本支出", "initial_budget", "1,180.85", "元", origin="table")
    facts, checks = normalize_budgets([table, stand_in], stated)
    assert [c.subject for c in checks] == ["基本支出/initial_budget"]
    assert (facts[0].amount_yuan, facts[0].unit_corrected) == (Decimal("1180.85"), False)
    assert (facts[1].amount_yuan, facts[1].unit_corrected) == (Decimal("11808500.00"), True)


def test_the_parts_rule_is_stated_once():
    """部门预算 = 基本支出 + 项目支出 is reference data (``budget_parts``, the items' parent in
    prose_patterns.yaml): the unit proofs and the budget block's sum read it, and the
    fact_budget suite's budget_parts_sum must say the same (this test fails on drift)."""
    import json

    from jixiao import paths
    from jixiao.reference import budget_parts

    assert budget_parts()["部门预算"] == ["基本支出", "项目支出"]
    suite = json.loads((paths.EXPECTATIONS / "fact_budget.json").read_text(encoding="utf-8"))
    (kw,) = [
        e["kwargs"] for e in suite["expectations"]
        if e["meta"]["check_name"] == "budget_parts_sum"
    ]  # fmt: skip
    assert kw["operands"] == budget_parts()[kw["target"]]
