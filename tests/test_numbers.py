"""Number and unit parsing (jixiao.reference.numbers)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jixiao.reference.numbers import parse_amount, parse_number, to_fraction, to_yuan

FULL_WIDTH = str.maketrans("0123456789.,%", "０１２３４５６７８９．，％")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("11,887.73", "11887.73"),
        ("１２３，４５６．７８", "123456.78"),  # full-width digits and punctuation
        ("1 180.85", "1180.85"),  # OCR: a space for the thousands separator
        ("9. 11", "9.11"),  # OCR: a space after the point
        ("21766.40", "21766.40"),
        ("-356.04", "-356.04"),
        ("−356.04", "-356.04"),  # U+2212 minus
        ("+6,671.69", "6671.69"),
        ("98.82%", "98.82"),
        ("98.82％", "98.82"),
        ("0.00", "0"),
        ("九十四", "94"),
        ("一百", "100"),
        ("一百零五", "105"),
        ("十", "10"),
        ("二〇二二", "2022"),
        ("九十四点五", "94.5"),
        ("一万二千", "12000"),
    ],
)
def test_parse_number(text: str, expected: str) -> None:
    assert parse_number(text) == Decimal(expected)


@pytest.mark.parametrize("garbage", ["", "  ", "abc", "1,2", "12,34.5", "1.2.3", "万元", "%", "-"])
def test_parse_number_rejects_garbage(garbage: str) -> None:
    with pytest.raises(ValueError, match="not a number"):
        parse_number(garbage)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [  # strings as the seed reports print them
        ("11,887.73万元", "11887.73", "万元"),
        ("1,180.85元", "1180.85", "元"),
        ("17,865.48 元", "17865.48", "元"),
        ("2.19亿元", "2.19", "亿元"),
        ("98.82%", "98.82", "%"),
        ("100％", "100", "%"),
        ("94 分", "94", "分"),
        ("99.5分", "99.5", "分"),
        ("600 万元", "600", "万元"),
        ("3308.06", "3308.06", ""),
    ],
)
def test_parse_amount(text: str, value: str, unit: str) -> None:
    assert parse_amount(text) == (Decimal(value), unit)


def test_to_yuan_and_fraction() -> None:
    assert to_yuan(Decimal("11887.73"), "万元") == Decimal("118877300.00")
    assert to_yuan(Decimal("2.19"), "亿元") == Decimal("219000000")
    assert to_yuan(Decimal("1180.855"), "元") == Decimal("1180.86")  # to the cent, half up
    assert to_yuan(Decimal("-356.04"), "万元") == Decimal("-3560400")
    assert to_fraction(Decimal("98.82")) == Decimal("0.9882")
    assert to_fraction(Decimal("100")) == 1
    with pytest.raises(ValueError, match="not a money unit"):
        to_yuan(Decimal(1), "%")


# -------------------------------------------------------------- properties

UNIT_EXPONENT = {"元": 0, "万元": 4, "亿元": 8}


def _render(value: Decimal, style: str) -> str:
    """Print a non-negative Decimal the way one of the reports would."""
    plain = format(value, "f")
    grouped = format(value, ",f")
    if style == "plain":
        return plain
    if style == "thousands":
        return grouped
    if style == "full_width":
        return grouped.translate(FULL_WIDTH).replace(",", "，")
    if style == "ocr_spaces":  # "1 180.85", "9. 11"
        return grouped.replace(",", " ").replace(".", ". ")
    raise AssertionError(style)


@given(
    cents=st.integers(min_value=0, max_value=10**13),
    unit=st.sampled_from(list(UNIT_EXPONENT)),
    style=st.sampled_from(["plain", "thousands", "full_width", "ocr_spaces"]),
    space_before_unit=st.booleans(),
)
def test_any_printed_form_parses_to_the_same_yuan(
    cents: int, unit: str, style: str, space_before_unit: bool
) -> None:
    yuan = Decimal(cents).scaleb(-2)
    in_unit = yuan.scaleb(-UNIT_EXPONENT[unit])  # exact: a power-of-ten shift
    printed = _render(in_unit, style) + (" " if space_before_unit else "") + unit
    value, parsed_unit = parse_amount(printed)
    assert parsed_unit == unit
    assert to_yuan(value, parsed_unit) == yuan


@given(
    st.decimals(
        allow_nan=False, allow_infinity=False, places=4, min_value=-(10**9), max_value=10**9
    )
)
def test_plain_decimals_round_trip(value: Decimal) -> None:
    assert parse_number(format(value, "f")) == value
    assert parse_number(format(value, ",f").translate(FULL_WIDTH)) == value


@given(st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=0, max_value=1000))
def test_percent_to_fraction(percent: Decimal) -> None:
    value, unit = parse_amount(f"{percent}%")
    assert unit == "%"
    assert to_fraction(value) * 100 == percent
