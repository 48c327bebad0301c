"""Unruled tables (issue 12): budget blocks without rules, numbers wrapped without a
separator, on committed fuzzer PDFs (tests/fixtures/fuzz) and on lines placed by hand."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from functools import cache
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from jixiao.extract.tables.budget import parse_budget_block
from jixiao.extract.tables.budget_words import budget_words_grid
from jixiao.extract.tables.grid import Line, join_stacked_numbers
from jixiao.normalize.budgets import in_yuan

FUZZ = Path(__file__).parent / "fixtures" / "fuzz"


def words_budget(doc: str):
    pdf = pdfium.PdfDocument(str(FUZZ / f"{doc}.pdf"))
    try:
        grids = [budget_words_grid(pdf[p].get_textpage(), p + 1) for p in range(len(pdf))]
    finally:
        pdf.close()
    return [g for g in grids if g is not None]


@pytest.mark.parametrize(
    "doc",
    [
        "fz0003-chromium",  # no rules, nested header (部门预算 › 基本支出 / 项目支出), 万元
        "fz0011-chromium",  # horizontal rules only, nested header, narrow columns, 元
        "fz0035-chromium",  # no rules, nested, narrow, the unit wrapped: 总预算 (万 / 元)
    ],
)
def test_an_unruled_budget_block_is_read_from_its_words(doc):
    truth = json.loads((FUZZ / f"{doc}.json").read_text(encoding="utf-8"))["truth"]["budget"]
    grids = words_budget(doc)
    assert len(grids) == 1
    facts = {f.item: f.amount_yuan for f in in_yuan(parse_budget_block(grids))}
    assert facts == {
        "部门预算": Decimal(truth["总预算"]),
        "基本支出": Decimal(truth["基本支出"]),
        "项目支出": Decimal(truth["项目支出"]),
    }
    # every figure keeps the box it was read from: verify checks it against the page
    assert all(box is not None for box in grids[0].boxes[1])


def test_a_budget_block_without_a_score_table_below_is_not_read():
    """The block belongs to the 自评表 only above its score header; a page of prose
    quoting 总预算 is left to the prose reader."""
    pdf = pdfium.PdfDocument(str(FUZZ / "fz0031-chromium.pdf"))
    try:  # page 1 prints the block, its score table starts on page 2
        assert budget_words_grid(pdf[0].get_textpage(), 1) is None
    finally:
        pdf.close()


ROLES = {"name_l3": [0], "weight:name_l3": [1], "score": [2]}


def line(col: int, y: float, text: str, width: float, height: float = 7.0) -> Line:
    return Line(col, y, height, text, width)


def texts(lines: list[Line], col: int) -> list[str]:
    return [ln.text for ln in lines if ln.col == col]


def test_a_number_wrapped_without_separator_is_read_whole():
    """20 in a 分值 cell one CJK character wide (Writer, 7 mm): 2 over 0, its score
    printed once between them."""
    lines = [
        line(1, 575, "权", 10.0, 10.0),
        line(1, 503, "2", 5.6),
        line(2, 496, "20", 11.1),
        line(1, 489, "0", 5.6),
    ]
    assert texts(join_stacked_numbers(lines, ROLES), 1) == ["权", "20"]


def test_two_rows_one_line_apart_stay_two_numbers():
    """2 over 1, each with its own score beside it: two rows, never 21."""
    lines = [
        line(1, 575, "权", 10.0, 10.0),
        line(1, 503, "2", 5.6),
        line(2, 503, "2", 5.6),
        line(1, 489, "1", 5.6),
        line(2, 489, "1", 5.6),
    ]
    assert texts(join_stacked_numbers(lines, ROLES), 1) == ["权", "2", "1"]


def test_numbers_that_would_fit_the_cell_are_not_joined():
    """10 over 4 where the column prints 分值 (wider than 104): no wrap made them."""
    lines = [line(1, 575, "分值", 20.0, 10.0), line(1, 503, "10", 10.3), line(1, 489, "4", 5.6)]
    assert texts(join_stacked_numbers(lines, ROLES), 1) == ["分值", "10", "4"]


def test_a_parent_weight_column_is_never_joined():
    """A merged parent's 分值 column prints two spans' numbers one line apart (3 over 4:
    预算编制 at the bottom of its span, 预算执行 at the top of its own)."""
    roles = {**ROLES, "name_l2": [3], "weight:name_l2": [4]}
    lines = [line(4, 575, "权", 10.0, 10.0), line(4, 216, "3", 5.6), line(4, 202, "4", 5.6)]
    assert texts(join_stacked_numbers(lines, roles), 4) == ["权", "3", "4"]


def test_the_totals_wrapped_weight_beside_its_label_is_read_whole():
    """100 in the narrow 分值 column of 一级指标, wrapped 10 over 0 on the 总分 row (its
    label printed beside the lower piece): one number, however wide the header."""
    roles = {**ROLES, "name_l1": [3], "weight:name_l1": [4]}
    lines = [
        line(4, 575, "分值", 20.0, 10.0),
        line(3, 431, "管理效能", 30.0),
        line(4, 431, "50", 10.3),
        line(4, 415, "10", 10.3),
        line(3, 402, "总分", 15.0),
        line(4, 402, "0", 5.6),
    ]
    assert texts(join_stacked_numbers(lines, roles), 4) == ["分值", "50", "100"]


def test_a_parent_weight_beside_a_label_that_is_not_the_total_stays_apart():
    """The same two lines beside 运行成本 (a level-1 label): two spans' numbers, never 100."""
    roles = {**ROLES, "name_l1": [3], "weight:name_l1": [4]}
    lines = [
        line(4, 575, "分值", 20.0, 10.0),
        line(4, 415, "10", 10.3),
        line(3, 402, "运行成本", 30.0),
        line(4, 402, "0", 5.6),
    ]
    assert texts(join_stacked_numbers(lines, roles), 4) == ["分值", "10", "0"]


@cache
def fuzz_module():
    sys.path.insert(0, str(Path(__file__).parents[1] / "tools"))
    import fuzz

    return fuzz


@pytest.mark.parametrize(
    "doc",
    [
        "fz0087-chromium",  # ruled between rows only: a 3-line name beside a 2-line one
        "fz0187-chromium",  # ruled rows, unmerged labels; the legend's 80 under 分值
        "fz0309-writer",  # ruled rows: 管理效 / 率 wrapped in its merged cell
        "fz0415-chromium",  # the header alone at the bottom of page 1: no gutters to find
        "fz0421-writer",  # no rules: 1 / 0 joined, as tall as two lines, beside its score
        "fz0199-chromium",  # no rules: the total's 10 / 0 and 99. / 4 above 总分
    ],
)
def test_seed_1_layouts_read_whole(doc, tmp_path):
    """Documents of the fuzzer's seed 1 that were flagged (every row right or the report
    invalid) before these layouts were read: now every row is right and the report
    valid (tests/fixtures/fuzz/s1, with the truth the generator wrote)."""
    record = json.loads((FUZZ / "s1" / f"{doc}.json").read_text(encoding="utf-8"))
    report = fuzz_module().read_document(FUZZ / "s1" / f"{doc}.pdf", record["spec"], tmp_path)
    rows = fuzz_module().score_rows(report, record["truth"])
    assert report.status == "valid", report.status_reason
    assert rows == ["right"] * len(record["truth"]["rows"])
