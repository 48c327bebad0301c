"""Cell text helpers shared by the table modules."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import cache

from jixiao.reference import load_yaml
from jixiao.reference.numbers import parse_number

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
