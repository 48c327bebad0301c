"""Which pages hold the score table, from the text layer (Camelot runs only on those)."""

from __future__ import annotations

import re

from jixiao.extract.tables.headers import NAME_LEVELS
from jixiao.extract.tables.text import headers
from jixiao.model import TextLine

MAX_TABLE_PAGES = 6


def table_pages(lines: list[TextLine]) -> list[int]:
    """Pages that hold the score table: from its header page to its total or grade row
    (at most six pages), and the pages of any MoF form (``form_pages``)."""
    spec = headers()
    end_words = spec["total_labels"][:1] + spec["grade_labels"][:1]
    start = header_page(lines)
    if start is None:
        return []
    chosen = []
    for page in sorted({line.page for line in lines if line.page >= start})[:MAX_TABLE_PAGES]:
        chosen.append(page)
        text = "".join(re.sub(r"\s", "", line.text) for line in lines if line.page == page)
        if any(w in text for w in end_words):
            break
    return sorted(set(chosen) | set(form_pages(lines, end_words)))


# A sentence's punctuation: a table's header cells print none of it.
SENTENCE = re.compile(r"[，。；、！？]")


def header_page(lines: list[TextLine], *, tabular: bool = False) -> int | None:
    """The first page that prints a score table's header, or None.

    A header is a line that prints two level-name headers (一级指标, 二级指标,
    三级指标) with a 分值 or score header on it, on the line above or on the next
    two lines (a header wrapped in a narrow column prints 分 above the line and 值
    below it: its characters count), or a flat list's header: prose that mentions
    二级指标 in a sentence does not qualify. ``tabular``: a line that prints a
    sentence's punctuation (一级指标4个、二级指标10个，总分值100分) is no header either
    (for a rule that makes a report invalid; for choosing Camelot's pages a page
    too many costs only time).
    """
    spec = headers()
    # a narrow column wraps its header (一级指 / 标, 一级 / 指标): the first two characters count
    names = list(dict.fromkeys(w[:2] for role in NAME_LEVELS for w in spec["roles"][role]))
    others = spec["roles"]["weight"] + spec["roles"]["score"]
    squeezed = [re.sub(r"\s", "", line.text) for line in lines]
    for i, line in enumerate(lines):
        if tabular and SENTENCE.search(line.text):
            continue
        lo = max(0, i - 1)
        window = "".join(
            t
            for t, ln in zip(squeezed[lo : i + 3], lines[lo : i + 3], strict=False)
            if ln.page == line.page
        )
        if sum(w in squeezed[i] for w in names) >= 2 and any(
            w in window or set(w) <= set(window) for w in others
        ):
            return line.page
        if _flat_header(squeezed[i], window, spec):
            return line.page
    return None


def _flat_header(line: str, window: str, spec: dict) -> bool:
    """A flat list's header (指标名称 │ 是否核心指标 │ 权重 │ … │ 得分): its name word on the
    line, a weight word and a score word on it or the lines around it (a word's
    characters count too: some text layers repeat pieces of a word, 指标名标名称, and a
    narrow column wraps one, 自评得 / 分)."""
    roles = spec["roles"]

    def found(words: list[str], text: str) -> bool:
        return any(w in text or set(w) <= set(text) for w in words)

    return (
        found(roles.get("name_flat", []), line)
        and found(roles["weight"], window)
        and found(roles["score"], window)
    )


# Words every page of a MoF form's start prints (its budget-execution block's header).
FORM_WORDS = ("年初预算数", "全年执行数", "一级指标")
MAX_FORM_PAGES = 60


def form_pages(lines: list[TextLine], end_words: list[str] | None = None) -> list[int]:
    """Pages of the Ministry of Finance forms (部门整体 / 项目支出绩效自评表): a document may
    attach several, one after the other. A page that starts a form prints its
    budget-execution header and 一级指标; a form without its 总分 on that page goes on
    to the next page."""
    end_words = end_words or headers()["total_labels"][:1]
    text = {}
    for line in lines:
        text[line.page] = text.get(line.page, "") + re.sub(r"\s", "", line.text)
    chosen: list[int] = []
    pages = sorted(text)
    for i, page in enumerate(pages):
        if not all(w in text[page] for w in FORM_WORDS):
            continue
        chosen.append(page)
        for nxt in pages[i + 1 : i + 3]:  # continued: at most two more pages
            if any(w in text[chosen[-1]] for w in end_words):
                break
            chosen.append(nxt)
    return sorted(set(chosen))[:MAX_FORM_PAGES]
