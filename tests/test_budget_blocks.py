"""年度部门预算 blocks the fuzzer's seed 1 left unread, each read now or flagged.

tests/fixtures/budget_blocks/ holds six documents of ``tools/fuzz.py generate --seed 1``,
one of ``--seed 11`` (with a copy cut by hand) and four of ``--seed 12``
(LibreOffice Calc and headless Chromium; committed, so this test needs neither) with
their truth written by the generator (``<id>.json``). One per class of miss:

* ``fz0143-chromium``: the block at the bottom of page 1, the score header at the top
  of page 2 (a browser moved the table to the next page): read from page 1's words;
* ``fz0036-calc``: 基本支出 wraps in its narrow cell (``基本支`` / ``出``) and the tail
  ``出`` spills into the figure's cell, which reads ``333.05 出``;
* ``fz0112-calc``: the figure wraps (``28,41`` / ``9.61``) past its clipped cell and the
  label's cell reads ``基本 / 支出 / 2841``: the cells read nothing, the words whole;
* ``fz0332-calc``: the tail ``出`` is printed over the figure's first line
  (``2,8出80,2``) of a figure wrapped over three lines;
* ``fz0483-chromium``: ``总预算（万`` / ``元）`` wraps beside the next label 基本支出
  (the unit was looked for in ``总预算（万基本支出元）``);
* ``fz0004-calc``: 基本支出's label and its 13-digit figure are cut into pieces no
  reading can join: not read, and the report is invalid (never a piece as the figure);
* ``fz0160-calc`` (seed 11, fully ruled, nested 元 block): 总预算's 13,849,425.11 wraps
  over three lines of its narrow ruled cell (``13,849`` / ``,425.1`` / ``1``), the first
  line straddling the cell's top rule, and the comma of ``13,849`` sits on the line
  below its digits in the words' lines: it was loaded as 13,849 in a valid report;
* ``fz0160-calc-cut``: the same page with the text objects ``,425.1`` and ``1`` removed
  (pypdfium2: ``page.remove_obj`` of the two text objects inside the 总预算 figure cell
  below y 697, then ``gen_content``), so only ``13,849`` is printed: the block does not
  add up and 13,849 is a piece of 13,849,425.11 (``budget_figure_clipped``): invalid;
* ``s12-fz0308-calc`` (seed 12, no rules, nested 万元 block): Calc centres each line of a
  cell by its glyphs, so ``基`` sits 3 pt above ``本支出`` and the page's lines cut the
  label in two (``区本`` / ``级`` / ``资`` / ``金`` alternate likewise): no label was found
  whole and the block's three figures were not read at all (a valid report without them);
* ``s12-fz0060-calc`` (seed 12, ruled, nested 元): the last line of 总预算's wrapped figure
  (``9`` of ``18,526`` / ``,874.8`` / ``9``) is clipped by the cell's bottom rule, printed
  in the text layer across the rule: the cell holds it, the box's words did not (an
  error); and the label cell above 项目支出's figure holds the figure's first line
  (``项目支`` / ``出`` / ``15006``), so its tail ``出`` was not taken off the figure;
* ``s12-fz0448-calc`` (seed 12, ruled, nested 元, narrow): the point of ``.15`` sits under
  the cell's bottom rule and the cell's text lost it (``26857`` / ``37569`` / ``15``):
  flagged; the box's words and the label's stacked words both read 2685737569.15;
* ``s12-fz0344-calc`` (seed 12, no rules, nested 元, narrow): the figure's first line sits
  beside the wrapped label's last (``项目支`` / ``出``, 4 pt above ``555,4``): it was left
  out of the figure, whose rest (``10,043.35``) was flagged as a piece;
* ``s14-fz0044-calc`` (seed 14, the round's unseen seed: ruled between rows, nested 元,
  8 pt, portrait): 总预算 and 项目支出 wrap over three lines (``3,160,`` / ``686,07`` /
  ``9.80``); the comma ending the first line sits low, on the next glyph line, just
  right of its digits, so it was not put back, and alone it stood as a "label" above the
  figure's other lines, which it took from 总预算: 3,160 and 2,433 元 loaded for
  3,160,686,079.80 and 2,433,728,281.45 in a valid report (the block sum is a warning);
* ``fz0028-calc`` of the committed fuzz sample (``tests/fixtures/fuzz/``, seed 2026):
  总预算 (元) wraps over three lines (``总预`` / ``算(元`` / ``)``) and 项目支出 over two,
  above the first label printed whole, and both figures wrap past their clipped cells.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

import fuzzdocs
import pytest

from jixiao.extract.tables.budget import (
    figure_or_none,
    readings_disagree,
    reconcile_budget,
    without_label_tails,
)
from jixiao.extract.tables.grid import Grid

HERE = Path(__file__).parent / "fixtures" / "budget_blocks"
READ_WHOLE = ["fz0143-chromium", "fz0036-calc", "fz0112-calc", "fz0332-calc", "fz0483-chromium",
              "fz0028-calc", "fz0160-calc", "s12-fz0308-calc", "s12-fz0448-calc",
              "s12-fz0344-calc", "s14-fz0044-calc"]  # fmt: skip


def folder(doc: str) -> Path:
    return HERE if (HERE / f"{doc}.pdf").exists() else HERE.parent / "fuzz"


@cache
def reading(doc: str):
    """(report, truth) of one fixture, read as ingest reads it (extract → normalize →
    judge)."""
    report, rec = fuzzdocs.read(folder(doc), doc)
    return report, rec["truth"]


def figures(report) -> dict[str, Decimal]:
    return {b.item: b.amount_yuan for b in report.budgets if b.measure == "budget"}


@pytest.mark.parametrize("doc", READ_WHOLE)
def test_block_read_whole_and_as_printed(doc):
    report, truth = reading(doc)
    want = {
        "部门预算": Decimal(truth["budget"]["总预算"]),
        "基本支出": Decimal(truth["budget"]["基本支出"]),
        "项目支出": Decimal(truth["budget"]["项目支出"]),
    }
    got = figures(report)
    assert {k: got.get(k) for k in want} == want
    assert all(b.origin == "table" for b in report.budgets if b.measure == "budget")
    failed = [c.detail for c in report.checks if not c.passed and c.severity == "error"]
    assert failed == []
    assert report.status == "valid"
    block_sum = next(c for c in report.checks if c.check_name == "budget_block_sum")
    assert block_sum.passed


def test_a_figures_line_clipped_by_its_rule_is_read_whole():
    """s12-fz0060-calc: 总预算's last line ``9`` and 项目支出's last line ``6`` print across
    their cells' bottom rule; the cells and the label's stacked words read them, so the
    figures are read whole and no number check names them. (The report is invalid for
    two cells of its score table, not the block's.)"""
    report, truth = reading("s12-fz0060-calc")
    want = {
        "部门预算": Decimal(truth["budget"]["总预算"]),
        "基本支出": Decimal(truth["budget"]["基本支出"]),
        "项目支出": Decimal(truth["budget"]["项目支出"]),
    }
    assert figures(report) == want
    failed = [c for c in report.checks if not c.passed and c.severity == "error"]
    assert not [c for c in failed if c.check_name == "budget_figure_clipped"]
    assert not [c for c in failed if any(d in (c.detail or "") for d in ("18,526", "15,006"))]
    assert next(c for c in report.checks if c.check_name == "budget_block_sum").passed


def test_block_on_the_page_before_is_read_from_that_page():
    report, _ = reading("fz0143-chromium")
    assert {b.source_page for b in report.budgets if b.measure == "budget"} == {1}
    header_page = min(f.source_page for f in report.scores if f.origin == "table")
    assert header_page == 2


def test_figures_cut_past_every_reading_are_not_read_and_flagged():
    report, truth = reading("fz0004-calc")
    got = figures(report)
    assert "基本支出" not in got  # its pieces (4,927 · 221 · ,221,) are never the figure
    assert got["部门预算"] == Decimal(truth["budget"]["总预算"])  # read whole from the words
    assert got["项目支出"] == Decimal(truth["budget"]["项目支出"])
    assert report.status == "invalid"
    assert any(
        c.check_name == "table_number_as_printed" and not c.passed and c.severity == "error"
        for c in report.checks
    )


def test_a_figure_wrapped_in_its_ruled_cell_is_read_whole():
    report, _ = reading("fz0160-calc")
    total = next(b for b in report.budgets if b.item == "部门预算" and b.measure == "budget")
    assert total.amount_yuan == Decimal("13849425.11")
    assert total.printed_text == "总预算(元): 13,849 ,425.1 1"  # the ruled cell's three lines
    assert not [c for c in report.checks if c.check_name == "budget_figure_clipped"]


def test_the_words_put_a_low_comma_back_among_its_digits():
    """Placed by position, the comma of ``13,849`` falls on the line below its digits;
    put back, the three lines make one figure (it read ``13849`` before)."""
    import pypdfium2 as pdfium

    from jixiao.extract.tables.budget_words import budget_words_grid

    pdf = pdfium.PdfDocument(str(HERE / "fz0160-calc.pdf"))
    grid = budget_words_grid(pdf[0].get_textpage(), 1)
    assert grid.rows == [
        ["总预算(元)", "基本支出", "项目支出"],
        ["13,849,425.11", "5,539,770.04", "8,309,655.07"],
    ]


def test_a_separator_ending_a_figures_line_goes_back_to_it(monkeypatch):
    """s14-fz0044-calc's ``3,160,`` over ``686,07`` over ``9.80``: the comma right of the
    digits is theirs; without it (as read before) the lines do not join and the cell
    holds the pieces, flagged, never the first line as the figure."""
    import pypdfium2 as pdfium

    import jixiao.extract.tables.budget_words as budget_words

    pdf = pdfium.PdfDocument(str(HERE / "s14-fz0044-calc.pdf"))
    page = pdf[0].get_textpage()
    assert budget_words.budget_words_grid(page, 1).rows[1] == [
        "3,160,686,079.80", "726,957,798.35", "2,433,728,281.45",
    ]  # fmt: skip
    monkeypatch.setattr(budget_words, "TOUCH", -1.0)  # a touching separator left alone
    assert budget_words.budget_words_grid(page, 1).rows[1] == [
        "3,160\n686,07\n9.80", "726,957,798.35", "2,433\n728,28\n1.45",
    ]  # fmt: skip
    assert figure_or_none("3,160\n686,07\n9.80") is None


def test_a_figure_read_as_a_piece_of_the_one_that_adds_up_is_an_error():
    report, _ = reading("fz0160-calc-cut")
    clipped = [c for c in report.checks if c.check_name == "budget_figure_clipped"]
    assert [(c.subject, c.severity, c.passed, c.expected) for c in clipped] == [
        ("部门预算", "error", False, "13,849,425.11")
    ]
    assert clipped[0].detail.startswith("总预算(元): 13,849 (page 1)")
    assert report.status == "invalid"


@pytest.mark.parametrize(
    ("text", "value"),
    [("13,849\r\n,425.1\r\n1", Decimal("13849425.11")), ("8,309,\n655.07", Decimal("8309655.07")),
     ("5,539,770.04 ", Decimal("5539770.04")), ("4,927\n221", None), ("333.05\n出", None),
     ("", None)],
)  # fmt: skip
def test_a_figure_cells_lines_join_only_into_one_well_formed_number(text, value):
    assert figure_or_none(text) == value


def _fact(item: str, text: str):
    from jixiao.extract.tables.text import number_or_none
    from jixiao.model import BudgetFact

    return BudgetFact(item=item, measure="budget", amount_yuan=None, rate=None,
                      printed_text=f"{item}(元): {text}", printed_unit="元", source_page=1,
                      origin="table", source_location="table 1 row 4 column 2",
                      printed_amount=number_or_none(text))  # fmt: skip


@pytest.mark.parametrize(
    ("total", "base", "clipped"),
    [("13849", "5,539,770.04", [("部门预算", "13,849,425.11")]),  # a prefix
     ("425.11", "5,539,770.04", [("部门预算", "13,849,425.11")]),  # a suffix
     ("13,849,425.11", "5,539", [("基本支出", "5,539,770.04")]),  # a part clipped
     ("13,894,425.11", "5,539,770.04", []),  # digits swapped: a typo, a warning only
     ("0.00", "5,539,770.04", []),  # nothing printed, not a piece
     ("13,849,425.11", "5,539,770.04", [])],  # adds up
)  # fmt: skip
def test_a_block_that_does_not_add_up_by_a_piece_is_clipped(total, base, clipped):
    checks = reconcile_budget(
        [_fact("部门预算", total), _fact("基本支出", base), _fact("项目支出", "8,309,655.07")]
    )
    errors = [(c.subject, c.expected) for c in checks if c.check_name == "budget_figure_clipped"]
    assert errors == clipped
    assert all(c.severity == "error" and not c.passed for c in checks if c.severity == "error")
    block_sum = next(c for c in checks if c.check_name == "budget_block_sum")
    assert block_sum.severity == "warning"
    assert block_sum.passed == (total == "13,849,425.11" and base == "5,539,770.04")


def _grid(rows: list[list[str]], flavor: str = "lattice") -> Grid:
    return Grid(page=1, rows=rows, top_edges=None, flavor=flavor, parsing_report={})


def test_a_labels_spilled_tail_is_not_part_of_the_figure():
    grid = _grid(
        [["总预算 (万元)", "部门预算\n基本支", ""], ["", "基本支\n出", "项目支出"],
         ["832.62", "333.05\n出", "499.57"]]
    )  # fmt: skip
    without_label_tails(grid)
    assert grid.rows[2] == ["832.62", "333.05", "499.57"]
    other = _grid([["总预算 (万元)", "部门预算\n基本支", ""], ["", "基本支\n出", "项目支出"],
                   ["832.62", "333.05\n金", "499.57"]])  # fmt: skip
    without_label_tails(other)
    assert other.rows[2][1] == "333.05\n金"  # not the label's: the cell stays unread


def test_two_readings_of_a_ruled_block_that_disagree_are_an_error():
    """The cells hold the first line of a figure wrapped past its cell (4,927 of
    4,927,221,441.72); the words placed by position read it whole: an error with both."""
    cells = _grid([["总预算（元）", "基本支出", "项目支出"], ["8,351,222,782.58", "4,927", "1.00"]])
    words = _grid(
        [
            ["总预算（元）", "基本支出", "项目支出"],
            ["8,351,222,782.58", "4,927,221,441.72", "1.00"],
        ],
        flavor="words",
    )
    issues = readings_disagree(cells, words)
    assert [(i.row, i.col, i.read, i.printed, i.why) for i in issues] == [
        (1, 1, "4,927", "4,927,221,441.72", "two_readings")
    ]


def _page(tmp_path: Path, lines: list[tuple[float, float, str]]) -> Path:
    """A one-page PDF printing each (x, y, text) in STSong-Light (reportlab)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "page.pdf"
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    c.setFont("STSong-Light", 10)
    for x, y, text in lines:
        c.drawString(x, y, text)
    c.save()
    return path


BLOCK = [(60, 130, "总预算（万元）"), (170, 130, "基本支出"), (260, 130, "项目支出"),
         (70, 110, "832.62"), (175, 110, "333.05"), (265, 110, "499.57")]  # fmt: skip


@pytest.mark.parametrize(
    ("below", "read"),
    [([], [["总预算（万元）", "基本支出", "项目支出"], ["832.62", "333.05", "499.57"]]),
     ([(290, 40, "— 3 —")], [["总预算（万元）", "基本支出", "项目支出"],
                             ["832.62", "333.05", "499.57"]]),
     ([(60, 80, "注：以上为上年度决算数，单位万元。")], None)],
    ids=["last on the page", "a page number below", "text below"],
)  # fmt: skip
def test_a_block_on_the_page_before_is_read_only_when_last_on_it(tmp_path, below, read):
    """The page before the score header: its block is read only when nothing but a page
    number follows its figures (a narrative's 决算 table prints 基本支出 too)."""
    import pypdfium2 as pdfium

    from jixiao.extract.tables.budget_words import budget_words_grid

    pdf = pdfium.PdfDocument(str(_page(tmp_path, BLOCK + below)))
    grid = budget_words_grid(pdf[0].get_textpage(), 1, before_table=True)
    assert (grid.rows if grid else None) == read
    assert budget_words_grid(pdf[0].get_textpage(), 1) is None  # no score header below


@pytest.mark.parametrize(
    ("text", "key"),
    [("总预算（万元）", "总预算"), ("总预算(万", "总预算"), ("总预算 (元\n)", "总预算"),
     ("基本支出", "基本支出"), ("总预算(万基本支出元)", "总预算")],
)  # fmt: skip
def test_one_key_for_a_budget_label_also_with_its_unit_cut_by_a_wrap(text, key):
    """``budget.label_key`` serves the cells and the words alike: the unit in brackets
    removed, and a unit cut by a wrap (``总预算(万``, the words' line of a wrapped label)."""
    from jixiao.extract.tables.budget import is_budget, label_key

    assert label_key(text) == key
    assert is_budget(_grid([["", text]]))
