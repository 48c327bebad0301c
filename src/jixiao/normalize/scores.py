"""Score facts from tables and prose → one coded set per report.

Transformations, in order:

1. table facts get canonical codes top-down: a span's children look up their
   names under the span's code; a span with no label takes the parent the
   dictionary gives all its children (flagged);
2. a parent the table prints without a score gets the sum of its children
   (``is_derived``), as does a missing parent whose children's weights add up
   to its standard weight (so they are provably complete);
3. one fact per code: an indicator printed twice (a merged cell split by a
   page break or by a level-1 label row) is kept once with what its copies
   state (``indicator_repeated``, warning); copies that state different
   numbers are an error on the report (``indicator_repeats_agree``), never
   two facts under one code (the warehouse key);
4. prose facts are coded too; one the table also has must agree with it
   (``prose_matches_table``, error), otherwise it joins the set;
5. a form nobody filled in (every score blank, or a 总分 of 0 with nothing
   scored under it) keeps its printed weights and no score at all: its 0s are
   not scores (``scores_not_filled``, error);
6. the grade comes from the document (a grade word mapped by
   ``reference/grades.yaml``), else from the total's band (derived).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from decimal import Decimal

from jixiao.model import CheckResult, ScoreFact
from jixiao.normalize.indicators import assign_code
from jixiao.reference import grade_bands
from jixiao.reference.framework import DEFAULT, PRINTED
from jixiao.reference.indicators import dictionary

TOLERANCE = Decimal("0.011")


def grade_for(total: Decimal) -> str:
    """The grade band of a total score (bands in ``reference/grades.yaml``)."""
    return next(g for g, floor in grade_bands().items() if total >= floor)


def code_table_facts(
    facts: list[ScoreFact], framework_code: str = DEFAULT
) -> tuple[list[ScoreFact], list[CheckResult]]:
    """Assign canonical codes (of the report's framework) to a table's facts, parents first."""
    d = dictionary(DEFAULT if framework_code == PRINTED else framework_code)
    checks: list[CheckResult] = []
    unnamed: dict[str, int] = {}
    key_to_code: dict[str, str] = {}
    children_of: dict[str, list[ScoreFact]] = defaultdict(list)
    for f in facts:
        if f.parent_printed:
            children_of[f.parent_printed].append(f)
    for f in sorted(facts, key=lambda f: f.level if f.level is not None else 9):
        span_key = f.span_key
        f.parent_code = key_to_code.get(f.parent_printed or "", f.parent_code)
        if f.level == 1 and f.parent_code is None:
            f.parent_code = d.total.code
        inferred = (
            _parent_of_all(children_of[span_key], framework_code)
            if span_key and not f.printed_name and framework_code != PRINTED
            else None
        )
        if inferred is not None:
            f.indicator_code, f.canonical_name, f.level = (
                inferred.code,
                inferred.name,
                inferred.level,
            )
            f.parent_code, f.path = inferred.parent, inferred.path
            checks.append(
                CheckResult(
                    "span_label_inferred",
                    inferred.path,
                    "warning",
                    True,
                    observed="(blank merged cell)",
                    expected=inferred.name,
                    detail=f"page {f.source_page}: a level-{inferred.level} cell is blank; "
                    f"the dictionary puts all its rows under {inferred.name}",
                )
            )
        else:
            checks += assign_code(f, unnamed, framework_code)
        if span_key:
            key_to_code[span_key] = f.indicator_code
    return facts, checks


def _parent_of_all(children: list[ScoreFact], framework_code: str = DEFAULT):
    """The dictionary parent shared by all named children, or None."""
    d = dictionary(framework_code)
    parents = {ind.parent for c in children if (ind := d.resolve(c.printed_name)) is not None}
    return d.by_code[parents.pop()] if len(parents) == 1 else None


def derive_parents(facts: list[ScoreFact], framework_code: str = DEFAULT) -> list[ScoreFact]:
    """Fill parents' missing scores/weights from their children, bottom-up.

    A parent fact without a score gets the sum of its children's scores when
    all children have one. A parent the document does not print at all is
    added (``origin='derived'``) only when its children's weights are known
    and add up to its standard weight: then they are provably all of them.
    """
    d = dictionary(DEFAULT if framework_code == PRINTED else framework_code)
    by_code = {f.indicator_code: f for f in facts}
    for level in (3, 2, 1):
        groups: dict[str, list[ScoreFact]] = defaultdict(list)
        for f in facts:
            if f.level == level and f.parent_code:
                groups[f.parent_code].append(f)
        for parent_code, children in groups.items():
            parent = by_code.get(parent_code)
            scores = [c.score for c in children]
            weights = [c.weight for c in children]
            if parent is None:
                ind = d.by_code.get(parent_code)
                if ind is None or ind.weight is None or None in weights or None in scores:
                    continue
                if sum(weights) != ind.weight or parent_code == d.total.code:
                    continue
                parent = ScoreFact(
                    printed_name=None,
                    level=ind.level,
                    weight=sum(weights),
                    score=sum(scores),
                    source_page=min(c.source_page for c in children),
                    printed_text="",
                    origin="derived",
                    indicator_code=ind.code,
                    canonical_name=ind.name,
                    parent_code=ind.parent,
                    path=ind.path,
                    is_derived=True,
                )
                facts.append(parent)
                by_code[ind.code] = parent
                continue
            if parent.score is None and None not in scores:
                parent.score = sum(scores)
                parent.is_derived = True
            if parent.weight is None and None not in weights:
                parent.weight = sum(weights)
    return facts


REPEAT_FIELDS = ("weight", "score", "deduction_reason", "improvement")


def one_fact_per_code(facts: list[ScoreFact]) -> tuple[list[ScoreFact], list[CheckResult]]:
    """Facts sharing an indicator code → one fact per code, in first-seen order.

    The first copy is kept and takes from the later copies what it lacks
    (a split span prints its score on one side only). Copies whose numbers
    differ (beyond ``TOLERANCE``) keep the first copy's and fail
    ``indicator_repeats_agree``: the report is invalid, nothing is guessed.
    """
    kept: dict[str | None, ScoreFact] = {}
    copies: dict[str | None, list[ScoreFact]] = defaultdict(list)
    for f in facts:
        if f.indicator_code in kept:
            copies[f.indicator_code].append(f)
        else:
            kept[f.indicator_code] = f
    checks: list[CheckResult] = []
    for code, later in copies.items():
        first = kept[code]
        conflicts = []
        for f in later:
            for what in REPEAT_FIELDS:
                a, b = getattr(first, what), getattr(f, what)
                if b is None or b == "":
                    continue
                if a is None or a == "":
                    setattr(first, what, b)
                elif isinstance(a, Decimal) and abs(a - b) > TOLERANCE:
                    conflicts.append(f"{what} {b} (page {f.source_page})")
        pages = ", ".join(str(f.source_page) for f in (first, *later))
        subject = first.path or str(code)
        if conflicts:
            checks.append(
                CheckResult(
                    "indicator_repeats_agree",
                    subject,
                    "error",
                    False,
                    observed="; ".join(conflicts),
                    expected=f"weight {first.weight}, score {first.score} "
                    f"(page {first.source_page})",
                    detail=f"{subject} is printed {len(later) + 1} times (pages {pages}) "
                    f"with different numbers: {'; '.join(conflicts)}; the first is kept",
                )
            )
        else:
            checks.append(
                CheckResult(
                    "indicator_repeated",
                    subject,
                    "warning",
                    True,
                    observed=f"printed {len(later) + 1} times (pages {pages})",
                    expected="printed once",
                    detail=f"{subject}: its copies agree (weight {first.weight}, "
                    f"score {first.score}); kept once",
                )
            )
    return list(kept.values()), checks


def merge_prose(
    table_facts: list[ScoreFact], prose_facts: list[ScoreFact], framework_code: str = DEFAULT
) -> tuple[list[ScoreFact], list[CheckResult]]:
    """Add prose facts the table lacks; a prose figure the table also has must agree."""
    checks: list[CheckResult] = []
    unnamed: dict[str, int] = {}
    by_code = {f.indicator_code: f for f in table_facts}
    merged = list(table_facts)
    for p in prose_facts:
        checks += assign_code(p, unnamed, framework_code)
        t = by_code.get(p.indicator_code)
        if t is None:
            merged.append(p)
            by_code[p.indicator_code] = p
            continue
        for what in ("score", "weight"):
            pv, tv = getattr(p, what), getattr(t, what)
            if pv is None or tv is None:
                continue
            agree = abs(pv - tv) <= TOLERANCE
            checks.append(
                CheckResult(
                    f"prose_matches_table_{what}",
                    t.path or p.indicator_code,
                    "error",
                    agree,
                    observed=f"{pv} (prose, page {p.source_page})",
                    expected=f"{tv} (table, page {t.source_page})",
                    detail=None
                    if agree
                    else f"the text says {t.canonical_name} {what} {pv}, the table {tv}",
                )
            )
    return merged, checks


def blank_unfilled_scores(facts: list[ScoreFact]) -> list[CheckResult]:
    """An unfilled form: its printed 0s become no score; ``scores_not_filled`` (error).

    A form is unfilled when it has rows and no score above 0: every 得分 cell
    blank, or a 总分 of 0 with no score under it (published before anyone
    filled it in). A 0 there is not a score: it would load as a total of 0
    and earn the grade 差. The weights stay (they are printed); the scores
    become None, so no total, no score fact of 0 and no grade come from it.
    An error: the report says nothing about how the department did, so it is
    ``invalid`` with this check as its reason.
    """
    if not facts or any(f.score not in (None, Decimal(0)) for f in facts):
        return []
    printed_zeros = [f for f in facts if f.score is not None and not f.is_derived]
    for f in facts:
        f.score, f.is_derived = None, False
    names = "、".join(f.canonical_name or f.printed_name or "?" for f in printed_zeros)
    zeros = f"; the 0 printed for {names} is not a score" if printed_zeros else ""
    return [
        CheckResult(
            "scores_not_filled",
            "总分",
            "error",
            False,
            observed=f"{len(facts)} indicator rows, "
            + (f"{len(printed_zeros)} scored 0, the rest blank" if printed_zeros else "all blank"),
            expected="the form's scores filled in",
            detail=f"the form's {len(facts)} indicator rows carry no score{zeros}: "
            "published unfilled, no total and no grade loaded",
        )
    ]


def normalize_scores(
    table_facts: list[ScoreFact], prose_facts: list[ScoreFact], framework_code: str = DEFAULT
) -> tuple[list[ScoreFact], list[CheckResult]]:
    """Table and prose facts → one coded, derived set in the report's framework (see above).

    Returns new facts: the extracted ones passed in are left as read (the steps
    below work on copies).
    """
    table_facts = [replace(f) for f in table_facts]
    prose_facts = [replace(f) for f in prose_facts]
    facts, checks = code_table_facts(table_facts, framework_code)
    facts, repeated = one_fact_per_code(facts)
    derive_parents(facts, framework_code)
    facts, more = merge_prose(facts, prose_facts, framework_code)
    derive_parents(facts, framework_code)
    facts, again = one_fact_per_code(facts)  # the warehouse key, whatever the path
    unfilled = blank_unfilled_scores(facts)
    return facts, unfilled + checks + repeated + more + again
