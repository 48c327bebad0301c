"""The score table's spans and rows → ``ScoreFact`` records, parents linked by span keys."""

from __future__ import annotations

from jixiao.extract.tables.hierarchy import Span, tree
from jixiao.extract.tables.rows import Cell, ScoreTable
from jixiao.extract.tables.text import number_or_none
from jixiao.model import CheckResult, ScoreFact


def to_facts(table: ScoreTable) -> list[ScoreFact]:
    """Score facts for every level the table prints, parents linked by ``parent_printed``.

    Level-3 rows always become facts (an unnamed row keeps its points); a
    level-1/level-2 span becomes a fact with its printed 分值 and, as score,
    None: the table prints no subtotal scores, normalization derives them.
    Parents are linked through report-local span keys (``L1#n``, ``L2#n.m``).
    What the hierarchy could not resolve is added to ``table.checks``.
    """
    facts: list[ScoreFact] = []
    levels = [
        lv for lv in ("name_l1", "name_l2", "name_l3") if table.rows and lv in table.rows[0].names
    ]
    if levels == ["name_l1"]:
        return flat_facts(table)
    level1, checks = tree(table.rows)
    table.checks += checks
    leaf = levels[-1] if levels else "name_l3"
    leaf_level = len(levels)
    weighted = _prints_weights(table, leaf)
    table.checks += unnamed_spans(level1, leaf_level)
    for n1, s1 in enumerate(level1):
        key1 = f"L1#{n1}"
        facts.append(_span_fact(s1, 1, key1, None))
        inner = s1.children if leaf_level == 3 else [Span(s1.rows)]
        for n2, s2 in enumerate(inner):
            key2 = f"L2#{n1}.{n2}"
            if leaf_level == 3:
                facts.append(_span_fact(s2, 2, key2, key1))
            for row in s2.rows:
                name = row.names.get(leaf, Cell("")).text
                weight = number_or_none(row.weights.get(leaf, ""))
                score = number_or_none(row.score)
                if not name and weight is None and score is None:
                    continue
                table.checks += unreadable_numbers(row, leaf, weight, score, weighted)
                facts.append(
                    ScoreFact(
                        printed_name=name or None,
                        level=leaf_level,
                        weight=weight,
                        score=score,
                        source_page=row.page,
                        printed_text=" | ".join(c for c in row.raw if c),
                        origin="table",
                        parent_printed=key2 if leaf_level == 3 else key1,
                        deduction_reason=row.extra.get("deduction_reason") or None,
                        improvement=row.extra.get("improvement") or None,
                        row_index=row.index,
                        source_location=_where(row, f"weight:{leaf}", "score"),
                    )
                )
    if table.total is not None:
        facts.append(table.total)
    return facts


def flat_facts(table: ScoreTable) -> list[ScoreFact]:
    """A flat list (重庆: 指标名称 │ 是否核心指标 │ 权重 │ 目标值 │ 完成值 │ 得分): every row is
    an indicator of level 1 under 总分, the 预算执行率 row among them; no spans.

    A list names every row: a row with numbers and no name is a misreading (an unruled
    table whose wrapped names joined the row above), an error, never a guess."""
    facts = []
    weighted = _prints_weights(table, "name_l1")
    for row in table.rows:
        name = row.names["name_l1"].text
        weight = number_or_none(row.weights.get("name_l1", ""))
        score = number_or_none(row.score)
        if not name and weight is None and score is None:
            continue
        table.checks += unreadable_numbers(row, "name_l1", weight, score, weighted)
        if not name:
            where = f"page {row.page} row {row.index + 1}"
            table.checks.append(
                CheckResult(
                    "table_row_unnamed", where, "error", False,
                    observed=" | ".join(c for c in row.raw if c), expected="an indicator name",
                    detail=f"{where}: a row of a flat list with weight {weight} and score "
                    f"{score} but no name: its name was read into another row",
                )
            )  # fmt: skip
        facts.append(
            ScoreFact(
                printed_name=name or None,
                level=1,
                weight=weight,
                score=score,
                source_page=row.page,
                printed_text=" | ".join(c for c in row.raw if c),
                origin="table",
                deduction_reason=row.extra.get("deduction_reason") or None,
                improvement=row.extra.get("improvement") or None,
                row_index=row.index,
                source_location=_where(row, "weight:name_l1", "score"),
            )
        )
    if table.total is not None:
        facts.append(table.total)
    return facts


