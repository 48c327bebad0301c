"""A page that prints a score table's header, and no row read from it: never `valid`.

tests/fixtures/fuzz_unread/ holds ``fz0393-writer`` of ``tools/fuzz.py generate --seed
11`` (committed: the test needs no LibreOffice) with its truth: LibreOffice Writer, no
ruling, 8 pt, narrow columns (every header word wraps: 一级指 / 标, 权 / 重, 自评 / 得分),
labels at the bottom of their spans, a narrative page first. No grid came out of its
table pages (Camelot's stream columns put 自评得分 and 扣分原因 in one; ``words_table``
wanted a line with four whole header words), so it loaded as a `valid` narrative report
with only the prose total (94.35), its 26 rows gone without a trace. Now:

* ``score_table_unread``: a header printed and no table read is an error naming the
  page (shown on the document's own lines with no grid, as it was read then);
* ``words_table`` counts header words stacked over two lines, so its 26 rows are read
  (right); the wrapped last level-2 label (运行成 / 本 4, above the total) once lent its
  weight to the total's row (``table_span_unnamed``: invalid, not wrong); a label printed
  above the 总分 row's lines is now the last span's, so the report is read whole: valid.
  It does so only when no other candidate of the page reads as a score table:
  ``fz0109-writer`` of seed 1 (Writer, unruled, 10 pt, labels at the bottom), read
  right by Camelot's candidate, has body lines whose wrapped labels stack into more
  header words than its header, and lost 6 rows when the stacked candidate competed.

The rule must not fire where no score row is right to be absent or where another check
decides: grade-only reports, unfilled forms, MoF forms (department and project), flat
重庆 lists, documents with no table (the samples).
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from pathlib import Path

import fuzzdocs
import pytest

from jixiao.extract.document import assemble, extract_document, unread_table_checks
from jixiao.extract.pdf import open_pdf
from jixiao.extract.tables.pages import header_page
from jixiao.model import DocumentFacts, ScoreFact, TextLine

HERE = Path(__file__).parent / "fixtures"
UNREAD = HERE / "fuzz_unread"
SAMPLES = Path(__file__).parents[1] / "data" / "raw" / "samples"


def _spec(doc: str) -> dict:
    return json.loads((UNREAD / f"{doc}.json").read_text(encoding="utf-8"))


@cache
def fuzz_outcome(doc: str):
    return fuzzdocs.scored(UNREAD, doc)[:2]


def test_the_stacked_header_is_read_and_every_row_right():
    report, rows = fuzz_outcome("fz0393-writer")
    assert rows == ["right"] * 26
    assert [c.detail for c in report.checks if not c.passed and c.severity == "error"] == []
    level2 = [(s.printed_name, s.weight) for s in report.scores if s.level == 2]
    assert level2[-1] == ("运行成本", Decimal("4"))
    assert report.status == "valid"


def test_the_stacked_header_words_do_not_compete_with_a_header_read_whole():
    report, rows = fuzz_outcome("fz0109-writer")
    assert rows == ["right"] * 26
    assert [c.detail for c in report.checks if not c.passed and c.severity == "error"] == []
    assert report.status == "valid"


def test_a_header_with_no_grid_makes_the_report_invalid_naming_the_page():
    """The document as it was read before ``words_table`` read stacked header words:
    its own lines, no grid; through normalisation and the verdict."""
    from jixiao.extract.classify import require_self_evaluation

    path = UNREAD / "fz0393-writer.pdf"
    doc = open_pdf(path)
    lines = doc.text.lines
    doc.close()
    facts = assemble(  # the one assembly asks for the rows of a printed header
        lines, [], True, require_self_evaluation(lines), n_pages=4, source_format="pdf"
    )
    report = fuzzdocs.judged(path, _spec("fz0393-writer")["spec"], facts)
    failed = [c for c in report.checks if not c.passed and c.severity == "error"]
    assert [(c.check_name, c.subject) for c in failed] == [
        ("score_table_unread", "page 2 score table")
    ]
    assert "page 2 prints a score table's header" in failed[0].detail
    assert [f.origin for f in report.scores] == ["prose"]  # the prose total alone
    assert report.status == "invalid"


def test_a_scanned_table_ocr_reads_no_row_of_is_no_valid_report():
    """``fz0393-writer-scan.pdf`` (``tools/make_scans.py unread``): the document's first
    two pages scanned. OCR finds no grid in its unruled table, so no row is read and
    only the prose total (94.35) is. The scanned path assembled the facts without the
    rule and loaded that as a `valid` report; the one assembly now applies it to every
    format."""
    path = UNREAD / "fz0393-writer-scan.pdf"
    facts = extract_document(path)
    assert facts.doc_kind == "scanned"
    assert [(f.origin, f.printed_name, f.score) for f in facts.scores] == [
        ("prose", "总分", Decimal("94.35"))
    ]
    report = fuzzdocs.judged(path, _spec("fz0393-writer")["spec"], facts)
    failed = [c for c in report.checks if not c.passed and c.severity == "error"]
    assert [(c.check_name, c.subject) for c in failed] == [
        ("score_table_unread", "page 2 score table")
    ]
    assert report.status == "invalid"


def _line(text: str, page: int, i: int) -> TextLine:
    return TextLine(page=page, text=text, y=100.0 + 12 * i)


def test_the_header_page_is_the_first_page_printing_a_header_wrapped_or_not():
    prose = [_line("指标体系含一级指标3个、二级指标8个、三级指标26个，总分值100分。", 1, 0)]
    wrapped = [
        _line("一级指 权 二级指 权 三级指 权 自评", 2, 0),
        _line("标 重 标 重 标 重 得分", 2, 1),
    ]
    # a sentence that names the levels and 分值 is no header for the rule (Camelot may look)
    assert header_page(prose) == 1
    assert header_page(prose, tabular=True) is None
    assert header_page(prose + wrapped, tabular=True) == 2
    plain = [_line("一级指标 二级指标 三级指标 分值 得分", 3, 0)]
    assert header_page(prose + plain, tabular=True) == 3


def _facts(scores=(), tables=()) -> DocumentFacts:
    return DocumentFacts(n_pages=3, doc_kind="narrative", scores=list(scores), tables=list(tables))


def test_the_rule_leaves_documents_with_a_table_read_or_no_header_alone():
    prose_total = ScoreFact("总分", 0, None, Decimal("94.35"), 1, "自评得分为94.35分", "prose")
    table_row = ScoreFact("结转结余率", 3, Decimal(2), Decimal(2), 2, "结转结余率 2 2", "table")
    assert unread_table_checks(None, _facts([prose_total])) == []
    assert unread_table_checks(2, _facts([prose_total, table_row])) == []
    # a score table in the lineage with no row: the suite's table_found decides
    assert unread_table_checks(2, _facts([prose_total], [{"role": "score_table"}])) == []
    # a budget block alone is no score table
    (check,) = unread_table_checks(2, _facts([prose_total], [{"role": "budget"}]))
    assert (check.check_name, check.severity, check.passed) == (
        "score_table_unread",
        "error",
        False,
    )


# every format: the rule is the one assembly's (OCR'd samples aside: slow, and the scan
# tests read the 番禺 2024 scan's rows)
QUIET = sorted(
    [
        *(p for p in (HERE / "frameworks").glob("*/*.*")  # grade_only, unfilled, mof-*, …
          if p.suffix in (".pdf", ".docx", ".xlsx", ".html")),
        *(HERE / "formats").glob("*.*"),  # Word, Excel, HTML copies of the samples
        *(p for p in SAMPLES.glob("*.pdf") if "scan" not in p.name),
    ]
)  # fmt: skip


@pytest.mark.parametrize("path", QUIET, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_it_does_not_fire_where_rows_were_read_or_none_are_printed(path):
    facts = extract_document(path)
    assert [c.detail for c in facts.checks if c.check_name == "score_table_unread"] == []
