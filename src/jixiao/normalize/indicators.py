"""Printed indicator names → a framework's canonical dictionary (``reference/frameworks/``).

Each framework's dictionary knows its indicators' canonical names, levels,
parents and the printed aliases seen in reports. A printed name that maps to
nothing keeps its printed text, gets a report-local code under its parent and
an ``unmapped`` warning (none at a level the framework leaves to each report,
its ``printed_levels``): it is never dropped or guessed. A report of the
``printed`` framework (its table matched no known framework) gets codes
``printed:<path of printed names>``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from jixiao.model import CheckResult, ScoreFact
from jixiao.reference import name_key
from jixiao.reference.framework import DEFAULT, PRINTED, TOTAL_CODE, framework, frameworks


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    level: int
    parent: str | None
    path: str
    weight: Decimal | None
    aliases: tuple[str, ...] = ()
    framework_code: str | None = None  # None for the total, shared by every framework
    min_children: int | None = None


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


def _indicators(framework_code: str) -> list[Indicator]:
    """One framework's indicators, the shared total first."""
    specs = [i for i in framework(framework_code).indicators if i.code != TOTAL_CODE]
    by_code = {i.code: i for i in specs}

    def chain(code: str | None) -> list[str]:
        names = []
        while code is not None and code in by_code:
            names.append(by_code[code].name)
            code = by_code[code].parent
        return names[::-1]

    return [
        total(),
        *(
            Indicator(
                code=i.code,
                name=i.name,
                level=len(chain(i.code)),
                parent=i.parent,
                path="/".join(chain(i.code)),
                weight=i.weight,
                aliases=i.aliases,
                framework_code=framework_code,
                min_children=i.min_children,
            )
            for i in specs
        ),
    ]


@cache
def total() -> Indicator:
    """总分 (code "0"), shared by every framework: its aliases are every framework's."""
    specs = [i for fw in frameworks().values() for i in fw.indicators if i.code == TOTAL_CODE]
    home = framework(DEFAULT).indicators[0]
    aliases = dict.fromkeys(a for s in specs for a in (s.name, *s.aliases) if a != home.name)
    return Indicator(TOTAL_CODE, home.name, 0, None, home.name, home.weight, tuple(aliases))


@cache
def dictionary(framework_code: str = DEFAULT) -> IndicatorDictionary:
    """One framework's indicator dictionary (Guangdong's by default), read once per process."""
    return IndicatorDictionary(_indicators(framework_code))


@cache
def all_indicators() -> IndicatorDictionary:
    """Every framework's indicators in one dictionary: codes are unique across frameworks.

    For looking codes up (parents, paths, ``dim_indicator``); names resolve
    within one framework (:func:`dictionary`).
    """
    seen: dict[str, Indicator] = {}
    for code in frameworks():
        for ind in _indicators(code):
            seen.setdefault(ind.code, ind)
    return IndicatorDictionary(list(seen.values()))


def assign_code(
    fact: ScoreFact, unnamed_count: dict[str, int], framework_code: str = DEFAULT
) -> list[CheckResult]:
    """Give one fact its canonical code, name, level and path in its framework, in place.

    The dictionary decides; when the document put the fact under another
    parent (``parent_code`` already set from the table's structure), that is
    reported as a ``hierarchy_matches_dictionary`` warning. A printed name the
    dictionary does not know gets a report-local code ``<parent>.x<hash>``
    (``<parent>.unnamed<k>`` for a row with no name) and an ``unmapped`` (or
    ``unnamed_indicator``) warning.

    At a level the framework leaves to each report (``printed_levels``: the
    MoF forms' 三级指标) a printed name is expected, not unmapped: it gets its
    ``<parent>.x<hash>`` code and no warning. Under framework ``printed`` every
    fact gets ``printed:<path of printed names>`` (:func:`assign_printed_code`).

    Returns:
        The checks this fact raised (none when it mapped cleanly).
    """
    if framework_code == PRINTED:
        return assign_printed_code(fact, unnamed_count)
    d = dictionary(framework_code)
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
    if fact.level in framework(framework_code).printed_levels:
        return []
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


def assign_printed_code(fact: ScoreFact, unnamed_count: dict[str, int]) -> list[CheckResult]:
    """Code a fact of a table that matches no framework: ``printed:<path of printed names>``.

    The parent is the one the table gives (``parent_code``, already a
    ``printed:`` code, or "0" for a level-1 row); the level is the printed one
    (one below the parent when the table does not say). A row without a name
    gets ``(未命名k)`` and an ``unnamed_indicator`` warning, as elsewhere.
    """
    if fact.level == 0:
        ind = total()
        fact.indicator_code, fact.canonical_name = ind.code, ind.name
        fact.parent_code, fact.path = None, ind.path
        return []
    parent = fact.parent_code or TOTAL_CODE
    parent_path = parent.removeprefix(f"{PRINTED}:") if parent != TOTAL_CODE else ""
    if fact.level is None:
        fact.level = parent_path.count("/") + 2 if parent_path else 1
    checks: list[CheckResult] = []
    name = (fact.printed_name or "").strip()
    if not name:
        k = unnamed_count[parent] = unnamed_count.get(parent, 0) + 1
        name = f"(未命名{k})"
        checks.append(
            CheckResult(
                "unnamed_indicator",
                f"{parent_path}/{name}".lstrip("/"),
                "warning",
                False,
                observed=f"weight {fact.weight}, score {fact.score}",
                expected="a printed indicator name",
                detail=f"page {fact.source_page}: a row under {parent_path or '总分'} has no "
                "name; kept with its points",
            )
        )
    path = f"{parent_path}/{name_key(name) or name}".lstrip("/")
    fact.indicator_code = f"{PRINTED}:{path}"
    fact.canonical_name = fact.printed_name or name
    fact.parent_code = parent
    fact.path = path
    return checks
