"""Rows of a table ruled between its rows whose span labels sit at the bottom of their
spans, and the 评价等级 legend under the total.

tests/fixtures/span_rows/ holds a document of ``tools/fuzz.py generate --seed 11`` and
four of ``--seed 12`` (Writer, reportlab; committed: the test needs no LibreOffice) with
their truth (``<id>.json``):

* ``s11-fz0094-reportlab`` (horizontal rules only, labels at the bottom of their spans):
  履职效能 50 / 整体效能 50 print in the last row of their three-row span, right above the
  rule over 管理效率 50 / 预算编制 3, which print in their one-row span. The label's ruled
  cell holds three rows, none of them nearest to it, so it went to the nearest row across
  the rule: one row read ``履职效能管理效率`` and ``5050`` and the report was invalid
  with every row flagged.
* ``s12-fz0209-writer`` (no rules): the total's score wraps (``98.3`` / ``1``) in the 得分
  column, and the legend's wide lines below it made the column look wide enough for
  98.31, so the pieces were not joined: 98.3 and a row ``1``. The legend is cut off the
  grid's lines before numbers are joined (``grid.legend_cut``).
* ``s12-fz0165-writer`` (no rules): 评价等级's 评 falls left of the first column, so the
  legend was read into the rows above; and 三公's score ``2``, a row above the total's
  ``87.`` / ``56``, was joined to it (``287.56``): a number joined from two lines is
  measured from its first line (``grid._one_line_apart``). Every row and the total are
  right; the report is invalid only because the generator printed 优 under 87.56.
* ``s12-fz0086-reportlab`` (no rules): √ is printed over 评价等级 (``评价等√级优``): the
  row names no grade label and no mark precedes a grade; known by its grade range.
* ``s12-fz0205-writer`` (no rules, header repeated): on the last page a stream reading
  glued the header's last line to the first row (``一级指标 │ 分值 │ 二级指标 │ 分值 │
  资产收益上缴的及时性 │ 1``, ``三级指标`` left on a row above) and won on Camelot's
  accuracy once the legend no longer cost it a row; a candidate whose row prints three
  header words and a number now loses (``reading.header_with_numbers``).
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path

import fuzzdocs
import pytest

from jixiao.extract.tables.grid import (
    Grid,
    Line,
    _body_rows,
    _one_line_apart,
    bands,
    is_legend,
    legend_cut,
    legend_printed,
)
from jixiao.extract.tables.reading import header_with_numbers

HERE = Path(__file__).parent / "fixtures" / "span_rows"


def test_a_spans_label_at_its_bottom_stays_in_its_own_ruled_cell():
    report, rows, _budget, _truth = fuzzdocs.scored(HERE, "s11-fz0094-reportlab")
    assert rows == ["right"] * 26
    names = {f.printed_name for f in report.scores}
    assert "履职效能管理效率" not in names and {"履职效能", "管理效率"} <= names
    assert [c.detail for c in report.checks if not c.passed and c.severity == "error"] == []
    assert report.status == "valid"


@cache
def reading(doc: str):
    report, rows, _budget, truth = fuzzdocs.scored(HERE, doc)
    return report, rows, truth


def failed(report) -> list[str]:
    return [c.check_name for c in report.checks if not c.passed and c.severity == "error"]


@pytest.mark.parametrize(
    ("doc", "errors"),
    [("s12-fz0209-writer", []), ("s12-fz0086-reportlab", []),
     ("s12-fz0165-writer", ["grade_matches_total"])],
)  # fmt: skip
def test_the_legend_closes_the_table_and_the_total_is_read(doc, errors):
    report, rows, truth = reading(doc)
    assert rows == ["right"] * len(truth["rows"])
    total = next(f for f in report.scores if f.level == 0)
    assert total.score == Decimal(truth["total"])
    assert not any("≤" in (f.printed_name or "") for f in report.scores)
    assert failed(report) == errors


def test_a_header_glued_to_the_first_row_is_not_the_reading_chosen():
    report, rows, truth = reading("s12-fz0205-writer")
    assert rows == ["right"] * len(truth["rows"])
    assert not any("三级指标" in (f.printed_name or "") for f in report.scores)


def test_three_header_words_and_a_number_in_one_row():
    head = ["一级指标", "分值", "二级指标", "分值"]
    glued = Grid(page=5, rows=[["", "", "", "", "三级指标", "分值"],
                               [*head, "资产收益上缴的及时性", "1"]],
                 top_edges=None, flavor="stream", parsing_report={})  # fmt: skip
    whole = Grid(page=5, rows=[[*head, "三级指标", "分值"],
                               ["", "", "", "", "资产收益上缴的及时性", "1"]],
                 top_edges=None, flavor="words", parsing_report={})  # fmt: skip
    assert header_with_numbers(glued) and not header_with_numbers(whole)


def test_a_joined_number_is_one_line_from_its_first_line_only():
    """三公's ``2`` (183.4) over the total's ``97.`` / ``2`` joined (centre 160.1, 18.3 tall:
    first line at 166): a row pitch, not a line pitch, above it. Two single lines one
    line apart stay one line apart."""
    total = Line(6, 160.1, 18.3, "97.2", 17.8)
    assert not _one_line_apart(Line(6, 183.4, 6.5, "2", 4.9), total)
    assert _one_line_apart(Line(6, 166.9, 6.5, "97.", 12.9), Line(6, 154.5, 6.5, "2", 4.9))
    assert _one_line_apart(Line(6, 179.3, 6.5, "1", 4.9), Line(6, 160.1, 18.3, "00", 9.8))


ROLES = {"name_l3": [0], "weight:name_l3": [1], "score": [2]}
COLUMNS = [(0.0, 200.0), (200.0, 230.0), (230.0, 400.0)]


def _line(col: int, y: float, text: str) -> Line:
    return Line(col, y, 9.0, text, 6.0 * len(text))


def test_the_legend_closes_the_table_as_one_last_row():
    """The legend's label lost its first glyph left of the first column (``价等级：``, so
    it names no grade label) and no number of it falls in a number column: it was no row
    of its own, and its lines were read into the total's row (``总分价等级``, the score
    ``98.60分≤得分…``; ``良8`` / ``920分≤`` in the fuzz readings). Cut off before the rows
    are read (``text_grid`` makes it one last row), with its wrapped second line."""
    lines = [
        _line(0, 700, "产出指标完成情况"), _line(1, 700, "20"), _line(2, 700, "20"),
        _line(0, 690, "总分"), _line(1, 690, "100"), _line(2, 690, "98.6"),
        _line(0, 680, "价等级："), _line(1, 680, "√优9"),
        _line(2, 680, "0分≤得分≤100分；□良80分≤得分<90分"),
        _line(0, 670, "分<60分"),
    ]  # fmt: skip
    assert [is_legend(b) for b in bands(lines)] == [False, False, True, False]
    above, legend = legend_cut(lines)
    assert [ln.text for ln in legend] == [
        "价等级：", "√优9", "0分≤得分≤100分；□良80分≤得分<90分", "分<60分"
    ]  # fmt: skip
    rows, _boxes, _edges = _body_rows(bands(above), ROLES, COLUMNS, continues=False)
    assert rows == [["产出指标完成情况", "20", "20"], ["总分", "100", "98.6"]]
    # read with the rows, the legend's lines join the total's
    rows, _boxes, _edges = _body_rows(bands(lines), ROLES, COLUMNS, continues=False)
    assert rows[1][0].startswith("总分价等级")


def test_a_legend_row_is_known_by_its_grade_range():
    """seed 12 fz0086-reportlab: the mark √ is printed over 评价等级 (``评价等√级优``), so the
    row names no grade label and no mark precedes a grade; its range closes the table."""
    cells = ["评价等√级优", "90分≤得分", "≤100分；□良80分≤得", "分<9", "0分；", "□中60分≤得分<80分"]
    assert legend_printed(cells)
    assert not legend_printed(["“三公”经费控制情况", "2", "考察“三公”经费控制情况", "2"])
