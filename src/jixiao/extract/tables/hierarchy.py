"""Rows → 一级/二级 spans, from evidence, never by forward-filling labels.

A merged 一级/二级 cell prints its label (and 分值) once: at the top, middle
or bottom of its rows, or only in the part on the next page. Which rows it
heads is decided from evidence, strongest first:

1. **weights**: a parent's 分值 equals the sum of its rows' 分值, so the
   labels' weights cut the rows where the running sum reaches them; every
   label must then sit inside the rows it heads;
2. **rules**: a ruled table starts a span where a cell has a top edge; a span
   cut by a page break is joined when one part is blank or both agree;
3. **dictionary**: the indicator dictionary knows which 二级 a 三级 belongs to
   (and which 一级 a 二级);
4. **every row**: a table that prints the label on every row (no merged
   cells, as many MoF forms do) puts each run of one label in one span;
5. otherwise each label heads the rows from it to the next label, and a
   ``table_hierarchy_unresolved`` error says so.

Where weights and rules disagree, weights win and a warning records it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.extract.tables.rows import Cell, Row
from jixiao.extract.tables.text import number_or_none
from jixiao.model import CheckResult
from jixiao.reference import name_key
from jixiao.reference.indicators import dictionary

TOLERANCE = Decimal("0.001")


@dataclass
class Span:
    """Consecutive rows under one merged level-1 or level-2 cell."""

    rows: list[Row]
    label: str = ""
    weight: str = ""
    evidence: str = ""  # weights · rules · dictionary · labels · single
    children: list[Span] = field(default_factory=list)


@dataclass
class Mark:
    """A label (and/or weight) printed in a level's column, at a row."""

    at: int  # index into the rows being split
    label: str
    weight: str


def marks(rows: list[Row], level: str) -> list[Mark]:
    """The labels printed at ``level``; a label repeated across a page break counts once."""
    out: list[Mark] = []
    for i, row in enumerate(rows):
        text = row.names.get(level, Cell("")).text
        weight = row.weights.get(level, "")
        if not text and not weight:
            continue
        prev = out[-1] if out else None
        if prev and rows[prev.at].page != row.page and _same(prev, text, weight):
            continue  # the page-2 part of a merged cell printing the label again
        if (
            prev
            and i - prev.at <= 1
            and (not prev.label or not text)
            and (not prev.weight or not weight)
        ):
            prev.label, prev.weight = prev.label or text, prev.weight or weight
            continue  # label and weight printed on neighbouring lines
        if prev and i - prev.at <= 1 and (not prev.weight or not weight) and _wrapped(prev, text):
            prev.label, prev.weight = prev.label + text, prev.weight or weight
            continue  # a label wrapped onto the next row's line (预算 / 执行 in a tight table)
        out.append(Mark(i, text, weight))
    return out


def _wrapped(mark: Mark, text: str) -> bool:
    """Whether ``text`` ends the label ``mark`` begins: together they are a name the
    dictionary knows, neither part alone is one."""
    known = dictionary().by_key
    head, tail = name_key(mark.label), name_key(text)
    return bool(head and tail) and head + tail in known and head not in known and tail not in known


def _same(mark: Mark, text: str, weight: str) -> bool:
    return name_key(mark.label) == name_key(text) and (
        number_or_none(mark.weight) == number_or_none(weight)
    )


def by_weights(rows: list[Row], found: list[Mark], leaf: str) -> list[Span] | None:
    """Cut the rows where their running 分值 sum reaches each label's 分值."""
    leaf_weights = [number_or_none(r.weights.get(leaf, "")) for r in rows]
    targets = [number_or_none(m.weight) for m in found]
    if not found or None in leaf_weights or None in targets:
        return None
    if abs(sum(leaf_weights) - sum(targets)) > TOLERANCE:
        return None
    cuts, running, goal = [], Decimal(0), Decimal(0)
    k = 0
    for i, w in enumerate(leaf_weights):
        running += w
        if k < len(targets) - 1 and abs(running - (goal + targets[k])) <= TOLERANCE:
            # zero-weight rows right after the cut: the next label's position decides
            j = i
            while j + 1 < len(rows) and leaf_weights[j + 1] == 0 and found[k + 1].at > j + 1:
                j += 1
            if j != i:
                return None  # handled below by rules or the dictionary
            goal += targets[k]
            cuts.append(i + 1)
            k += 1
    if len(cuts) != len(targets) - 1:
        return None
    bounds = [0, *cuts, len(rows)]
    spans = []
    for n, mark in enumerate(found):
        a, b = bounds[n], bounds[n + 1]
        if not a <= mark.at < b:
            return None  # the label is printed outside the rows its weight covers
        spans.append(Span(rows[a:b], mark.label, mark.weight, "weights"))
    return spans


