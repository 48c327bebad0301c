"""Figures stated in prose (jixiao.extract.prose), checked against the seed reports.

Each seed is read twice: split into lines as published, and re-wrapped at 30
characters a line (never inside a number), to prove the extraction does not
depend on where the text layer breaks its lines.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from jixiao.extract.prose import ProseFacts, build_stream, extract_prose
from jixiao.model import BudgetFact, TextLine
from jixiao.normalize.budgets import normalize_budgets
from jixiao.reference.numbers import to_yuan

SEEDS = Path(__file__).parent / "fixtures" / "seeds"
SAMPLES = Path(__file__).parent.parent / "data" / "raw" / "samples"
LAYOUTS = ["published", "rewrapped_30"]


def seed_lines(name: str) -> list[TextLine]:
    """A seed as text-layer lines; a run of 3+ blank lines is a page break."""
    (path,) = SEEDS.glob(f"{name}_*.txt")
    raw = path.read_text(encoding="utf-8")
    raw = re.sub(r"</?b>", "", raw).replace("**", "")  # markdown from the conversion
    raw = re.sub(r"(?m)^#+\s*", "", raw)
    pages = re.split(r"\n[ \t]*\n[ \t]*\n[ \t]*\n", raw)
    return [
        TextLine(page=n, text=line)
        for n, page in enumerate(pages, 1)
        for line in page.split("\n")
        if line.strip()
    ]


def rewrap(lines: list[TextLine], width: int) -> list[TextLine]:
    """The same pages broken every ``width`` characters, as a typesetter would
    (never inside a run of digits or Latin letters)."""
    out = []
    for page in sorted({line.page for line in lines}):
        text = " ".join(line.text for line in lines if line.page == page)
        current = ""
        for ch in text:
            current += ch
            if len(current) >= width and not re.match(r"[0-9A-Za-z.,%]", ch):
                out.append(TextLine(page, current))
                current = ""
        if current:
            out.append(TextLine(page, current))
    return out


def read(lines: list[TextLine]) -> ProseFacts:
    """The prose's facts as the pipeline keeps them: read as printed, then the amounts
    in yuan with the unit fixes the siblings prove (``normalize.budgets``)."""
    f = extract_prose(lines)
    f.budgets, unit_checks = normalize_budgets(f.budgets, f.stated_budgets)
    f.checks += unit_checks
    return f


@cache
def facts(name: str, layout: str) -> ProseFacts:
    lines = seed_lines(name)
    return read(lines if layout == "published" else rewrap(lines, 30))


def wan(text: str) -> Decimal:
    return to_yuan(Decimal(text), "万元")


def budget_table(f: ProseFacts) -> dict[tuple[str, str], Decimal | None]:
    return {
        (b.item, b.measure): (b.rate if b.measure == "execution_rate" else b.amount_yuan)
        for b in f.budgets
    }


def scores_by_name(f: ProseFacts) -> dict[str, tuple[Decimal | None, Decimal | None, int | None]]:
    return {s.printed_name: (s.weight, s.score, s.level) for s in f.scores}  # type: ignore[misc]


def pages_with(name: str, needle: str) -> set[int]:
    """Pages of a seed whose text (spaces and line breaks removed) contains ``needle``."""
    lines = seed_lines(name)
    return {
        p
        for p in {line.page for line in lines}
        if needle in re.sub(r"\s", "", "".join(x.text for x in lines if x.page == p))
    }


# ------------------------------------------------------------------ stream


def test_stream_joins_words_and_numbers_broken_by_layout_or_ocr() -> None:
    lines = [
        TextLine(1, "（2）项目支出。年度预算 20,585.55万元，支出 17,865.48"),
        TextLine(2, "元，完成预算的 86.79%。部 门预算 1 180.85 万元，9. 11 亿条"),
        TextLine(2, "１２３，４５６．７８元\t11,887.73 3308.06 AI 语音 Word Excel"),
    ]
    s = build_stream(lines)
    assert s.text == (
        "(2)项目支出。年度预算20,585.55万元,支出17,865.48元,完成预算的86.79%。"
        "部门预算1180.85万元,9.11亿条123,456.78元\t11,887.73 3308.06AI语音Word Excel"
    )
    assert len(s.text) == len(s.printed) == len(s.pages)
    assert s.printed.startswith("（2）项目支出。")  # printed characters are kept
    at = s.text.index("17,865.48元")
    assert s.page_at(at) == 1 and s.page_at(at + len("17,865.48")) == 2


def test_page_furniture_is_dropped() -> None:
    s = build_stream([TextLine(1, "支出"), TextLine(1, "— 5 —"), TextLine(2, "4,482.88万元")])
    assert s.text == "支出4,482.88万元"


# ------------------------------------------------------------------ 黄埔区 2022


@pytest.mark.parametrize("layout", LAYOUTS)
def test_huangpu_2022_table_document_gives_only_metadata(layout: str) -> None:
    f = facts("001", layout)
    assert f.year_printed == 2022
    assert f.department_printed == "广州市黄埔区政务服务数据管理局（广州开发区行政审批局）"
    assert (f.district_printed, f.city_printed) == ("黄埔区", "广州市")
    assert f.scores == [] and f.budgets == [] and f.checks == []


# ------------------------------------------------------------------ 坡头区 2022


@pytest.mark.parametrize("layout", LAYOUTS)
def test_potou_2022(layout: str) -> None:
    f = facts("002", layout)
    assert f.year_printed == 2022  # 评价年度, not 填报日期 2023
    assert f.department_printed == "坡头区政务服务数据管理局本级"
    assert (f.district_printed, f.city_printed) == ("坡头区", "湛江市")
    assert f.title == "整体绩效自评报告"
    assert f.grade_printed is None
    assert scores_by_name(f) == {"总分": (None, Decimal(96), 0)}
    assert budget_table(f) == {
        ("部门预算", "actual"): wan("229.63"),
        ("基本支出", "actual"): wan("169.79"),
        ("项目支出", "actual"): wan("59.84"),
        ("部门预算", "budget"): wan("229.63"),  # 财政预算收入
        ("部门预算", "execution_rate"): Decimal(1),
    }
    assert f.checks == []


# ------------------------------------------------------------------ 白云区 2022

BAIYUN_PROJECTS = {
    # name: 年初预算, 年中调减, 调整后预算, 实际支出, 执行率, as printed (the 1st does not add up)
    "信息化项目管理经费": ("600", "356.04", "343.96", "242.68", "99.48"),
    "智慧白云一期项目经费": ("1588.88", "103.20", "1485.68", "1485.68", "100"),
    "智慧白云建设经费": ("2739.46", "2661.17", "78.29", "78.29", "100"),
    "信息化运维经费": ("659.72", "349.79", "309.93", "309.93", "100"),
    "信息化项目合同存量款项": ("5900.51", "2797.33", "3103.18", "3103.18", "100"),
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_baiyun_2022(layout: str) -> None:
    f = facts("003", layout)
    assert (f.year_printed, f.grade_printed) == (2022, "优")
    assert f.department_printed == "广州市白云区政务服务数据管理局"
    assert (f.district_printed, f.city_printed) == ("白云区", "广州市")
    assert scores_by_name(f) == {
        "总分": (None, Decimal("99.5"), 0),
        "部门整体绩效目标产出指标完成情况": (Decimal(20), Decimal(20), None),
        "部门整体绩效目标效益指标完成情况": (Decimal(20), Decimal(20), None),
        "部门整体绩效目标满意度指标完成情况": (Decimal(10), Decimal(10), None),
        "管理效率": (Decimal(50), Decimal("49.5"), 1),
    }
    expected = {
        ("部门预算", "initial_budget"): wan("8463.23"),
        ("部门预算", "budget"): wan("8463.23"),  # only 年初预算 is given
        ("部门预算", "actual"): wan("8363.23"),
        ("部门预算", "execution_rate"): Decimal("0.9882"),
    }
    for name, (initial, cut, budget, actual, rate) in BAIYUN_PROJECTS.items():
        expected[(name, "initial_budget")] = wan(initial)
        expected[(name, "adjustment")] = -wan(cut)
        expected[(name, "budget")] = wan(budget)
        expected[(name, "actual")] = wan(actual)
        expected[(name, "execution_rate")] = Decimal(rate) / 100
    assert budget_table(f) == expected
    assert f.checks == []


# ------------------------------------------------------------------ 番禺区 2023


@pytest.mark.parametrize("layout", LAYOUTS)
def test_panyu_2023_scores(layout: str) -> None:
    f = facts("004", layout)
    assert (f.year_printed, f.grade_printed) == (2023, "优")
    assert f.department_printed == "广州市番禺区政务服务数据管理局"
    assert (f.district_printed, f.city_printed) == ("番禺区", "广州市")
    assert f.title == "广州市番禺区政务服务数据管理局2023年部门整体支出绩效自评报告"
    assert scores_by_name(f) == {
        "总分": (None, Decimal("94.4"), 0),
        "履职效能": (Decimal(50), Decimal("49.4"), 1),
        "管理效能": (Decimal(50), Decimal(45), 1),  # mapped to 管理效率 later
        "部门整体绩效目标产出指标完成情况": (None, Decimal(10), None),
        "部门整体绩效目标效益指标完成情况": (None, Decimal(10), None),
        "部门预算资金支出率": (None, Decimal("4.4"), None),
        "专项效能": (None, Decimal(25), None),
    }
    assert all(s.origin == "prose" for s in f.scores)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_panyu_2023_budgets(layout: str) -> None:
    f = facts("004", layout)
    assert budget_table(f) == {
        ("部门预算", "initial_budget"): wan("15094.71"),
        ("部门预算", "adjustment"): wan("6671.69"),
        ("部门预算", "budget"): wan("21766.40"),
        ("部门预算", "actual"): wan("18977.96"),
        ("部门预算", "execution_rate"): Decimal("0.8719"),
        ("基本支出", "budget"): wan("1180.85"),  # printed 元, corrected
        ("基本支出", "actual"): wan("1112.47"),
        ("基本支出", "execution_rate"): Decimal("0.9421"),
        ("项目支出", "budget"): wan("20585.55"),
        ("项目支出", "actual"): wan("17865.48"),  # printed 元, corrected
        ("项目支出", "execution_rate"): Decimal("0.8679"),
        ("三公经费", "budget"): wan("6.91"),
        ("三公经费", "actual"): wan("4.03"),
        ("三公经费", "execution_rate"): Decimal("0.5832"),
        ("因公出国（境）经费", "budget"): Decimal(0),
        ("因公出国（境）经费", "actual"): Decimal(0),
        ("公务用车购置及运行维护费", "budget"): wan("5.70"),
        ("公务用车购置及运行维护费", "actual"): wan("3.52"),
        ("公务接待费", "budget"): wan("1.21"),
        ("公务接待费", "actual"): wan("0.51"),
        ("“数字政府”建设专项资金", "budget"): wan("507.74"),
        ("“数字政府”建设专项资金", "actual"): wan("428.54"),
        ("“数字政府”建设专项资金", "execution_rate"): Decimal("0.8440"),
        ("业务办公用房经费", "budget"): wan("3308.92"),
        ("业务办公用房经费", "actual"): wan("3251.80"),
        ("业务办公用房经费", "execution_rate"): Decimal("0.9827"),
    }


@pytest.mark.parametrize("layout", LAYOUTS)
def test_panyu_2023_unit_corrections_are_flagged(layout: str) -> None:
    f = facts("004", layout)
    by_key = {(b.item, b.measure): b for b in f.budgets}
    corrected = {k for k, b in by_key.items() if b.unit_corrected}
    assert corrected == {("基本支出", "budget"), ("项目支出", "actual")}
    basic = by_key[("基本支出", "budget")]
    assert basic.printed_unit == "元" and "1,180.85元" in basic.printed_text
    assert by_key[("项目支出", "actual")].printed_unit == "元"
    assert by_key[("基本支出", "actual")].printed_unit == "万元"
    checks = {(c.check_name, c.subject): c for c in f.checks}
    assert set(checks) == {
        ("unit_corrected", "基本支出/budget"),
        ("unit_corrected", "项目支出/actual"),
    }
    c = checks[("unit_corrected", "基本支出/budget")]
    assert (c.severity, c.observed, c.expected) == ("warning", "1,180.85元", "1,180.85万元")
    assert "21,766.40万元" in (c.detail or "")
    c = checks[("unit_corrected", "项目支出/actual")]
    assert (c.observed, c.expected) == ("17,865.48元", "17,865.48万元")
    assert "18,977.96万元" in (c.detail or "")


def test_unit_is_not_corrected_without_arithmetic_proof() -> None:
    lines = [
        TextLine(1, "2023年，我部门全年预算数 21766.40万元。"),
        TextLine(1, "（1）基本支出。年度预算 1,180.85元，主要用于人员支出。"),
    ]
    f = read(lines)
    basic = next(b for b in f.budgets if b.item == "基本支出")
    assert (basic.amount_yuan, basic.printed_unit, basic.unit_corrected) == (
        Decimal("1180.85"),
        "元",
        False,
    )
    (check,) = f.checks
    assert (check.check_name, check.subject, check.severity) == (
        "unit_suspect",
        "基本支出/budget",
        "warning",
    )
    assert "do not prove" in (check.detail or "")


# ------------------------------------------------------------------ 番禺区 2024 (OCR)


@pytest.mark.parametrize("layout", LAYOUTS)
def test_panyu_2024_ocr(layout: str) -> None:
    f = facts("000", layout)
    assert (f.year_printed, f.grade_printed) == (2024, "优")
    assert f.department_printed == "区政务服务和数据管理局"
    assert (f.district_printed, f.city_printed) == ("番禺区", "广州市")
    assert scores_by_name(f) == {
        "总分": (None, Decimal(94), 0),
        "履职效能": (None, Decimal(49), 1),
        "管理效率": (None, Decimal(45), 1),
    }
    assert f.budgets == []  # "政务服务质量评分均为 10 分", "好评率 99.9%" are not facts


# ------------------------------------------------------------------ lineage


PRINTED_NUMBER = re.compile(r"[\d,]+(?:\.\d+)?(?=\s*(?:万元|亿元|元|%))")


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("name", ["002", "003", "004"])
def test_budget_facts_point_at_the_page_that_prints_them(name: str, layout: str) -> None:
    for b in facts(name, layout).budgets:
        assert b.origin == "prose" and b.printed_unit in {"元", "万元", "%"}
        number = PRINTED_NUMBER.findall(b.printed_text)[-1]
        assert b.source_page in pages_with(name, number + b.printed_unit[:1]), b


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("name", ["000", "002", "003", "004"])
def test_score_facts_point_at_the_page_that_prints_them(name: str, layout: str) -> None:
    for s in facts(name, layout).scores:
        assert s.origin == "prose" and s.printed_name
        assert s.level == 0 or s.printed_name in s.printed_text
        assert s.source_page in pages_with(name, f"{s.score}分"), s
    if name == "004":
        assert {s.printed_name: s.source_page for s in facts(name, layout).scores}["总分"] == 8


def test_facts_are_the_same_at_any_line_width() -> None:
    def key(f: ProseFacts) -> tuple:
        return (
            [(s.printed_name, s.weight, s.score, s.source_page) for s in f.scores],
            [_budget_key(b) for b in f.budgets],
            [(c.check_name, c.subject) for c in f.checks],
            (f.title, f.year_printed, f.department_printed, f.district_printed, f.grade_printed),
        )

    for name in ["000", "001", "002", "003", "004"]:
        lines = seed_lines(name)
        expected = key(read(lines))
        for width in (7, 13, 51):
            assert key(read(rewrap(lines, width))) == expected, (name, width)


def _budget_key(b: BudgetFact) -> tuple:
    return (b.item, b.measure, b.amount_yuan, b.rate, b.source_page, b.unit_corrected)


# ------------------------------------------------------------------ real text layers


@pytest.mark.parametrize(("pdf", "seed"), [("panyu-2023", "004"), ("baiyun-2022", "003")])
def test_pdf_text_layer_gives_the_same_facts_as_the_seed(pdf: str, seed: str) -> None:
    path = SAMPLES / f"{pdf}.pdf"
    if not path.exists():
        pytest.skip(f"sample {path} not present")
    pdfium = pytest.importorskip("pypdfium2")
    doc = pdfium.PdfDocument(str(path))
    lines = [
        TextLine(n + 1, line)
        for n in range(len(doc))
        for line in doc[n].get_textpage().get_text_range().splitlines()
        if line.strip()
    ]
    f = read(lines)
    seed_facts = facts(seed, "published")
    assert budget_table(f) == budget_table(seed_facts)
    assert scores_by_name(f) == scores_by_name(seed_facts)
    assert [(c.check_name, c.subject) for c in f.checks] == [
        (c.check_name, c.subject) for c in seed_facts.checks
    ]
    assert (f.year_printed, f.department_printed, f.district_printed) == (
        seed_facts.year_printed,
        seed_facts.department_printed,
        seed_facts.district_printed,
    )
