"""The 年度部门预算 block of a 自评表 → ``BudgetFact`` records (for ``fact_budget``)."""

from __future__ import annotations

import re

from jixiao.extract.tables.grid import Grid
from jixiao.extract.tables.headers import header_roles
from jixiao.extract.tables.text import clean, headers, number_or_none
from jixiao.model import BudgetFact
from jixiao.normalize.numbers import to_yuan
from jixiao.reference import name_key


def parse_budget_block(tables: list[Grid]) -> list[BudgetFact]:
    """Budget figures from a table block (总预算 / 基本支出 / 项目支出 labels).

    Each label's amount is the first number below it in the same column; the
    unit is the one printed in the block (e.g. "总预算 (万元)"). Without a
    printed unit nothing is read: an amount without its unit is a guess.
    """
    spec = headers()
    labels = {name_key(k): v for k, v in spec["budget_labels"].items()}
    facts: list[BudgetFact] = []
    for table in tables:
        grid = [[clean(c) for c in row] for row in table.rows]
        unit = _block_unit(grid)
        if unit is None:
            continue
        for r, row in enumerate(grid):
            if header_roles(row):
                break  # the score table starts: the budget block is above it
            for c, text in enumerate(row):
                key = name_key(re.sub(r"[（(][^）)]*[）)]", "", text))
                if key not in labels:
                    continue
                for k, below in enumerate(grid[r + 1 :], start=r + 1):
                    if header_roles(below):
                        break
                    value = number_or_none(below[c]) if c < len(below) else None
                    if value is not None:
                        target = labels[key]
                        facts.append(
                            BudgetFact(
                                item=target["item"],
                                measure=target["measure"],
                                amount_yuan=to_yuan(value, unit),
                                rate=None,
                                printed_text=f"{text}: {below[c]}",
                                printed_unit=unit,
                                source_page=table.page,
                                origin="table",
                                source_location=table.cell_ref(k, c),
                            )
                        )
                        break
    return _unique(facts)


def _block_unit(grid: list[list[str]]) -> str | None:
    for row in grid:
        if header_roles(row):
            return None
        for text in row:
            m = re.search(r"[（(]\s*(万元|元|亿元)\s*[）)]", text)
            if m:
                return m.group(1)
    return None


def _unique(facts: list[BudgetFact]) -> list[BudgetFact]:
    seen, out = set(), []
    for f in facts:
        if (f.item, f.measure) not in seen:
            seen.add((f.item, f.measure))
            out.append(f)
    return out
