"""Figures stated in prose: scores, budget lines and report metadata.

The input is a PDF's text layer (or OCR) as ``TextLine`` records. Text layers
break lines inside words and numbers and OCR puts spaces inside them, so the
lines are first joined into one normalized stream (``build_stream``) that
remembers, for every character, the page it came from and how it was printed.
The phrasing knowledge (which words introduce a score, a budget, a unit, a
grade) is data in ``reference/prose_patterns.yaml``; the code here only walks
the stream and applies it.

Public API: ``extract_prose(lines) -> ProseFacts`` (and ``build_stream``).
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache
from importlib.resources import files
from typing import Any

from jixiao.model import BudgetFact, CheckResult, ScoreFact, TextLine
from jixiao.reference.numbers import (
    load_patterns,
    parse_number,
    to_fraction,
    to_half_width,
    to_yuan,
)

DISTRICTS_RESOURCE = "reference/districts.csv"


@dataclass
class ProseFacts:
    """What the prose of one report states, as printed (before normalization)."""

    scores: list[ScoreFact] = field(default_factory=list)
    budgets: list[BudgetFact] = field(default_factory=list)
    # the figures the sentences state, before a 年初预算 stands in for a 预算数 they
    # do not state: the siblings a unit fix is proved against (normalize.budgets)
    stated_budgets: list[BudgetFact] = field(default_factory=list)
    checks: list[CheckResult] = field(default_factory=list)
    district_printed: str | None = None
    city_printed: str | None = None
    department_printed: str | None = None
    year_printed: int | None = None  # the fiscal year evaluated (评价年度)
    grade_printed: str | None = None  # 优 · 良 · 中 · 差
    title: str | None = None


@dataclass
class TextStream:
    """A document's text as one normalized string, with a way back to print.

    ``text`` is what patterns run on; ``printed[i]`` is the character
    ``text[i]`` was printed as (full-width kept) and ``pages[i]`` its page.
    """

    text: str
    printed: str
    pages: list[int]

    def page_at(self, pos: int) -> int:
        """The page of the character at ``pos`` (clamped to the stream)."""
        if not self.pages:
            return 1
        return self.pages[min(max(pos, 0), len(self.pages) - 1)]

    def printed_between(self, start: int, end: int) -> str:
        """The printed characters of ``text[start:end]``, trimmed."""
        return self.printed[start:end].strip()


# ---------------------------------------------------------------- the stream


def build_stream(lines: list[TextLine]) -> TextStream:
    """Join text lines into one normalized stream.

    Transformations:
        - drops page furniture lines ("— 3 —", "第 3 页");
        - maps full-width ASCII to half-width (``１２３，４５６．７８`` → ``123,456.78``);
        - removes line breaks and spaces, except: between two Latin letters (one
          space), between two numbers that are not one split number (one space),
          and tabs (table cells; kept as ``\\t``);
        - rejoins numbers split by OCR or wrapping: "1 180.85", "9. 11", "1, 180".
    """
    cfg = load_patterns()
    furniture = [re.compile(p) for p in cfg["line_furniture"]]
    # Pass 1: characters and whitespace runs ("gaps"), the latter as None.
    chars: list[tuple[str, str, int] | None] = []
    tabs: dict[int, bool] = {}
    for line in lines:
        if any(f.search(line.text) for f in furniture):
            continue
        for ch in line.text + "\n":
            norm = to_half_width(ch)
            if norm.isspace():
                if chars and chars[-1] is None:
                    tabs[len(chars) - 1] |= norm == "\t"
                else:
                    tabs[len(chars)] = norm == "\t"
                    chars.append(None)
            else:
                chars.append((norm, ch, line.page))
    # Pass 2: resolve each gap with both neighbours in view.
    text: list[str] = []
    printed: list[str] = []
    pages: list[int] = []
    for i, item in enumerate(chars):
        if item is not None:
            text.append(item[0])
            printed.append(item[1])
            pages.append(item[2])
            continue
        if not text or i + 1 >= len(chars) or chars[i + 1] is None:
            continue
        sep = "\t" if tabs[i] else _gap_separator(chars, i)
        if sep:
            text.append(sep)
            printed.append(sep)
            pages.append(chars[i + 1][2])  # type: ignore[index]
    return TextStream("".join(text), "".join(printed), pages)


def _run(chars: list, i: int, step: int) -> str:
    """The digits next to position ``i`` going left (-1) or right (+1), in order."""
    out = []
    j = i + step
    while 0 <= j < len(chars) and chars[j] is not None and chars[j][0].isdigit():
        out.append(chars[j][0])
        j += step
    return "".join(reversed(out) if step < 0 else out)


def _char(chars: list, j: int) -> str:
    return chars[j][0] if 0 <= j < len(chars) and chars[j] is not None else ""


def _gap_separator(chars: list, i: int) -> str:
    """What a whitespace run between two characters becomes: "" or " "."""
    a, b = _char(chars, i - 1), _char(chars, i + 1)
    a_in_number = a.isdigit() or (a in ".," and a != "" and _char(chars, i - 2).isdigit())
    b_in_number = b.isdigit() or (b == "." and _char(chars, i + 2).isdigit())
    if a_in_number and b_in_number:
        if (a == "." and b.isdigit()) or (b == "." and a.isdigit()):
            return ""  # "9. 11"
        if a == "," and _char(chars, i - 2).isdigit() and b.isdigit():
            return ""  # "1, 180.85"
        if a.isdigit() and b.isdigit():
            left, right = _run(chars, i, -1), _run(chars, i, +1)
            before = _char(chars, i - 1 - len(left))
            after = _char(chars, i + 1 + len(right))
            if 1 <= len(left) <= 3 and before != "." and len(right) == 3 and not after.isdigit():
                return ""  # OCR thousands: "1 180.85"
        return " "
    if a.isascii() and a.isalpha() and b.isascii() and b.isalpha():
        return " "
    return ""


# ---------------------------------------------------------------- patterns


@cache
def _compiled() -> dict[str, Any]:
    """The YAML patterns with snippets expanded, compiled once."""
    cfg = load_patterns()
    snippets: dict[str, str] = cfg["snippets"]

    def expand(pattern: str) -> str:
        for _ in range(3):  # snippets may use snippets
            pattern = re.sub(
                r"(?<!\{)\{(\w+)\}(?!\})",
                lambda m: f"(?:{snippets[m.group(1)]})" if m.group(1) in snippets else m.group(0),
                pattern,
            )
        return pattern

    def comp(pattern: str) -> re.Pattern[str]:
        return re.compile(expand(pattern))

    meta, scores, budget = cfg["metadata"], cfg["scores"], cfg["budget"]
    items = budget["items"]
    measures = budget["measures"]
    fillers = "|".join(f"(?:{expand(f)})" for f in budget["fillers"])
    item_alt = "|".join(f"(?P<i{k}>{expand(it['pattern'])})" for k, it in enumerate(items))
    measure_alt = "|".join(f"(?P<m{k}>{expand(ms['pattern'])})" for k, ms in enumerate(measures))
    clause = (
        rf"(?:{fillers})*?(?:(?P<subject>{item_alt})(?:{fillers})*?)?"
        rf"(?:(?P<measure>{measure_alt})(?:{fillers})*)?"
    )
    return {
        "title": [comp(p["pattern"]) for p in meta["title"]],
        "year": [comp(p["pattern"]) for p in meta["year"]],
        "year_any": comp(r"(?P<year>{year})年"),
        "department": [comp(p["pattern"]) for p in meta["department"]],
        "department_fallback": comp(meta["department_fallback"]),
        "grade": [comp(p["pattern"]) for p in meta["grade"]],
        "indicators": [(comp(x["pattern"]), x.get("level")) for x in scores["indicators"]],
        "total_anchors": [comp(re.escape(t)) for t in scores["total_anchors"]],
        "score_phrases": [comp(p["pattern"]) for p in scores["phrases"]],
        "amount": comp(budget["amount"]),
        "enumerator": comp("{enumerator}"),
        "project": comp(budget["project"]),
        "clause": re.compile(clause),
        "any_item": re.compile(item_alt),
        "measure_at_end": re.compile(rf"(?:{measure_alt})(?:{fillers})*$"),
        "items": items,
        "measures": measures,
    }


# ---------------------------------------------------------------- entry point


def extract_prose(lines: list[TextLine], table_rows: Sequence[ScoreFact] = ()) -> ProseFacts:
    """Extract the scores, budget figures and metadata a report states in prose.

    Args:
        lines: the document's text layer (or OCR) in reading order.
        table_rows: the facts the score-table reader made; scores are not read
            from the lines of their table region (``prose_lines``).

    Returns:
        ``ProseFacts`` whose facts carry ``source_page`` and ``printed_text``, amounts
        as printed (``normalize.budgets`` converts them and fixes a 元 meant as 万元);
        conflicting figures come back as warning checks.
    """
    stream = build_stream(lines)
    facts = ProseFacts()
    _extract_metadata(stream, facts)
    kept = prose_lines(lines, table_rows)
    facts.scores = _extract_scores(stream if len(kept) == len(lines) else build_stream(kept))
    facts.budgets, facts.stated_budgets, facts.checks = _extract_budgets(stream)
    facts.checks += verify_prose_numbers(facts)
    return facts


_PRINTED_NUMBER = re.compile(r"\d(?:[\d,，.．\s]*\d)?")


def _printed_numbers(text: str) -> list[Decimal]:
    """Every whole Arabic number the printed text shows (half-width, separators and
    spaces inside a number dropped)."""
    out = []
    for m in _PRINTED_NUMBER.finditer(to_half_width(text)):
        digits = re.sub(r"[\s,]", "", m.group())
        try:
            out.append(Decimal(digits))
        except ArithmeticError:
            continue
    return out


def verify_prose_numbers(facts: ProseFacts) -> list[CheckResult]:
    """Every number read from a sentence, found digit for digit in what it was read from.

    A score or weight must be one of the whole numbers its ``printed_text`` shows; an
    amount (``printed_amount``), the last one (the text ends at the amount). A number
    written in Chinese numerals (九十四分) is not Arabic: where the printed text shows no
    Arabic digit, there is nothing to compare. A miss is a ``prose_number_as_printed``
    error naming the page and both readings: the report is then invalid, never valid
    with a number the page does not print.
    """
    checks = []
    for fact in facts.scores:
        printed = _printed_numbers(fact.printed_text or "")
        for what, value in (("weight", fact.weight), ("score", fact.score)):
            if value is not None and printed and value not in printed:
                checks.append(_prose_miss(fact, f"{fact.printed_name} {what}", value))
    for fact in facts.budgets:
        printed = _printed_numbers(fact.printed_text or "")
        if not printed:
            continue
        if fact.rate is not None:
            value = fact.rate * 100
        elif fact.printed_amount is not None:
            value = fact.printed_amount
        else:
            continue
        if abs(value) != printed[-1]:
            checks.append(_prose_miss(fact, f"{fact.item}/{fact.measure}", abs(value)))
    return checks


def _prose_miss(fact, subject: str, value: Decimal) -> CheckResult:
    return CheckResult(
        "prose_number_as_printed",
        f"page {fact.source_page} {subject}",
        "error",
        False,
        observed=str(value),
        expected=fact.printed_text,
        detail=f"read {value}, the sentence prints 「{fact.printed_text}」",
    )


def prose_lines(lines: list[TextLine], table_rows: Sequence[ScoreFact] = ()) -> list[TextLine]:
    """The lines that are prose for scores: not a table region, not shaped like a row.

    A table region is, on a page the score table read rows from, everything from
    the first line that prints a header word or the start of one of the rows'
    names down to the page's end (only when the lines know their position, i.e.
    a PDF's text layer or OCR). A row-shaped line has ``row_min_cells`` bare
    numbers between names ("预算执行 4 结转结余率 2 考察…"); see
    ``scores.row_cell`` in ``reference/prose_patterns.yaml``.
    """
    cfg = load_patterns()["scores"]
    row_cell = re.compile(cfg["row_cell"])
    n_chars = cfg["table_row_name_chars"]
    starts: dict[int, set[str]] = {}
    for f in table_rows:
        name = to_half_width(f.printed_name or "").replace(" ", "")
        if f.origin == "table" and f.level != 0 and len(name) >= 4:
            starts.setdefault(f.source_page, set(cfg["table_header_words"])).add(name[:n_chars])
    region_top: dict[int, float] = {}
    for line in lines:
        marks = starts.get(line.page)
        if not marks or line.page in region_top or not line.y:
            continue
        text = to_half_width(line.text).replace(" ", "")
        if any(m in text for m in marks):
            region_top[line.page] = line.y
    kept = []
    for line in lines:
        if line.page in region_top and line.y >= region_top[line.page]:
            continue
        if len(row_cell.findall(to_half_width(line.text))) >= cfg["row_min_cells"]:
            continue
        kept.append(line)
    return kept


# ---------------------------------------------------------------- metadata


def _extract_metadata(stream: TextStream, facts: ProseFacts) -> None:
    """Fill title, year, department, grade, district and city from the stream."""
    pats = _compiled()
    text = stream.text

    def first(patterns: list[re.Pattern[str]]) -> re.Match[str] | None:
        for p in patterns:
            m = p.search(text)
            if m:
                return m
        return None

    if m := first(pats["title"]):
        facts.title = stream.printed_between(*m.span("title"))
    if m := first(pats["year"]):
        facts.year_printed = int(parse_number(m.group("year")))
    else:
        years = [m.group("year") for m in pats["year_any"].finditer(text)]
        if years:
            facts.year_printed = int(parse_number(Counter(years).most_common(1)[0][0]))
    if m := first(pats["department"]):
        facts.department_printed = stream.printed_between(*m.span("department"))
    else:
        stop = load_patterns()["metadata"]["department_fallback_stopwords"]
        names = [
            stream.printed_between(*m.span("department"))
            for m in pats["department_fallback"].finditer(text)
            if not any(m.group("department").endswith(w) for w in stop)
        ]
        if names:
            facts.department_printed = Counter(names).most_common(1)[0][0]
    if m := first(pats["grade"]):
        facts.grade_printed = m.group("grade")
    facts.district_printed, facts.city_printed = _find_district(
        text, (facts.title or "") + (facts.department_printed or "")
    )


@cache
def _districts() -> list[tuple[str, str]]:
    """(district, city) pairs from the package's reference table."""
    with files("jixiao").joinpath(DISTRICTS_RESOURCE).open(encoding="utf-8") as fh:
        return [(row["district"], row["city"]) for row in csv.DictReader(fh)]