def by_rules(rows: list[Row], level: str) -> list[Span] | None:
    """Spans from ruled top edges, joining spans cut by a page break."""
    if any(r.names.get(level, Cell("")).top_edge is None for r in rows):
        return None
    result: list[Span] = []
    for row in rows:
        cell = row.names.get(level, Cell(""))
        weight = row.weights.get(level, "")
        new_page = bool(result) and row.page != result[-1].rows[-1].page
        starts = not result or cell.top_edge or new_page
        if starts and new_page:
            prev = result[-1]
            same = bool(cell.text) and name_key(cell.text) == name_key(prev.label)
            if prev.rows[-1].page == row.page - 1 and (not cell.text or not prev.label or same):
                starts = False  # a span cut by the page break
        if starts:
            result.append(Span([row], evidence="rules"))
        else:
            result[-1].rows.append(row)
        span = result[-1]
        if cell.text and span.label and name_key(cell.text) != name_key(span.label):
            return None  # two labels in one ruled span: the rules are not the whole story
        span.label = span.label or cell.text
        span.weight = span.weight or weight
    if any(not s.label and not s.weight for s in result):
        return None  # unmerged label cells, each ruled, most blank: the rules say nothing
    return result


def by_dictionary(
    rows: list[Row], found: list[Mark], parent_of: Callable[[Row], str | None]
) -> list[Span] | None:
    """Runs of rows the dictionary puts under one parent, each with its printed label."""
    codes = [parent_of(r) for r in rows]
    known = [c for c in codes if c]
    if not known:
        return None
    filled: list[str | None] = []
    for i, code in enumerate(codes):
        if code:
            filled.append(code)
            continue
        before = filled[-1] if filled else None
        after = next((c for c in codes[i + 1 :] if c), None)
        if before and after and before != after:
            return None  # a row nobody can place between two parents
        filled.append(before or after)
    spans: list[Span] = []
    for i, code in enumerate(filled):
        if spans and filled[i - 1] == code:
            spans[-1].rows.append(rows[i])
        else:
            spans.append(Span([rows[i]], evidence="dictionary"))
    d = dictionary()
    starts = [0]
    for s in spans[:-1]:
        starts.append(starts[-1] + len(s.rows))
    for span, start, code in zip(spans, starts, _codes(filled), strict=True):
        inside = [m for m in found if start <= m.at < start + len(span.rows)]
        if len(inside) > 1:
            return None
        if inside:
            ind = d.resolve(inside[0].label) if inside[0].label else None
            if inside[0].label and ind is not None and ind.code != code:
                return None
            span.label, span.weight = inside[0].label, inside[0].weight
    if len([m for m in found if m.label]) > len(spans):
        return None
    return spans


def _codes(filled: list[str | None]) -> list[str | None]:
    out = []
    for i, code in enumerate(filled):
        if i == 0 or filled[i - 1] != code:
            out.append(code)
    return out


def by_labels(rows: list[Row], found: list[Mark]) -> list[Span]:
    """Last resort: each label heads the rows from it to the next label."""
    if not found:
        return [Span(rows, evidence="labels")]
    starts = [0] + [m.at for m in found[1:]]
    ends = [*starts[1:], len(rows)]
    return [
        Span(rows[a:b], m.label, m.weight, "labels")
        for a, b, m in zip(starts, ends, found, strict=True)
    ]


