"""One PDF → ``DocumentFacts``: text layer, score table (Camelot) and prose.

This is the code that runs inside an isolated worker process (see
``jixiao.extract.worker``): it parses untrusted PDFs with native code. Pages
without a usable text layer are OCR'd (``jixiao.extract.scanned``).
"""

from __future__ import annotations

from pathlib import Path

from jixiao.errors import NotASelfEvaluation, UnreadableText
from jixiao.extract import score_table
from jixiao.extract.ocr import image_only_pages
from jixiao.extract.pdf import read_pdf
from jixiao.extract.prose import extract_prose
from jixiao.model import BudgetFact, DocumentFacts, TextLine

# Words one of which every self-evaluation report prints (data would be nicer,
# but this is the document-kind gate, kept next to the code that raises).
REPORT_MARKERS = ("绩效自评", "自评报告", "自评表", "绩效评价", "自评得分", "自评分")
# More control characters than this share of the text: glyphs without Unicode.
UNMAPPED_LIMIT = 0.05


def require_report_markers(lines: list[TextLine]) -> None:
    """Raise ``NotASelfEvaluation`` unless the text prints one of ``REPORT_MARKERS``."""
    full_text = "".join(line.text for line in lines).replace(" ", "")
    if not any(marker in full_text for marker in REPORT_MARKERS):
        raise NotASelfEvaluation(
            "not a performance self-evaluation report: none of "
            f"{', '.join(REPORT_MARKERS)} appears in its text"
        )


def extract_document(path: str | Path) -> DocumentFacts:
    """Read one PDF into facts as printed (not yet normalized or validated).

    Raises:
        DocumentError: not a PDF, truncated, encrypted, damaged, text without
            Unicode mapping, or not a self-evaluation report.
    """
    pdf = read_pdf(path)
    if scanned_pages := image_only_pages(pdf):
        from jixiao.extract.scanned import extract_scanned  # OCR: only when needed

        return extract_scanned(path, pdf, scanned_pages)
    if pdf.unmapped_share > UNMAPPED_LIMIT:
        raise UnreadableText(
            f"unreadable text layer: {pdf.unmapped_share:.0%} of its characters are glyph "
            "ids with no Unicode mapping ((cid:…)); the figures cannot be read from it"
        )
    require_report_markers(pdf.lines)
    pages = score_table.table_pages(pdf.lines)
    tables = score_table.read_tables(path, pages)
    table, lineage = score_table.parse_score_tables(tables)
    prose = extract_prose(pdf.lines)
    table_facts = score_table.to_facts(table) if table.rows else []
    budgets = merge_budgets(score_table.parse_budget_block(tables), prose.budgets)
    return DocumentFacts(
        n_pages=pdf.n_pages,
        doc_kind="score_table" if table.rows and not _has_narrative(pdf, pages) else "narrative",
        title=prose.title,
        department_name=prose.department_printed,
        district_printed=prose.district_printed,
        year_printed=prose.year_printed,
        grade_printed=table.grade or prose.grade_printed,
        scores=table_facts + prose.scores,
        budgets=budgets,
        checks=list(prose.checks) + table.checks,
        tables=lineage,
    )


def merge_budgets(table: list[BudgetFact], prose: list[BudgetFact]) -> list[BudgetFact]:
    """The table's budget figures, plus the prose figures the table does not have."""
    keys = {(b.item, b.measure) for b in table}
    return table + [b for b in prose if (b.item, b.measure) not in keys]


def _has_narrative(pdf, table_page_numbers: list[int]) -> bool:
    """Whether pages outside the score table carry running text."""
    return any(p not in table_page_numbers for p in pdf.text_pages)
