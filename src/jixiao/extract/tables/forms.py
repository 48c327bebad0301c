"""The MoF 2020 forms: the budget-execution block, and 项目支出绩效自评表 told apart.

The Ministry of Finance's 部门整体支出绩效自评表 and 项目支出绩效自评表 print, above
their indicator table, a block 年度预算执行情况（万元）:

    │            │ 年初预算数 │ 全年预算数 │ 全年执行数 │ 分值 │ 执行率 │ 得分 │
    │ 年度资金总额 │  …        │  …        │  …        │ 10  │ 98.36% │ 9.84 │
    │ 其中：基本支出│  …  (a project: 其中：财政拨款 / 其他资金)            │

Transformations:

1. ``split_projects``: the rows of each 项目支出绩效自评表 (from its 项目名称 row to
   the next one) are cut out of the grids into one :class:`ProjectForm` each;
   the rest (the department's own table, budget blocks …) stays for the
   department's score table;
2. ``read_execution``: the block → ``BudgetFact`` records (initial_budget,
   budget, actual, execution_rate per item, amounts in the unit the block
   prints) and its score as a level-1 ``ScoreFact`` (the MoF frameworks'
   预算执行率).

Words and items are data: ``reference/execution_block.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache

from jixiao.extract.tables.grid import Grid
from jixiao.extract.tables.text import clean, number_or_none
from jixiao.model import BudgetFact, Project, ScoreFact, TextLine
from jixiao.reference import load_yaml, name_key

_UNIT = re.compile(r"[（(]\s*(万元|元|亿元)\s*[）)]")


@cache
def spec() -> dict:
    """``reference/execution_block.yaml``, read once (it was parsed on every row: half a
    parser process's CPU at 1,000 reports)."""
    return load_yaml("execution_block.yaml")


@dataclass
class ProjectForm:
    """One 项目支出绩效自评表: its printed name and the grid rows it holds."""

    name: str
    grids: list[Grid] = field(default_factory=list)
    lines: list[TextLine] = field(default_factory=list)  # its pages' lines (an unruled form)

    @property
    def page(self) -> int:
        return min((g.page for g in self.grids), default=0)


def _first_key(row: list[str]) -> str:
    return next((name_key(c) for c in row if clean(c)), "")


def _after_label(row: list[str], labels: set[str]) -> str | None:
    """The first filled cell after the cell printing one of ``labels``."""
    cells = [clean(c) for c in row]
    for c, text in enumerate(cells):
        if name_key(text) in labels:
            return next((t for t in cells[c + 1 :] if t), None)
    return None


def _slice(grid: Grid, start: int, end: int) -> Grid:
    """Rows ``start:end`` of a grid as a grid of their own (evidence sliced alike)."""

    def cut(rows):
        return None if rows is None else rows[start:end]

    return replace(
        grid,
        rows=grid.rows[start:end],
        top_edges=cut(grid.top_edges),
        cell_refs=cut(grid.cell_refs),
        boxes=grid.boxes[start:end],
        number_issues=[
            replace(i, row=i.row - start) for i in grid.number_issues if start <= i.row < end
        ],
        numbers_checked=sum(
            1 for row in grid.rows[start:end] for c in row if number_or_none(clean(c)) is not None
        )
        if grid.numbers_checked
        else 0,
    )


def split_projects(
    grids: list[Grid], lines: list[TextLine] | None = None
) -> tuple[list[Grid], list[ProjectForm]]:
    """The department's grids, and each 项目支出绩效自评表's rows as a form of its own.

    A project form starts at a row whose first filled cell is 项目名称 and runs
    to the next such row (across pages: a form continued on the next page
    keeps its rows). Rows before the first project form are the department's.
    An unruled form's 项目名称 row is in no grid (the table is found by its
    score header): then the text lines say where each form starts, one per
    page (:func:`split_by_pages`).
    """
    labels = {name_key(w) for w in spec()["project_name"]}
    if lines and not any(_first_key(row) in labels for g in grids for row in g.rows):
        return split_by_pages(grids, lines, labels)
    rest: list[Grid] = []
    forms: list[ProjectForm] = []
    for grid in grids:
        starts = [r for r, row in enumerate(grid.rows) if _first_key(row) in labels]
        first = starts[0] if starts else len(grid.rows)
        if first > 0:
            part = _slice(grid, 0, first)
            if forms:
                forms[-1].grids.append(part)  # a form continued on this page
            else:
                rest.append(part)
        for k, start in enumerate(starts):
            end = starts[k + 1] if k + 1 < len(starts) else len(grid.rows)
            name = _after_label(grid.rows[start], labels) or f"(项目{len(forms) + 1})"
            forms.append(ProjectForm(name, [_slice(grid, start, end)]))
    return [g for g in rest if g.rows], forms


def split_by_pages(
    grids: list[Grid], lines: list[TextLine], labels: set[str]
) -> tuple[list[Grid], list[ProjectForm]]:
    """Project forms from the lines that print 项目名称: each form has the grids and lines
    of its page up to the next form's page. Two forms starting on one page cannot be
    told apart by page: then nothing is split (the tables stay one, and their
    repeated indicators are flagged downstream)."""
    words = [name_key(w) for w in spec()["columns"]["actual"]]
    form_pages = {  # pages printing a budget-execution header: a form starts there
        ln.page for ln in lines if any(w in name_key(ln.text) for w in words)
    }
    starts: list[tuple[int, str]] = []
    for line in lines:
        tokens = line.text.split()
        if tokens and name_key(tokens[0]) in labels and line.page in form_pages:
            starts.append((line.page, " ".join(tokens[1:]) or f"(项目{len(starts) + 1})"))
    pages = [p for p, _ in starts]
    if not starts or len(set(pages)) != len(pages):
        return grids, []
    forms = []
    for k, (page, name) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else None
        within = [g for g in grids if g.page >= page and (end is None or g.page < end)]
        mine = [ln for ln in lines if ln.page >= page and (end is None or ln.page < end)]
        forms.append(ProjectForm(name, within, mine))
    rest = [g for g in grids if g.page < starts[0][0]]
    return rest, [f for f in forms if f.grids]


def _roles(row: list[str]) -> dict[str, int]:
    """Column of each budget-execution header word in a row (empty when it is not the header)."""
    found: dict[str, int] = {}
    keys = [name_key(clean(c)) for c in row]
    for role, words in spec()["columns"].items():
        for c, key in enumerate(keys):
            if key and any(key == name_key(w) for w in words) and role not in found:
                found[role] = c
                break
    return found if "actual" in found and ({"budget", "initial_budget"} & found.keys()) else {}


def _item(row: list[str], items: dict[str, str]) -> tuple[int, str, str] | None:
    """(column, printed label, item) of the row's item label, or None."""
    for c, text in enumerate(row):
        key = re.sub(r"^其中", "", name_key(clean(text)))
        if key in items:
            return c, clean(text), items[key]
    return None


def _percent(text: str) -> Decimal | None:
    text = clean(text)
    if not text.endswith(("%", "％")):
        return None
    value = number_or_none(text[:-1])
    return None if value is None else value.scaleb(-2)  # exactly: 98.36 → 0.9836


def read_execution(
    grids: list[Grid], total_item: str = "部门预算"
) -> tuple[list[BudgetFact], ScoreFact | None]:
    """The budget-execution block of one form → budget figures and its score.

    ``total_item`` names the 年度资金总额 row's item (部门预算 for the
    department; a project's figures are the project's). Amounts need the
    unit the block prints (年度预算执行情况（万元）): without one none is read,
    rates and the score still are. Only the first block counts.
    """
    items = {name_key(k): v for k, v in spec()["items"].items()}
    total_key = name_key(spec()["total_row"])
    budgets: list[BudgetFact] = []
    score: ScoreFact | None = None
    for grid in grids:
        rows = [[clean(c) for c in row] for row in grid.rows]
        for r, row in enumerate(rows):
            roles = _roles(row)
            if not roles:
                continue
            unit = next(
                (m.group(1) for line in rows[max(0, r - 1) : r + 5] for t in line
                 if (m := _UNIT.search(t))),
                None,
            )  # fmt: skip
            label = next(
                (t for line in rows[r : r + 5] for t in line
                 if any(name_key(w) in name_key(t) for w in spec()["block_labels"])),
                spec()["block_labels"][0],
            )  # fmt: skip
            for k in range(r + 1, min(r + 1 + spec()["max_items"], len(rows))):
                found = _item(rows[k], items)
                if found is None:
                    break
                col, printed, item = found
                is_total = name_key(printed) == total_key
                item = total_item if is_total else item
                cells = rows[k]
                text = " │ ".join(t for t in cells[col:] if t)

                def cell(role: str, cells=cells, roles=roles) -> str:
                    c = roles.get(role)
                    return cells[c] if c is not None and c < len(cells) else ""

                for measure in ("initial_budget", "budget", "actual"):
                    value = number_or_none(cell(measure))
                    if value is None or unit is None:
                        continue
                    budgets.append(
                        BudgetFact(item, measure, None, None,
                                   f"{printed} {measure}: {cell(measure)}", unit, grid.page,
                                   origin="table", printed_amount=value,
                                   source_location=grid.cell_ref(k, roles.get(measure)))
                    )  # fmt: skip
                rate = _percent(cell("rate"))
                if rate is not None:
                    budgets.append(
                        BudgetFact(item, "execution_rate", None, rate,
                                   f"{printed} 执行率: {cell('rate')}", "%", grid.page,
                                   origin="table",
                                   source_location=grid.cell_ref(k, roles.get("rate")))
                    )  # fmt: skip
                weight, got = number_or_none(cell("weight")), number_or_none(cell("score"))
                if is_total and score is None and (weight is not None or got is not None):
                    score = ScoreFact(
                        printed_name=_UNIT.sub("", label),
                        level=1,
                        weight=weight,
                        score=got,
                        source_page=grid.page,
                        printed_text=text,
                        origin="table",
                        row_index=-1,
                        source_location=grid.cell_ref(k, roles.get("score")),
                    )
            return budgets, score
    return budgets, score


def read_project(form: ProjectForm) -> tuple[Project, list[dict]]:
    """One 项目支出绩效自评表 → a ``Project`` (scores, budget figures) and its tables' lineage.

    The indicator table is read as any score table (``rows``, ``hierarchy``,
    ``facts``); the budget-execution block's score joins it as level 1, its
    年度资金总额 figures go under the project's own name.
    """
    from jixiao.extract.tables.facts import to_facts
    from jixiao.extract.tables.rows import parse_score_tables

    table, lineage = parse_score_tables(form.grids)
    scores = to_facts(table) if table.rows else []
    budgets, execution = read_execution(form.grids, total_item=form.name)
    if not budgets and execution is None and form.lines:
        budgets, execution = execution_from_lines(form.lines, total_item=form.name)
    if execution is not None and scores:
        scores.append(execution)
    project = Project(form.name, form.page, scores, budgets, list(table.checks), table.grade)
    for row in lineage:
        row["role"] = "project_table" if row.get("role") == "score_table" else row.get("role")
    return project, lineage


def execution_from_lines(
    lines: list[TextLine], total_item: str = "部门预算"
) -> tuple[list[BudgetFact], ScoreFact | None]:
    """The budget-execution block read from the text lines, when no grid holds it.

    An unruled form is found by its score header only, so the block above it is
    in no grid; its printed lines still say everything: the header line gives
    the columns' order, each item line its label and then one token per column
    (``—`` where the form prints none). Read into a grid of those tokens and
    from there as a ruled block is.
    """
    items = {name_key(k): v for k, v in spec()["items"].items()}
    for i, line in enumerate(lines):
        tokens = line.text.split()
        if not _roles(tokens):
            continue
        near = [ln for ln in lines[max(0, i - 2) : i + 6] if ln.page == line.page]
        unit = next((m.group(0) for ln in near if (m := _UNIT.search(ln.text))), "")
        rows = [[unit], ["", *tokens]]
        for ln in lines[i + 1 : i + 1 + spec()["max_items"] + 1]:
            toks = ln.text.split()
            found = _item(toks, items)
            if ln.page != line.page or found is None:
                continue
            rows.append(toks[found[0] :])
        grid = Grid(page=line.page, rows=rows, top_edges=None, flavor="text", parsing_report={})
        return read_execution([grid], total_item)
    return [], None


def department_execution(
    grids: list[Grid], scores: list[ScoreFact], lines: list[TextLine] | None = None
) -> list[BudgetFact]:
    """The department form's budget-execution block: its figures, and its score added to
    ``scores`` (in place) when the department's score table was read. Read from the
    grids, else (``lines`` given: a document without project forms) from the text."""
    budgets, execution = read_execution(grids)
    if not budgets and execution is None and lines:
        budgets, execution = execution_from_lines(lines)
    if execution is not None and scores:
        scores.append(execution)
    return budgets


def unique_budgets(facts: list[BudgetFact]) -> list[BudgetFact]:
    """One figure per (item, measure): the first read wins (the execution block before
    the older budget-block reader, which reads the same 年度资金总额 row)."""
    seen: set[tuple[str, str]] = set()
    out = []
    for f in facts:
        if (f.item, f.measure) not in seen:
            seen.add((f.item, f.measure))
            out.append(f)
    return out