def _find_district(text: str, heading: str) -> tuple[str | None, str | None]:
    """The district the report is about and its city, as printed.

    Candidates are reference district names found in the text (3+ characters,
    not only as part of a longer district name). Preference: named in the
    title or department name, then most mentioned. The city is returned only
    when the text prints it.
    """
    found = [(d, c) for d, c in _districts() if len(d) >= 3 and d in text]
    names = {d for d, _ in found}
    counts = {}
    for d in names:
        longer = [x for x in names if x != d and d in x]
        n = text.count(d) - sum(text.count(x) for x in longer)
        if n > 0:
            counts[d] = n
    if not counts:
        return None, None
    district = max(counts, key=lambda d: (d in heading, counts[d], -text.find(d)))
    cities = [c for d, c in found if d == district]
    printed_cities = [c for c in cities if c in text]
    return district, (printed_cities[0] if printed_cities else None)


# ---------------------------------------------------------------- scores


@dataclass
class _Anchor:
    start: int
    end: int
    name: str  # printed; "总分" for a total anchor
    level: int | None
    weight: tuple[Decimal, re.Match[str]] | None = None
    score: tuple[Decimal, re.Match[str]] | None = None


def _extract_scores(stream: TextStream) -> list[ScoreFact]:
    """Scores tied to an indicator name or to the report's total.

    A score phrase ("自评得分为 49.4分", "总分 20 分，得分 20 分") belongs to the
    nearest anchor before it, within ``max_gap`` characters; phrases with no
    anchor (e.g. "质量评分均为 10 分") are ignored.
    """
    cfg = load_patterns()["scores"]
    pats = _compiled()
    text = stream.text
    marks = set(cfg["enumeration_marks"])

    candidates: list[_Anchor] = []
    for pattern, level in pats["indicators"]:
        for m in pattern.finditer(text):
            name = stream.printed_between(*m.span())
            candidates.append(_Anchor(m.start(), m.end(), name, level))
    for pattern in pats["total_anchors"]:
        for m in pattern.finditer(text):
            candidates.append(_Anchor(m.start(), m.end(), cfg["total_name"], 0))
    anchors: list[_Anchor] = []
    for a in sorted(candidates, key=lambda a: a.start - a.end):  # longest first
        if any(a.start < b.end and b.start < a.end for b in anchors):
            continue
        before = text[a.start - 1] if a.start else ""
        after = text[a.end] if a.end < len(text) else ""
        if before in marks or after in marks:
            continue  # one of a list: 预算编制、预算执行、…
        anchors.append(a)
    anchors.sort(key=lambda a: a.start)

    phrases: list[re.Match[str]] = []
    for pattern in pats["score_phrases"]:
        for m in pattern.finditer(text):
            if not any(m.start() < p.end() and p.start() < m.end() for p in phrases):
                phrases.append(m)
    for m in sorted(phrases, key=lambda m: m.start()):
        if _is_average(text, m, cfg):
            continue  # an average over projects: no indicator's score, never the total
        owner = None
        for a in anchors:
            if a.end <= m.start() and m.start() - a.end <= cfg["max_gap"]:
                owner = a  # the last one that qualifies is the nearest
        if owner is None:
            continue
        groups = m.groupdict()
        if groups.get("weight") and owner.weight is None:
            owner.weight = (parse_number(groups["weight"]), m)
        if groups.get("score") and owner.score is None:
            value = parse_number(groups["score"])
            if value <= Decimal(cfg["max_score"]):
                owner.score = (value, m)

    merged: dict[str, ScoreFact] = {}
    for a in anchors:
        if a.score is None and a.weight is None:
            continue
        ends = [x[1].end() for x in (a.weight, a.score) if x is not None]
        number_at = (a.score or a.weight)[1].start()  # type: ignore[index]
        fact = merged.get(a.name)
        if fact is None:
            merged[a.name] = ScoreFact(
                printed_name=a.name,
                level=a.level,
                weight=a.weight[0] if a.weight else None,
                score=a.score[0] if a.score else None,
                source_page=stream.page_at(number_at),
                printed_text=stream.printed_between(a.start, max(ends)),
                origin="prose",
            )
        else:  # a later mention may state what the first one did not
            if fact.weight is None and a.weight:
                fact.weight = a.weight[0]
            if fact.score is None and a.score:
                fact.score = a.score[0]
                fact.source_page = stream.page_at(a.score[1].start())
    return list(merged.values())


