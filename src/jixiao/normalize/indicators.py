"""Printed indicator names → the canonical dictionary (``reference/indicators.yaml``).

The dictionary knows each indicator's canonical name, level, parent and the
printed aliases seen in reports. A printed name that maps to nothing keeps its
printed text, gets a report-local code under its parent and an ``unmapped``
warning: it is never dropped or guessed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from jixiao.model import CheckResult, ScoreFact
from jixiao.reference import load_yaml, name_key


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    level: int
    parent: str | None
    path: str
    weight: Decimal | None
    aliases: tuple[str, ...] = ()


@dataclass
class IndicatorDictionary:
    indicators: list[Indicator]
    by_code: dict[str, Indicator] = field(init=False)
    by_key: dict[str, list[Indicator]] = field(init=False)

    def __post_init__(self) -> None:
        self.by_code = {i.code: i for i in self.indicators}
        self.by_key = {}
        for i in self.indicators:
            for key in {name_key(n) for n in (i.name, *i.aliases)}:
                self.by_key.setdefault(key, []).append(i)

    @property
    def total(self) -> Indicator:
        return self.by_code["0"]

    def resolve(
        self, printed: str | None, parent_code: str | None = None, level: int | None = None
    ) -> Indicator | None:
        """The canonical indicator a printed name means, or None.

        When several indicators share a printed name, the one under
        ``parent_code`` (or at ``level``) wins; an ambiguous name stays None.
        """
        candidates = self.by_key.get(name_key(printed or ""), [])
        if parent_code is not None and len(candidates) > 1:
            candidates = [c for c in candidates if c.parent == parent_code] or candidates
        if level is not None and len(candidates) > 1:
            candidates = [c for c in candidates if c.level == level] or candidates
        return candidates[0] if len(candidates) == 1 else None

    def children(self, code: str) -> list[Indicator]:
        return [i for i in self.indicators if i.parent == code]

    def is_ancestor(self, ancestor: str, code: str) -> bool:
        node = self.by_code.get(code)
        while node is not None and node.parent is not None:
            if node.parent == ancestor:
                return True
            node = self.by_code.get(node.parent)
        return False


@cache
def dictionary() -> IndicatorDictionary:
    """The indicator dictionary, read once per process."""
    raw = load_yaml("indicators.yaml")["indicators"]
    by_code = {r["code"]: r for r in raw}

    def path(code: str) -> str:
        names = []
        while code and code != "0":
            names.append(by_code[code]["name"])
            code = by_code[code].get("parent")
        return "/".join(reversed(names)) or by_code["0"]["name"]

    def level(code: str) -> int:
        return 0 if code == "0" else code.count(".") + 1

    return IndicatorDictionary(
        [
            Indicator(
                code=r["code"],
                name=r["name"],
                level=level(r["code"]),
                parent=r.get("parent"),
                path=path(r["code"]),
                weight=Decimal(str(r["weight"])) if r.get("weight") is not None else None,
                aliases=tuple(r.get("aliases", [])),
            )
            for r in raw
        ]
    )


def assign_code(fact: ScoreFact, unnamed_count: dict[str, int]) -> list[CheckResult]:
    """Give one fact its canonical code, name, level and path, in place.

    The dictionary decides; when the document put the fact under another
    parent (``parent_code`` already set from the table's structure), that is
    reported as a ``hierarchy_matches_dictionary`` warning. A printed name the
    dictionary does not know gets a report-local code ``<parent>.x<hash>``
    (``<parent>.unnamed<k>`` for a row with no name) and an ``unmapped`` (or
    ``unnamed_indicator``) warning.

    Returns:
        The checks this fact raised (none when it mapped cleanly).
    """
    d = dictionary()
    ind = d.total if fact.level == 0 else d.resolve(fact.printed_name, fact.parent_code, fact.level)
    if ind is not None:
        checks = []
        if fact.parent_code is not None and ind.parent != fact.parent_code:
            checks.append(
                CheckResult(
                    "hierarchy_matches_dictionary",
                    ind.path,
                    "warning",
                    False,
                    observed=f"parent {fact.parent_code}",
                    expected=f"parent {ind.parent}",
                    detail=f"page {fact.source_page}: the table puts {fact.printed_name!r} "
                    f"under {fact.parent_code}, the dictionary under {ind.parent}; "
                    "the dictionary wins",
                )
            )
        fact.indicator_code, fact.canonical_name, fact.level = ind.code, ind.name, ind.level
        fact.parent_code, fact.path = ind.parent, ind.path
        return checks

    parent = d.by_code.get(fact.parent_code or "")
    parent_path = parent.path if parent else (fact.parent_code or "?")
    if fact.level is None:
        fact.level = parent.level + 1 if parent else 3
    fact.canonical_name = fact.printed_name
    if not (fact.printed_name or "").strip():
        k = unnamed_count[fact.parent_code or ""] = unnamed_count.get(fact.parent_code or "", 0) + 1
        fact.indicator_code = f"{fact.parent_code}.unnamed{k}"
        fact.path = f"{parent_path}/(未命名{k})"
        return [
            CheckResult(
                "unnamed_indicator",
                fact.path,
                "warning",
                False,
                observed=f"weight {fact.weight}, score {fact.score}",
                expected="a printed indicator name",
                detail=f"page {fact.source_page}: a row under {parent_path} has no name; "
                "kept with its points",
            )
        ]
    digest = hashlib.sha1(name_key(fact.printed_name).encode()).hexdigest()[:6]
    fact.indicator_code = f"{fact.parent_code or 'x'}.x{digest}"
    fact.path = f"{parent_path}/{fact.printed_name}"
    return [
        CheckResult(
            "unmapped",
            fact.path,
            "warning",
            False,
            observed=fact.printed_name,
            expected="a name in the indicator dictionary",
            detail=f"page {fact.source_page}: {fact.printed_name!r} maps to no canonical "
            "indicator; kept with its printed name",
        )
    ]