def unnamed_spans(level1: list[Span], leaf_level: int) -> list[CheckResult]:
    """Errors for a level-1 or level-2 span without a label (or without a weight) where
    the table prints the others': rows were cut into spans the page does not print, or a
    wrapped label lost its second line and the weight beside it."""
    checks = []
    levels = [(1, level1)]
    if leaf_level == 3:
        levels.append((2, [s2 for s1 in level1 for s2 in s1.children]))
    for level, spans in levels:
        if any(s.weight for s in spans):  # the table prints its spans' weights: each one
            for s in spans:
                if number_or_none(s.weight) is None:
                    where = f"page {s.rows[0].page} row {s.rows[0].index + 1}"
                    checks.append(
                        CheckResult(
                            "table_span_unnamed", f"level {level} weight {where}", "error",
                            False, observed=s.weight, expected=f"a level-{level} weight",
                            detail=f"{where}: the level-{level} span {s.label or '(blank)'} "
                            "has no weight read, while the table prints the others'",
                        )
                    )  # fmt: skip
        if not any(s.label for s in spans):
            continue
        for s in spans:
            if not s.label:
                where = f"page {s.rows[0].page} row {s.rows[0].index + 1}"
                checks.append(
                    CheckResult(
                        "table_span_unnamed", f"level {level} {where}", "error", False,
                        observed="", expected=f"a level-{level} label",
                        detail=f"{where}: {len(s.rows)} rows under no level-{level} label, "
                        "while the table labels the others",
                    )
                )  # fmt: skip
    return checks


def _prints_weights(table: ScoreTable, leaf: str) -> bool:
    """Whether the table prints its rows' weights: two rows or more with a leaf 分值."""
    return sum(number_or_none(r.weights.get(leaf, "")) is not None for r in table.rows) >= 2


def unreadable_numbers(row, leaf: str, weight, score, weighted: bool = False) -> list[CheckResult]:
    """Error checks for a row whose 分值 or 得分 cell holds text that is not one number
    (``1.8存在不足``: a column boundary misplaced), whose score is missing beside a
    weight, or (``weighted``: the table prints its rows' weights) whose weight is missing
    beside a score (its 分值 read into the row above: ``20`` over ``10`` joined as 2010):
    the row would load without the number the page prints for it."""
    checks = []
    where = f"page {row.page} row {row.index + 1}"
    for what, text, value in (("weight", row.weights.get(leaf, ""), weight),
                              ("score", row.score, score)):  # fmt: skip
        if text and value is None:
            checks.append(
                CheckResult(
                    "table_number_unreadable", f"{where} {what}", "error", False,
                    observed=text, expected="one number",
                    detail=f"{where}: the {what} cell reads {text!r}, not one number",
                )
            )  # fmt: skip
    if weight is not None and not row.score:
        checks.append(
            CheckResult(
                "table_number_unreadable", f"{where} score", "error", False,
                observed="", expected="a score beside the weight",
                detail=f"{where}: a weight of {weight} but no score was read",
            )
        )  # fmt: skip
    if weighted and score is not None and weight is None and not row.weights.get(leaf, ""):
        checks.append(
            CheckResult(
                "table_number_unreadable", f"{where} weight", "error", False,
                observed="", expected="a weight beside the score",
                detail=f"{where}: a score of {score} but no weight was read, while the "
                "table prints the other rows' weights",
            )
        )  # fmt: skip
    return checks


def _span_fact(span: Span, level: int, key: str, parent_key: str | None) -> ScoreFact:
    labelled = next(
        (r for r in span.rows if r.names.get(f"name_l{level}", Cell("")).text), span.rows[0]
    )
    return ScoreFact(
        printed_name=span.label or None,
        level=level,
        weight=number_or_none(span.weight),
        score=None,
        source_page=labelled.page,
        printed_text=f"{span.label} {span.weight}".strip(),
        origin="table",
        parent_printed=parent_key,
        row_index=span.rows[0].index,
        source_location=_where(labelled, f"weight:name_l{level}", f"name_l{level}"),
        span_key=key,
    )


def _where(row, *roles: str) -> str | None:
    """The cells of these roles in a Word, Excel or HTML row (None for a PDF)."""
    refs = [row.refs[r] for r in roles if r in row.refs]
    return ", ".join(dict.fromkeys(refs)) or None
