"""Budget figures as printed → amounts in yuan, with the unit fixes arithmetic proves.

Extraction records every amount as printed: ``printed_amount`` in
``printed_unit`` (元 · 万元 · 亿元), from a table or a sentence. This module is the
one place that turns them into yuan.

Transformations (``normalize_budgets``):

1. the unit fix, prose only: an amount printed in 元 (``suspect_unit`` of
   ``reference/prose_patterns.yaml``) is read in 万元 (``intended_unit``) when the
   figures printed beside it prove it, i.e. the parts add up to the whole
   (基本支出 + 项目支出 = 部门预算, :func:`jixiao.reference.budget_parts`) or
   actual / budget equals the printed execution rate only with 万元: the fact
   gets ``unit_corrected`` and a ``unit_corrected`` warning states the proof;
   unproved, it stays as printed, with a ``unit_suspect`` warning when other
   prose figures are printed in 万元;
2. the conversion: ``amount_yuan`` = the printed amount in yuan, to the cent.

The proofs run over the figures the prose states (``DocumentFacts.prose_budgets``):
before a table's figure wins over the same prose figure and before a 年初预算
stands in for a 预算数 the prose does not state. Such a stand-in takes its
年初预算's unit.

Both public functions return new facts and never change the ones they are given.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from decimal import Decimal
from functools import cache

from jixiao.model import BudgetFact, CheckResult
from jixiao.reference import budget_parts, measures
from jixiao.reference.numbers import load_patterns, money_units, to_yuan

Key = tuple[str, str]  # (item, measure)
AMOUNT_MEASURES = tuple(code for code, m in measures().items() if m.amount)


def in_yuan(facts: Iterable[BudgetFact], units: dict[Key, str] | None = None) -> list[BudgetFact]:
    """New facts with ``amount_yuan`` set from the printed amount.

    ``units`` gives, by (item, measure), a unit that replaces the printed one (a
    proved unit fix: the fact is marked ``unit_corrected``). A rate, or an amount
    whose number was not read, keeps ``amount_yuan`` None.
    """
    units = units or {}
    out = []
    for f in facts:
        if f.printed_amount is None:
            out.append(replace(f))
            continue
        fixed = units.get((f.item, f.measure))
        out.append(
            replace(
                f,
                amount_yuan=to_yuan(f.printed_amount, fixed or f.printed_unit),
                unit_corrected=fixed is not None,
            )
        )
    return out


def normalize_budgets(
    budgets: Sequence[BudgetFact], prose_budgets: Sequence[BudgetFact] = ()
) -> tuple[list[BudgetFact], list[CheckResult]]:
    """A report's budget figures in yuan, with the prose's proved unit fixes.

    Args:
        budgets: the report's figures (tables' and prose's, one per item × measure).
        prose_budgets: the figures the prose states, the siblings a unit fix is
            proved against (see the module docstring).

    Returns:
        New facts in the order given, and the ``unit_corrected`` / ``unit_suspect``
        warnings.
    """
    fixes, checks = unit_fixes(prose_budgets)
    stated = {(f.item, f.measure) for f in prose_budgets}
    out = []
    for f in budgets:
        key = (f.item, f.measure)
        if key not in stated and f.measure == "budget":
            key = (f.item, "initial_budget")  # a 年初预算 standing in for the 预算数
        fixed = fixes.get(key) if f.origin == "prose" else None
        out += in_yuan([f], {(f.item, f.measure): fixed} if fixed else None)
    return out, checks


def unit_fixes(prose_budgets: Sequence[BudgetFact]) -> tuple[dict[Key, str], list[CheckResult]]:
    """The prose amounts whose printed 元 sibling arithmetic proves to be 万元.

    Returns the unit each fixed (item, measure) is read in, and a warning for every
    amount in 元 that looks like 万元: ``unit_corrected`` with its proof, or
    ``unit_suspect`` (kept as printed) when other figures are printed in 万元.
    A fix counts for the proofs that follow it, in the order the prose states them.
    """
    cfg = load_patterns()["budget"]
    suspect, intended = cfg["suspect_unit"], cfg["intended_unit"]
    units = money_units()
    factor = units[intended] / units[suspect]
    others_in_intended = any(f.printed_unit == intended for f in prose_budgets)
    figures = {(f.item, f.measure): f for f in in_yuan(prose_budgets)}
    fixes: dict[Key, str] = {}
    checks = []
    for (item, measure), fact in list(figures.items()):
        if measure not in AMOUNT_MEASURES or fact.printed_unit != suspect:
            continue
        corrected = fact.amount_yuan * factor  # type: ignore[operator]
        proof = _sum_proof(figures, item, measure, corrected) or _rate_proof(
            figures, item, measure, corrected
        )
        subject = f"{item}/{measure}"
        printed = f"{fact.printed_number}{suspect}"
        if proof:
            fixes[(item, measure)] = intended
            figures[(item, measure)] = in_yuan([fact], {(item, measure): intended})[0]
            checks.append(
                CheckResult("unit_corrected", subject, "warning", False, printed,
                            f"{fact.printed_number}{intended}", f"read as {intended}: {proof}")
            )  # fmt: skip
        elif others_in_intended:
            checks.append(
                CheckResult("unit_suspect", subject, "warning", False, printed,
                            f"{fact.printed_number}{intended}?", f"amount in {suspect} looks "
                            f"like {intended} but siblings do not prove it; kept as printed")
            )  # fmt: skip
    return fixes, checks


def _in_units(amount_yuan: Decimal) -> str:
    """An amount in yuan written in the intended unit: 211808500 → '21,180.85万元'."""
    unit = load_patterns()["budget"]["intended_unit"]
    return f"{amount_yuan / money_units()[unit]:,.2f}{unit}"


@cache
def _whole_of() -> dict[str, str]:
    """Part → the whole it adds up to (``budget_parts``)."""
    return {part: whole for whole, parts in budget_parts().items() for part in parts}


def _sum_proof(figures: dict, item: str, measure: str, corrected: Decimal) -> str | None:
    """'a + b = c' when the parts add up to the whole only with ``corrected``."""
    cfg = load_patterns()["budget"]
    per_unit = money_units()[cfg["intended_unit"]]
    for whole in (_whole_of().get(item), item):
        parts = budget_parts().get(whole or "", [])
        keys = [(whole, measure)] + [(p, measure) for p in parts]
        if not parts or any(k not in figures for k in keys):
            continue
        printed = {k[0]: figures[k].amount_yuan for k in keys}
        fixed = {**printed, item: corrected}
        tol = Decimal(cfg["sum_tolerance_per_child"]) * len(parts) * per_unit
        fixed_gap = abs(sum(fixed[p] for p in parts) - fixed[whole])
        printed_gap = abs(sum(printed[p] for p in parts) - printed[whole])
        if fixed_gap <= tol < printed_gap:
            terms = " + ".join(f"{p} {_in_units(fixed[p])}" for p in parts)
            return f"{terms} = {whole} {_in_units(fixed[whole])} ({measure})"
    return None


def _rate_proof(figures: dict, item: str, measure: str, corrected: Decimal) -> str | None:
    """'actual / budget = rate' when it holds only with ``corrected``."""
    if measure not in ("budget", "actual") or (item, "execution_rate") not in figures:
        return None
    other = "actual" if measure == "budget" else "budget"
    if (item, other) not in figures:
        return None
    rate = figures[(item, "execution_rate")].rate
    tol = Decimal(load_patterns()["budget"]["rate_tolerance_points"]) / 100
    fixed = figures[(item, other)].amount_yuan
    printed = figures[(item, measure)].amount_yuan

    def ratio(x: Decimal) -> Decimal:
        actual, budget = (x, fixed) if measure == "actual" else (fixed, x)
        return actual / budget if budget else Decimal("Infinity")

    if abs(ratio(corrected) - rate) <= tol < abs(ratio(printed) - rate):
        actual, budget = (corrected, fixed) if measure == "actual" else (fixed, corrected)
        return f"{item} actual {_in_units(actual)} / budget {_in_units(budget)} = {rate:.2%}"
    return None