def _is_average(text: str, m: re.Match[str], cfg: dict) -> bool:
    """Whether a score phrase states an average ("平均得分 99.43 分")."""
    around = text[max(0, m.start() - cfg["average_window"]) : m.end()]
    return any(word in around for word in cfg["average_words"])


# ---------------------------------------------------------------- budgets


@dataclass
class _Candidate:
    fact: BudgetFact
    rank: int
    position: int


@dataclass
class _Walk:
    """The state of the left-to-right walk over clauses (see ``_extract_budgets``)."""

    sentence_item: str | None = None  # what the text talks about; carries to the next sentence
    sentence_start: int = 0
    poisoned: bool = False  # the sentence turned to something that is not an item
    breakdown_parent: str | None = None  # set after 其中: only its children may follow
    breakdown_measure: dict | None = None
    last_measure: dict | None = None

    def end_sentence(self, next_start: int) -> None:
        self.sentence_start = next_start
        self.poisoned = False
        self.breakdown_parent = self.breakdown_measure = self.last_measure = None

    def new_section(self, next_start: int) -> None:
        self.end_sentence(next_start)
        self.sentence_item = None


def _extract_budgets(
    stream: TextStream,
) -> tuple[list[BudgetFact], list[BudgetFact], list[CheckResult]]:
    """Budget figures stated in prose, one per (item, measure).

    The stream is walked clause by clause (clauses end at ``，；：、``, sentences
    at ``。``, sections at list markers). A figure counts only when its whole
    clause reads [item] [measure] with nothing but fillers around them, e.g.
    "2022 年实际支出 242.68 万元" or "“三公”经费一般公共预算 6.91万元"; the item
    otherwise comes from the sentence or section ("（1）基本支出。年度预算 …").
    A clause about something else ("工资福利支出 995.13万元", "占…总额的 87.34%")
    ends the sentence's figures. After "其中", only the item's parts may follow.
    """
    pats = _compiled()
    cfg = load_patterns()["budget"]
    text = stream.text
    parent_of = {it["name"]: it.get("parent") for it in pats["items"]}
    events: list[tuple[int, int, str, re.Match[str] | None]] = []
    amounts = list(pats["amount"].finditer(text))
    taken = [False] * (len(text) + 1)  # characters inside an amount or a list marker
    for m in amounts:
        taken[m.start() : m.end()] = [True] * (m.end() - m.start())
    for m in pats["enumerator"].finditer(text):
        if not any(taken[m.start() : m.end()]):
            events.append((m.start(), m.end(), "section", m))
            taken[m.start() : m.end()] = [True] * (m.end() - m.start())
    for i, ch in enumerate(text):
        if taken[i]:
            continue
        if ch in cfg["sentence_delimiters"]:
            events.append((i, i + 1, "sentence", None))
        elif ch in cfg["clause_delimiters"]:
            events.append((i, i + 1, "clause", None))
    events += [(m.start(), m.end(), "amount", m) for m in amounts]
    events.sort(key=lambda e: e[0])

    walk = _Walk()
    candidates: list[_Candidate] = []
    clause_start = 0
    for start, end, kind, m in events:
        if start < clause_start:
            continue
        clause = text[clause_start:start]
        if kind == "amount":
            cand = _read_amount(stream, walk, clause, m, parent_of)  # type: ignore[arg-type]
            if cand:
                candidates.append(cand)
        else:
            _read_plain_clause(walk, clause, parent_of)
            if kind == "sentence":
                walk.end_sentence(end)
            elif kind == "section":
                walk.new_section(end)
                project = pats["project"].match(text, end)
                if project:
                    walk.sentence_item = stream.printed_between(*project.span("project"))
                    parent_of.setdefault(walk.sentence_item, cfg["project_parent"])
        clause_start = end
    return _select(candidates)


