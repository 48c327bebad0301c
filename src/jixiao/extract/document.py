"""One PDF → ``DocumentFacts``: text layer, score table (Camelot) and prose.

This is the code that runs inside an isolated worker process (see
``jixiao.extract.worker``): it parses untrusted PDFs with native code.
"""

from __future__ import annotations

from pathlib import Path

from jixiao.errors import NotASelfEvaluation, ScannedNotParsed
from jixiao.extract import score_table
from jixiao.extract.pdf import read_pdf
from jixiao.extract.prose import extract_prose
from jixiao.model import DocumentFacts

# Words one of which every self-evaluation report prints (data would be nicer,
# but this is the document-kind gate, kept next to the code that raises).
REPORT_MARKERS = ("绩效自评", "自评报告", "自评表", "绩效评价", "自评得分", "自评分")


def extract_document(path: str | Path) -> DocumentFacts:
    """Read one PDF into facts as printed (not yet normalized or validated).

    Raises:
        DocumentError: not a PDF, encrypted, damaged, scanned (no OCR yet),
            or not a self-evaluation report.
    """
    pdf = read_pdf(path)
    if pdf.is_scanned:
        raise ScannedNotParsed(
            f"scanned: {pdf.n_pages} image-only pages and no text layer; "
            "OCR is not available yet, so no figures were read"
        )
    full_text = "".join(line.text for line in pdf.lines).replace(" ", "")
    if not any(marker in full_text for marker in REPORT_MARKERS):
        raise NotASelfEvaluation(
            "not a performance self-evaluation report: none of "
            f"{', '.join(REPORT_MARKERS)} appears in its text"
        )
    pages = score_table.table_pages(pdf.lines)
    tables = score_table.read_tables(path, pages)
    table, lineage = score_table.parse_score_tables(tables)
    prose = extract_prose(pdf.lines)
    table_facts = score_table.to_facts(table) if table.rows else []
    budgets = score_table.parse_budget_block(tables)
    table_budget_keys = {(b.item, b.measure) for b in budgets}
    budgets += [b for b in prose.budgets if (b.item, b.measure) not in table_budget_keys]
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
        checks=list(prose.checks),
        tables=lineage,
    )


def _has_narrative(pdf, table_page_numbers: list[int]) -> bool:
    """Whether pages outside the score table carry running text."""
    return any(p not in table_page_numbers for p in pdf.text_pages)