def by_every_row(rows: list[Row], level: str) -> list[Span] | None:
    """A table that prints the label on every row (no merged cells): runs of one label.

    Only when every row prints a label at ``level``: then no row is in doubt.
    """
    labels = [row.names.get(level, Cell("")).text for row in rows]
    if not rows or not all(labels):
        return None
    spans: list[Span] = []
    for row, label in zip(rows, labels, strict=True):
        if spans and name_key(spans[-1].label) == name_key(label):
            spans[-1].rows.append(row)
        else:
            spans.append(Span([row], label, row.weights.get(level, ""), "every_row"))
    return spans


def split(
    rows: list[Row], level: str, leaf: str, parent_of: Callable[[Row], str | None]
) -> tuple[list[Span], list[CheckResult]]:
    """The spans of ``level`` over ``rows``, from the strongest evidence (module docstring)."""
    found = marks(rows, level)
    checks: list[CheckResult] = []
    weighted = by_weights(rows, found, leaf)
    ruled = by_rules(rows, level)
    is_ruled = all(r.names.get(level, Cell("")).top_edge is not None for r in rows)
    if weighted and is_ruled and (ruled is None or _cuts(weighted) != _cuts(ruled)):
        checks.append(
            CheckResult(
                "table_hierarchy_evidence",
                f"{level} page {rows[0].page}",
                "warning",
                False,
                observed=f"rules cut at rows {_cuts(ruled)}"
                if ruled
                else "two labels in one ruled span",
                expected=f"weights cut at rows {_cuts(weighted)}",
                detail="the table's rules and its 分值 sums disagree on which rows a "
                f"{level} label heads; the sums win",
            )
        )
    chosen = weighted or ruled or by_dictionary(rows, found, parent_of) or by_every_row(rows, level)
    if chosen is None:
        chosen = by_labels(rows, found)
        if len(chosen) > 1 or (found and found[0].at > 0):
            checks.append(
                CheckResult(
                    "table_hierarchy_unresolved",
                    f"{level} page {rows[0].page}",
                    "error",
                    False,
                    observed=", ".join(f"{m.label or '?'} {m.weight}".strip() for m in found),
                    expected="weights that add up, ruled spans or dictionary names",
                    detail=f"no evidence places the rows under the {level} labels; each "
                    "label was taken to head the rows from it to the next one",
                )
            )
    for span in chosen:
        leaf_sum = [number_or_none(r.weights.get(leaf, "")) for r in span.rows]
        printed = number_or_none(span.weight)
        if (
            printed is not None
            and None not in leaf_sum
            and abs(sum(leaf_sum) - printed) > TOLERANCE
        ):
            checks.append(
                CheckResult(
                    "table_span_weight",
                    f"{span.label or '(blank)'} page {span.rows[0].page}",
                    "error",  # a misread (5050 for 50 over 50) as often as a typo: not silent
                    False,
                    observed=str(sum(leaf_sum)),
                    expected=str(printed),
                    detail=f"the rows under {span.label or 'a blank label'} add up to "
                    f"{sum(leaf_sum)}, the label prints {printed}",
                )
            )
    return chosen, checks


def _cuts(spans: list[Span]) -> list[int]:
    out, n = [], 0
    for s in spans[:-1]:
        n += len(s.rows)
        out.append(n)
    return out


def tree(rows: list[Row]) -> tuple[list[Span], list[CheckResult]]:
    """Level-1 spans over all rows, each with its level-2 spans (when the table has them)."""
    if not rows:
        return [], []
    levels = [lv for lv in ("name_l1", "name_l2", "name_l3") if lv in rows[0].names]
    leaf = levels[-1]
    has_l2 = "name_l2" in levels and leaf != "name_l2"
    d = dictionary()

    def ancestor(row: Row, depth: int) -> str | None:
        ind = d.resolve(row.names.get(leaf, Cell("")).text, level=len(levels))
        while ind is not None and ind.level > depth:
            ind = d.by_code.get(ind.parent or "")
        return ind.code if ind is not None and ind.level == depth else None

    level1, checks = split(rows, "name_l1", leaf, lambda r: ancestor(r, 1))
    if has_l2:
        for span in level1:
            span.children, more = split(span.rows, "name_l2", leaf, lambda r: ancestor(r, 2))
            checks += more
    return level1, checks
