"""One document → ``DocumentFacts``: its format from the bytes, its type, its facts.

This is the code that runs inside an isolated worker process (see
``jixiao.extract.worker``): it parses untrusted files with native code.

* the format comes from the bytes (``jixiao.formats``), never the file name;
* a PDF yields its text layer and Camelot's tables; pages without a usable
  text layer are OCR'd into lines and grids (``jixiao.extract.scanned``); Word,
  Excel and HTML yield a layer with exact cells (``jixiao.extract.formats``); .doc/.xls are
  converted by LibreOffice first;
* the classifier (``jixiao.extract.classify``) decides the document type;
  anything but a self-evaluation stops here (``NotASelfEvaluation``);
* ``assemble`` turns text and tables into facts, the same way for every format.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from jixiao.errors import NotAPdf, UnreadableText
from jixiao.extract import score_table
from jixiao.extract.classify import Classification, require_self_evaluation
from jixiao.extract.ocr import image_only_pages
from jixiao.extract.pdf import open_pdf
from jixiao.extract.prose import extract_prose
from jixiao.extract.tables.forms import (
    department_execution,
    read_project,
    split_projects,
    unique_budgets,
)
from jixiao.extract.tables.grid import Grid
from jixiao.extract.tables.pages import header_page
from jixiao.formats import describe, sniff
from jixiao.model import CheckResult, DocumentFacts, TextLine

# More control characters than this share of the text: glyphs without Unicode.
UNMAPPED_LIMIT = 0.05


def extract_document(path: str | Path) -> DocumentFacts:
    """Read one document into facts as printed (not yet normalized or validated).

    Raises:
        DocumentError: in none of the formats read; a PDF truncated, encrypted,
            damaged or with text without Unicode mapping; a package too large or
            a zip bomb; not a self-evaluation report.
    """
    source_format = sniff(path)
    if source_format == "pdf":
        return extract_pdf(path)
    if source_format in ("doc", "xls"):
        from jixiao.extract.formats.office import convert

        with tempfile.TemporaryDirectory(prefix="jixiao-convert-") as tmp:
            converted = convert(path, source_format, tmp)
            facts = extract_layered(converted, "docx" if source_format == "doc" else "xlsx")
        facts.source_format = source_format
        return facts
    if source_format in ("docx", "xlsx", "html"):
        return extract_layered(path, source_format)
    raise NotAPdf(
        f"not a document jixiao reads (PDF, Word, Excel or HTML): the file is {describe(path)}"
    )


def extract_pdf(path: str | Path) -> DocumentFacts:
    """A PDF: text layer (or OCR), type, Camelot on the score-table pages, prose."""
    doc = open_pdf(path)  # each page loaded once, for the text layer and the tables
    pdf = doc.text
    if scanned_pages := image_only_pages(pdf):
        return extract_scanned_pdf(path, pdf, scanned_pages)
    if pdf.unmapped_share > UNMAPPED_LIMIT:
        raise UnreadableText(
            f"unreadable text layer: {pdf.unmapped_share:.0%} of its characters are glyph "
            "ids with no Unicode mapping ((cid:…)); the figures cannot be read from it"
        )
    kind = require_self_evaluation(pdf.lines)
    pages = score_table.table_pages(pdf.lines)
    grids = score_table.read_tables(path, pages, doc)
    doc.close()  # on an error above, PDFium's objects close when collected
    narrative = any(p not in pages for p in pdf.text_pages)
    return assemble(pdf.lines, grids, narrative, kind, n_pages=pdf.n_pages, source_format="pdf")


def unread_table_checks(header: int | None, facts: DocumentFacts) -> list[CheckResult]:
    """An error when a page prints a score table's header and no table was read at all:
    no score row, no project form, no score table in the lineage (a budget block aside).

    Only the reader knows a header was printed; with a score table in the lineage the
    suite's ``table_found`` decides (one home for each rule).
    """
    if header is None:
        return []
    read = (
        any(f.origin == "table" for f in facts.scores)
        or facts.projects
        or any(t.get("role") != "budget" for t in facts.tables)
    )
    if read:
        return []
    return [
        CheckResult(
            "score_table_unread", f"page {header} score table", "error", False,
            observed="0 rows", expected="the rows of the score table",
            detail=f"page {header} prints a score table's header, but no row of the "
            "table was read (no grid came out of the page): its scores are not loaded",
        )
    ]  # fmt: skip


def extract_scanned_pdf(path: str | Path, pdf, pages: list[int]) -> DocumentFacts:
    """A PDF with scanned pages: OCR's layer (lines, grids with confidences), its type,
    the same assembly, then what OCR alone knows (``jixiao.extract.scanned``)."""
    from jixiao.extract import scanned  # OCR: only when needed

    layer = scanned.read_scan_layer(path, pdf, pages)
    kind = require_self_evaluation(layer.lines)
    grids = scanned.read_layer_tables(layer, path)
    facts = assemble(
        layer.lines, grids, True, kind, n_pages=pdf.n_pages, source_format="pdf"
    )  # fmt: skip  (doc_kind: "scanned", set with the OCR evidence)
    return scanned.add_ocr_evidence(facts, layer)


def extract_layered(path: str | Path, source_format: str) -> DocumentFacts:
    """A Word, Excel or HTML document: its layer, its type, then the same assembly."""
    from jixiao.extract.formats import read_layer

    layer = read_layer(path, source_format)
    kind = require_self_evaluation(layer.lines)
    facts = assemble(
        layer.lines, layer.grids, layer.has_narrative, kind, n_pages=None,
        source_format=source_format,
    )  # fmt: skip
    facts.checks += layer.checks
    return facts


def assemble(
    lines: list[TextLine],
    grids: list[Grid],
    narrative: bool,
    kind: Classification,
    *,
    n_pages: int | None,
    source_format: str,
) -> DocumentFacts:
    """Text lines and table grids → facts: score table, budget block, prose figures.

    The one assembly for every format: the tables go through
    ``jixiao.extract.tables`` (rows, hierarchy, facts), the lines through
    the prose reader; table figures win over the same figures in prose.
    """
    grids, project_forms = split_projects(grids, lines)  # each 项目支出绩效自评表 on its own
    table, lineage = score_table.parse_score_tables(grids)
    table_facts = score_table.to_facts(table) if table.rows else []
    # the MoF forms' scored budget-execution block (its lines: an unruled form's block is
    # in no grid; not when project forms could lend theirs)
    execution = department_execution(grids, table_facts, None if project_forms else lines)
    projects = []
    for form in project_forms:
        project, project_lineage = read_project(form)
        projects.append(project)
        first = len(lineage)
        lineage += [{**row, "table_index": first + k} for k, row in enumerate(project_lineage)]
    read = table_facts + [f for p in projects for f in p.scores]
    prose = extract_prose(lines, read)  # the tables' rows are not prose
    table_budgets = unique_budgets(execution + score_table.parse_budget_block(grids))
    budgets = score_table.merge_budgets(table_budgets, prose.budgets)
    facts = DocumentFacts(
        n_pages=n_pages,
        doc_kind="score_table" if (table.rows or projects) and not narrative else "narrative",
        title=prose.title,
        department_name=prose.department_printed,
        district_printed=prose.district_printed,
        year_printed=prose.year_printed,
        grade_printed=table.grade or prose.grade_printed,
        scores=table_facts + prose.scores,
        budgets=budgets,
        prose_budgets=prose.stated_budgets,
        checks=list(prose.checks) + table.checks,
        tables=lineage,
        source_format=source_format,
        doc_type=kind.doc_type,
        doc_type_reason=kind.reason,
        projects=projects,
    )
    facts.checks += unread_table_checks(header_page(lines, tabular=True), facts)
    return facts
