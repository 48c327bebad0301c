"""The indicator dictionary of each framework (``reference/frameworks/``), as objects.

Each framework's dictionary knows its indicators' canonical names, levels,
parents, standard weights and the printed aliases seen in reports; 总分 (code
"0") is shared by every framework. On the ground floor: the table reader uses
it as evidence for spans, normalize to code printed names, validation and load
to look codes up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from jixiao.reference import name_key
from jixiao.reference.framework import DEFAULT, TOTAL_CODE, framework, frameworks


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
