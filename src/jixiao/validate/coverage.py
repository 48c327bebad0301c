"""What the report's framework expects a table to cover, from its dictionary.

The coverage guard (``table_coverage``) needs, per indicator, the fewest
children a complete table prints under it; these functions derive that from
the report's framework (``reference/frameworks/<code>.yaml``: no numbers are
kept in code) and hand it to the suite as run-time parameters. A report of
the ``printed`` framework has no expectations: its tree is its own.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jixiao.reference.framework import DEFAULT, PRINTED
from jixiao.reference.indicators import dictionary


@cache
def expected_children(code: str, framework_code: str = DEFAULT) -> tuple[int | None, str | None]:
    """The fewest children the framework needs under ``code``, and their names.

    The dictionary lists every variant (整体效能 has 产出, 效益, 满意度 and
    支出率 children, 20 + 20 + 10 + 10 points, where a report prints three
    that make its 50): the fewest children whose standard weights reach the
    parent's standard weight, largest first, is what any complete table has.
    Children without a standard weight count only when the weighted ones fall
    short; a parent without one needs all its children. A framework that
    states ``min_children`` for an indicator (the MoF forms: 产出指标 prints
    whichever of 数量/质量/时效/成本 apply) says it outright.

    Returns:
        (minimum, "name、name、…"), or (None, None) for a leaf or an unknown code.
    """
    if framework_code == PRINTED:
        return None, None
    d = dictionary(framework_code)
    node = d.by_code.get(code)
    children = d.children(code)
    if node is None or not children:
        return None, None
    names = "、".join(c.name for c in children)
    if node.min_children is not None:
        return node.min_children, names
    if node.weight is None:
        return len(children), names
    need, total = 0, 0
    for w in sorted((c.weight for c in children if c.weight is not None), reverse=True):
        if total >= node.weight:
            break
        need, total = need + 1, total + w
    if total < node.weight:  # the weighted children fall short: all are needed
        need = len(children)
    return need, names


@cache
def framework_parameters(framework_code: str = DEFAULT) -> dict[str, Any]:
    """Suite parameters of ``table_coverage`` for one framework: minimum children,
    labels and names per code (none for ``printed``)."""
    d = dictionary(DEFAULT if framework_code == PRINTED else framework_code)
    minimums, names = {}, {}
    for ind in d.indicators:
        need, listed = expected_children(ind.code, framework_code)
        if need:
            minimums[ind.code], names[ind.code] = need, listed
    return {
        "framework_min_children": minimums,
        "framework_paths": {ind.code: ind.path for ind in d.indicators},
        "framework_children_names": names,
    }


def lineage(code: str | None, parent_of: dict[str, str | None]) -> str | None:
    """ "0/2/2.4/2.4.1": the codes from the total down to ``code`` (its true ancestors)."""
    chain, seen = [], set()
    while code is not None and code not in seen:
        seen.add(code)
        chain.append(code)
        code = parent_of.get(code)
    return "/".join(reversed(chain)) or None
