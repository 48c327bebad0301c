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


def name_and_weight(text: str) -> tuple[str, str]:
    """A name cell that prints its level's weight (``决策（15分）``, ``决策(15)``) → the name
    and the weight's text; other cells → the text and ``""``. The patterns are data
    (``name_weight`` in ``reference/table_headers.yaml``)."""
    squeezed = re.sub(r"\s+", "", clean(text))
    for pattern in headers().get("name_weight", []):
        if m := re.fullmatch(pattern, squeezed):
            return m.group("name"), m.group("weight")
    return clean(text), ""
