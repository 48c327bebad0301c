"""Indicator frameworks as data: ``reference/frameworks/<code>.yaml``, one file each.

A framework is a tree of indicators some government prescribes for its
self-evaluation forms: Guangdong's 履职效能 / 管理效率 tree (``guangdong``, the
dictionary jixiao started with, its codes unprefixed), the Ministry of Finance
2020 部门整体 and 项目 forms (``mof-dept``, ``mof-project``) … Every file gives
``code``, ``name``, ``scope`` (部门整体 · 项目), ``region``, ``definition``,
``levels``, ``printed_levels`` and ``indicators`` (code, name, parent, weight,
aliases, min_children). Code "0" (总分) is shared by every framework; every
other code of a framework but Guangdong's starts with ``<framework>:``.

``printed`` is not a framework but where a table that matches none loads,
its codes ``printed:<path of printed names>``.

This is the ground floor: extract may import it; it imports nothing of jixiao
but the reference helpers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

import yaml

from jixiao.reference import HERE, name_key

FOLDER = HERE / "frameworks"
TOTAL_CODE = "0"
PRINTED = "printed"
DEFAULT = "guangdong"  # the framework of every report read before frameworks were data


@dataclass(frozen=True)
class IndicatorSpec:
    """One indicator as its framework file lists it."""

    code: str
    name: str
    parent: str | None
    weight: Decimal | None
    aliases: tuple[str, ...] = ()
    min_children: int | None = None


@dataclass(frozen=True)
class Framework:
    """One framework file."""

    code: str
    name: str
    scope: str  # 部门整体 · 项目
    region: str | None
    definition: str | None
    levels: tuple[str, ...]
    printed_levels: tuple[int, ...]
    indicators: tuple[IndicatorSpec, ...]

    def names(self) -> set[str]:
        """Matching keys of every name and alias below the total."""
        return {
            name_key(n)
            for i in self.indicators
            if i.code != TOTAL_CODE
            for n in (i.name, *i.aliases)
        }


def _spec(raw: dict) -> IndicatorSpec:
    weight = raw.get("weight")
    return IndicatorSpec(
        code=str(raw["code"]),
        name=raw["name"],
        parent=None if raw.get("parent") is None else str(raw["parent"]),
        weight=None if weight is None else Decimal(str(weight)),
        aliases=tuple(raw.get("aliases") or ()),
        min_children=raw.get("min_children"),
    )


@cache
def frameworks() -> dict[str, Framework]:
    """Every framework by code: Guangdong's first, then the files by name, ``printed`` last."""
    found = {}
    for path in sorted(FOLDER.glob("*.yaml")):
        with open(path, encoding="utf-8") as f:
            raw = yaml.safe_load(f)
        fw = Framework(
            code=raw["code"],
            name=raw["name"],
            scope=raw["scope"],
            region=raw.get("region"),
            definition=raw.get("definition"),
            levels=tuple(raw.get("levels") or ()),
            printed_levels=tuple(raw.get("printed_levels") or ()),
            indicators=tuple(_spec(i) for i in raw.get("indicators") or ()),
        )
        if fw.code != path.stem:
            raise ValueError(f"{path.name}: code {fw.code!r} must be the file's name")
        for ind in fw.indicators:
            if (
                ind.code != TOTAL_CODE
                and fw.code != DEFAULT
                and not ind.code.startswith(f"{fw.code}:")
            ):
                raise ValueError(f"{path.name}: code {ind.code!r} must start with {fw.code}:")
        found[fw.code] = fw
    order = [DEFAULT, *sorted(set(found) - {DEFAULT, PRINTED}), PRINTED]
    return {code: found[code] for code in order if code in found}


def framework(code: str) -> Framework:
    """One framework by code (KeyError for an unknown one)."""
    return frameworks()[code]


def framework_of_code(indicator_code: str) -> str | None:
    """The framework an indicator code belongs to; None for the shared total "0"."""
    if indicator_code == TOTAL_CODE:
        return None
    prefix, sep, _ = indicator_code.partition(":")
    return prefix if sep else DEFAULT


# The fewest printed names a table must share with a framework to be read as it.
MIN_MATCHED = 2


def match_framework(printed_names: Iterable[str | None], scope: str | None = None) -> Framework:
    """The known framework whose names the printed names match best, else ``printed``.

    Counts the distinct printed names (matching keys) that are a name or an
    alias of the framework below the total; the most wins, at least
    ``MIN_MATCHED``; a tie goes to the framework listed first (Guangdong's).
    ``scope`` (部门整体 · 项目), when known, keeps only frameworks of that scope.
    """
    keys = {name_key(n) for n in printed_names if n and name_key(n)}
    best, best_n = frameworks()[PRINTED], MIN_MATCHED - 1
    for fw in frameworks().values():
        if fw.code == PRINTED or (scope is not None and fw.scope != scope):
            continue
        n = len(keys & fw.names())
        if n > best_n:
            best, best_n = fw, n
    return best
