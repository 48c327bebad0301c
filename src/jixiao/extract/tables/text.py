"""Cell text helpers shared by the table modules."""

from __future__ import annotations

import contextlib
import re
import weakref
from decimal import Decimal, InvalidOperation
from functools import cache

from jixiao.normalize.numbers import parse_number
from jixiao.reference import load_yaml

_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f“”‘’"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")


@cache
def headers() -> dict:
    """``reference/table_headers.yaml``: header words, total/grade labels, budget labels."""
    return load_yaml("table_headers.yaml")


def clean(text: object) -> str:
    """Cell text on one line: a line break inside CJK text joins without a space."""
    return _CJK_GAP.sub("", re.sub(r"\s+", " ", str(text or "")).strip())


def number_or_none(text: str) -> Decimal | None:
    """A cell's number, or None when the cell is not a plain number."""
    text = clean(text)
    if not text or not re.fullmatch(r"[-+]?[\d,，.\s．０-９]+", text):
        return None
    try:
        return parse_number(text)
    except (ValueError, InvalidOperation):
        return None


_GLYPHS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
Box = tuple[float, float, float, float]


def page_glyphs(textpage) -> list[tuple[str, Box, Box]]:
    """PDFium's printed characters of a page, spaces left out: (char, glyph box, advance
    box), each box (left, bottom, right, top). Read once per text page (PDFium's per-char
    calls are most of a ruled page's reading time) and shared by every step."""
    try:
        return _GLYPHS[textpage]
    except (KeyError, TypeError):
        pass
    n = textpage.count_chars()
    whole = textpage.get_text_range(0, n) if n else ""
    out = []
    for i in range(n):
        ch = whole[i] if len(whole) == n else textpage.get_text_range(i, 1)
        if not ch.strip():
            continue
        out.append((ch, textpage.get_charbox(i), textpage.get_charbox(i, loose=True)))
    with contextlib.suppress(TypeError):
        _GLYPHS[textpage] = out
    return out