def _item_name(match: re.Match[str]) -> str | None:
    """The canonical item a clause-grammar match names, if any."""
    for k, it in enumerate(_compiled()["items"]):
        if match.group(f"i{k}"):
            return it["name"]
    return None


def _measure_spec(match: re.Match[str]) -> dict | None:
    for k, ms in enumerate(_compiled()["measures"]):
        if match.group(f"m{k}"):
            return ms
    return None


def _is_part_of(item: str, parent: str | None, parent_of: dict[str, str | None]) -> bool:
    while parent_of.get(item):
        item = parent_of[item]  # type: ignore[assignment]
        if item == parent:
            return True
    return False


def _read_plain_clause(walk: _Walk, clause: str, parent_of: dict) -> None:
    """A clause without a figure: it may name the item or open a breakdown (其中)."""
    if walk.poisoned or not clause:
        return
    items = [_item_name(m) for m in _compiled()["any_item"].finditer(clause)]
    items = [i for i in items if i]
    if items:
        if walk.breakdown_parent and not _is_part_of(items[-1], walk.breakdown_parent, parent_of):
            walk.poisoned = True
            return
        walk.sentence_item = items[-1]
    if "其中" in clause and walk.sentence_item:
        walk.breakdown_parent = walk.sentence_item
        walk.breakdown_measure = walk.last_measure


