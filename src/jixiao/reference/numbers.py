"""Numbers and amounts as Chinese reports print them, parsed exactly.

Everything returns ``Decimal``: a float never touches an amount. Unit words
and Chinese numerals come from ``reference/prose_patterns.yaml``.

Examples:
    >>> parse_number("１２３，４５６．７８")
    Decimal('123456.78')
    >>> parse_amount("11,887.73万元")
    (Decimal('11887.73'), '万元')
    >>> to_yuan(Decimal("11887.73"), "万元")
    Decimal('118877300.00')
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from typing import Any

from jixiao.reference import load_yaml

PATTERNS_FILE = "prose_patterns.yaml"
CENT = Decimal("0.01")

_ARABIC = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d*)?|\.\d+")


@cache
def load_patterns() -> dict[str, Any]:
    """The phrasing knowledge (units, numerals, prose patterns), read once."""
    return load_yaml(PATTERNS_FILE)


def to_half_width(text: str) -> str:
    """Map full-width ASCII (１２３，．％（）) and the ideographic space to ASCII."""
    out = []
    for ch in text:
        code = ord(ch)
        if 0xFF01 <= code <= 0xFF5E:
            out.append(chr(code - 0xFEE0))
        elif code == 0x3000:
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def money_units() -> dict[str, Decimal]:
    """Money unit word → yuan per unit (元 1, 万元 10000, 亿元 100000000)."""
    return {word: Decimal(str(n)) for word, n in load_patterns()["units"]["money"].items()}


def _unit_words() -> list[tuple[str, str]]:
    """(printed word, canonical unit) pairs, longest word first."""
    units = load_patterns()["units"]
    pairs = [(w, w) for w in units["money"]]
    pairs += [(to_half_width(w), "%") for w in units["percent"]]
    pairs += [(w, w) for w in units["score"]]
    return sorted(pairs, key=lambda p: -len(p[0]))


def parse_number(text: str) -> Decimal:
    """Parse one printed number into an exact Decimal.

    Accepts full-width digits and punctuation, thousands separators (``,``/``，``),
    spaces inside the number (OCR: "1 180.85", "9. 11"), a leading sign, a
    trailing percent sign (the number is returned as printed: "98.82%" → 98.82)
    and Chinese numerals (九十四, 一百, 二〇二二, 九十四点五).

    Raises:
        ValueError: when ``text`` is not a number.
    """
    cfg = load_patterns()["numbers"]
    s = "".join(to_half_width(text).split())
    for mark in load_patterns()["units"]["percent"]:
        mark = to_half_width(mark)
        if s.endswith(mark):
            s = s[: -len(mark)]
            break
    sign = 1
    if s and s[0] in {to_half_width(m) for m in cfg["minus_signs"]}:
        sign, s = -1, s[1:]
    elif s and s[0] in {to_half_width(m) for m in cfg["plus_signs"]}:
        s = s[1:]
    if not s:
        raise ValueError(f"not a number: {text!r}")
    if _ARABIC.fullmatch(s):
        try:
            value = Decimal(s.replace(",", ""))
        except InvalidOperation as exc:  # pragma: no cover - the regex admits only digits
            raise ValueError(f"not a number: {text!r}") from exc
    else:
        value = _parse_chinese(s, text)
    return -value if sign < 0 else value


def _parse_chinese(s: str, original: str) -> Decimal:
    """九十四 → 94, 一百零五 → 105, 二〇二二 → 2022, 九十四点五 → 94.5."""
    cfg = load_patterns()["numbers"]
    digits: dict[str, int] = cfg["chinese_digits"]
    units: dict[str, int] = cfg["chinese_units"]
    big: dict[str, int] = cfg["chinese_big_units"]
    whole, _, frac = s.partition(cfg["chinese_point"])
    allowed = set(digits) | set(units) | set(big)
    if not whole or any(ch not in allowed for ch in whole) or any(ch not in digits for ch in frac):
        raise ValueError(f"not a number: {original!r}")
    if all(ch in digits for ch in whole):  # read digit by digit: 二〇二二
        integer = int("".join(str(digits[ch]) for ch in whole))
    else:
        total = section = current = 0
        for ch in whole:
            if ch in digits:
                current = digits[ch]
            elif ch in units:
                section += (current or 1) * units[ch]
                current = 0
            else:
                total += (section + current) * big[ch]
                section = current = 0
        integer = total + section + current
    fraction = "".join(str(digits[ch]) for ch in frac)
    return Decimal(f"{integer}.{fraction}") if fraction else Decimal(integer)


def parse_amount(text: str) -> tuple[Decimal, str]:
    """Split a printed amount into its value and unit.

    Returns:
        ``(value, unit)`` where unit is the printed unit word (元, 万元, 亿元, 分)
        or ``"%"``; ``""`` when none is printed. "11,887.73万元" → (11887.73, "万元").

    Raises:
        ValueError: when the part before the unit is not a number.
    """
    s = "".join(to_half_width(text).split())
    for word, unit in _unit_words():
        if s.endswith(word) and len(s) > len(word):
            return parse_number(s[: -len(word)]), unit
    return parse_number(s), ""


def to_yuan(value: Decimal, unit: str) -> Decimal:
    """Convert an amount in 元/万元/亿元 to yuan, rounded to the cent.

    Raises:
        ValueError: for a unit that is not a money unit.
    """
    units = money_units()
    if unit not in units:
        raise ValueError(f"not a money unit: {unit!r} (known: {', '.join(units)})")
    return (Decimal(value) * units[unit]).quantize(CENT, rounding=ROUND_HALF_UP)


def to_fraction(percent: Decimal) -> Decimal:
    """A printed percentage as a fraction, exactly: 98.82 → 0.9882."""
    return Decimal(percent).scaleb(-2)
