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

from jixiao.model import CheckResult, ScoreFact
from jixiao.reference import name_key
from jixiao.reference.framework import DEFAULT, PRINTED, TOTAL_CODE, framework
from jixiao.reference.indicators import dictionary, total


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
    # report-local codes carry their framework: under the shared total (a flat list's
    # indicators) "<framework>:0.x…", never an unprefixed code that reads as Guangdong's
    local = fact.parent_code
    if local == TOTAL_CODE and framework_code != DEFAULT:
        local = f"{framework_code}:{TOTAL_CODE}"
        parent_path = ""  # a level-1 path is its name, as the framework's own level 1
    if fact.level is None:
        fact.level = parent.level + 1 if parent else 3
    fact.canonical_name = fact.printed_name
    if not (fact.printed_name or "").strip():
        k = unnamed_count[fact.parent_code or ""] = unnamed_count.get(fact.parent_code or "", 0) + 1
        fact.indicator_code = f"{local}.unnamed{k}"
        fact.path = f"{parent_path}/(未命名{k})".lstrip("/")
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
    fact.indicator_code = f"{local or 'x'}.x{digest}"
    fact.path = f"{parent_path}/{fact.printed_name}".lstrip("/")
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