def _read_amount(
    stream: TextStream, walk: _Walk, clause: str, amount: re.Match[str], parent_of: dict
) -> _Candidate | None:
    """Read one figure with the clause before it; None when it is not a budget fact."""
    pats = _compiled()
    if walk.poisoned:
        return None
    parsed = pats["clause"].fullmatch(clause) if len(clause) <= 60 else None
    if parsed is None:
        # Not an item/measure clause: the rest of the sentence is about something else.
        walk.poisoned = True
        if pats["measure_at_end"].search(clause):
            walk.sentence_item = None  # a measure of an unknown item (非税收入预算 0.66万元)
        elif (lead := pats["any_item"].match(clause)) and not walk.breakdown_parent:
            walk.sentence_item = _item_name(lead)  # a heading glued to the figure
        return None
    subject = _item_name(parsed) if parsed.group("subject") else None
    measure = _measure_spec(parsed) if parsed.group("measure") else None
    if subject:
        if walk.breakdown_parent and not _is_part_of(subject, walk.breakdown_parent, parent_of):
            walk.poisoned = True
            return None
        walk.sentence_item = subject
    if "其中" in clause and walk.sentence_item and not walk.breakdown_parent:
        walk.breakdown_parent, walk.breakdown_measure = walk.sentence_item, walk.last_measure
    if measure is None and subject and walk.breakdown_parent:
        measure = walk.breakdown_measure  # "其中，基本支出169.79万元" inherits 支出
    item = subject or walk.sentence_item
    if measure is None or item is None or (measure.get("requires_item") and not subject):
        return None
    unit = amount.group("unit")
    is_rate = measure["measure"] == "execution_rate"
    if is_rate != (unit == "%"):
        return None
    walk.last_measure = measure
    number = amount.group("num")
    value = parse_number(number) * int(measure.get("sign", 1))
    fact = BudgetFact(
        item=item,
        measure=measure["measure"],
        amount_yuan=None,  # normalize.budgets converts (and may fix the unit)
        rate=to_fraction(value) if is_rate else None,
        printed_text=stream.printed_between(walk.sentence_start, amount.end()),
        printed_unit=unit,
        source_page=stream.page_at(amount.start()),
        origin="prose",
        printed_amount=None if is_rate else value,
        printed_number=number,
    )
    return _Candidate(fact, int(measure.get("rank", 0)), amount.start())


def _select(
    candidates: list[_Candidate],
) -> tuple[list[BudgetFact], list[BudgetFact], list[CheckResult]]:
    """One fact per (item, measure), and a budget where only 年初预算 is given.

    The highest-ranked wording wins, then the first; a different figure for the
    same key becomes a ``prose_conflict`` warning. Returns the facts in reading
    order, the stated ones (without the 年初预算 stand-ins, in the order their keys
    first appear) and the warnings.
    """
    checks: list[CheckResult] = []
    chosen: dict[tuple[str, str], _Candidate] = {}
    for cand in candidates:
        key = (cand.fact.item, cand.fact.measure)
        best = chosen.get(key)
        if best is None or cand.rank > best.rank:
            if best is not None and _figure(best) != _figure(cand):
                checks.append(_conflict(key, cand, best))
            chosen[key] = cand
        elif _figure(best) != _figure(cand):
            checks.append(_conflict(key, best, cand))
    stated = [c.fact for c in chosen.values()]
    for (item, measure), cand in list(chosen.items()):
        if measure == "initial_budget" and (item, "budget") not in chosen:
            derived = replace(cand.fact, measure="budget")
            chosen[(item, "budget")] = _Candidate(derived, 0, cand.position)
    ordered = sorted(chosen.values(), key=lambda c: c.position)
    return [c.fact for c in ordered], stated, checks


def _figure(cand: _Candidate) -> Decimal | None:
    """The figure compared between two wordings: the rate, or the amount in yuan
    (1,180.85万元 and 11,808,500元 are one figure)."""
    if cand.fact.measure == "execution_rate":
        return cand.fact.rate
    return to_yuan(cand.fact.printed_amount, cand.fact.printed_unit)  # type: ignore[arg-type]


def _conflict(key: tuple[str, str], kept: _Candidate, other: _Candidate) -> CheckResult:
    return CheckResult(
        check_name="prose_conflict",
        subject=f"{key[0]}/{key[1]}",
        severity="warning",
        passed=False,
        observed=f"{other.fact.printed_number}{other.fact.printed_unit}",
        expected=f"{kept.fact.printed_number}{kept.fact.printed_unit}",
        detail=f"the prose states two figures; kept 「{kept.fact.printed_text}」, "
        f"not 「{other.fact.printed_text}」",
    )
