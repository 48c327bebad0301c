"""Open a PDF and read its text layer as lines, in reading order, by layout.

Real government PDFs often emit a line's numbers as separate text runs, or
runs out of order; lines are rebuilt from PDFium's text rectangles (runs on
the same baseline joined left to right), not taken from the content stream.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium

from jixiao.errors import DamagedPdf, EncryptedPdf, NotAPdf, TooManyPages, TruncatedPdf
from jixiao.model import TextLine

# A page with fewer printable characters than this has no usable text layer.
MIN_TEXT_CHARS = 20
# Self-evaluation reports run to tens of pages; thousands mean a hostile file.
MAX_PAGES = 500
# What a file that is not a PDF usually is, by its first bytes.
OTHER_FORMATS = {
    b"PK\x03\x04": "a ZIP archive (or a .docx/.xlsx)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\xd0\xcf\x11\xe0": "an old Office document (.doc/.xls)",
    b"<!DOCTYPE": "an HTML page",
    b"<html": "an HTML page",
    b"<?xml": "an XML document",
}
# A complete PDF ends with %%EOF (an incremental update adds another); a
# download cut short does not.
EOF_WINDOW = 2048


@dataclass
class PdfText:
    n_pages: int
    lines: list[TextLine]
    chars_per_page: list[int]
    pages_with_images: list[int]

    @property
    def text_pages(self) -> list[int]:
        return [i + 1 for i, n in enumerate(self.chars_per_page) if n >= MIN_TEXT_CHARS]

    @property
    def unmapped_share(self) -> float:
        """The worst page's share of text characters that are control codes: glyph
        ids with no Unicode mapping (what other tools print as ``(cid:…)``)."""
        worst = 0.0
        for page in range(1, self.n_pages + 1):
            text = "".join(self.page_text(page).split())  # no spaces, tabs, line breaks
            if len(text) >= MIN_TEXT_CHARS:
                bad = sum(ord(ch) < 0x20 or 0xE000 <= ord(ch) <= 0xF8FF for ch in text)
                worst = max(worst, bad / len(text))
        return worst

    @property
    def is_scanned(self) -> bool:
        """True when no page has a usable text layer but pages carry images."""
        return not self.text_pages and bool(self.pages_with_images)

    def page_text(self, page: int) -> str:
        return "\n".join(line.text for line in self.lines if line.page == page)


def read_pdf(path: str | Path) -> PdfText:
    """Read every page's text lines; raise a ``DocumentError`` for unreadable input."""
    with open_pdf(path) as doc:
        return doc.text


class OpenPdf:
    """A PDF held open while one document is extracted: each page and its text page are
    loaded once (loading a page costs 5-15 ms in PDFium) and shared by the text layer,
    the table reader and the checks of table numbers. ``text`` is the text layer, read
    on first use. Close it (or use it as a context manager) when the document is done."""

    def __init__(self, path: str | Path, pdf: pdfium.PdfDocument | None = None) -> None:
        self.path = Path(path)
        self.pdf = pdf if pdf is not None else pdfium.PdfDocument(str(path))
        self._pages: dict[int, pdfium.PdfPage] = {}
        self._textpages: dict[int, pdfium.PdfTextPage] = {}
        self._text: PdfText | None = None

    @property
    def text(self) -> PdfText:
        """Every page's text lines, characters and images."""
        if self._text is None:
            self._text = self._read_text()
        return self._text

    def __enter__(self) -> OpenPdf:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def page(self, number: int) -> pdfium.PdfPage:
        """Page ``number`` (1-based), loaded once."""
        page = self._pages.get(number)
        if page is None:
            page = self._pages[number] = self.pdf[number - 1]
        return page

    def textpage(self, number: int) -> pdfium.PdfTextPage:
        """The text page of page ``number`` (1-based), loaded once."""
        textpage = self._textpages.get(number)
        if textpage is None:
            textpage = self._textpages[number] = self.page(number).get_textpage()
        return textpage

    def __getitem__(self, index: int) -> LoadedPage:
        """Page ``index`` (0-based, as ``PdfDocument[index]``), its text page loaded once."""
        return LoadedPage(self, index + 1)

    def close(self) -> None:
        """Close the text pages, pages and document (again: nothing)."""
        for textpage in self._textpages.values():
            textpage.close()
        for page in self._pages.values():
            page.close()
        self._textpages.clear()
        self._pages.clear()
        if self.pdf is not None:
            self.pdf.close()
            self.pdf = None

    def _read_text(self) -> PdfText:
        lines: list[TextLine] = []
        chars, images = [], []
        for number in range(1, len(self.pdf) + 1):
            page_lines = _page_lines(self.page(number), number, self.textpage(number))
            lines.extend(page_lines)
            chars.append(sum(len(line.text.strip()) for line in page_lines))
            page = self.page(number)
            if any(obj.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE for obj in page.get_objects()):
                images.append(number)
        return PdfText(len(self.pdf), lines, chars, images)


class LoadedPage:
    """A page of an :class:`OpenPdf`: PDFium's page, whose ``get_textpage()`` gives the
    document's one text page of it."""

    def __init__(self, doc: OpenPdf, number: int) -> None:
        self._doc, self._number = doc, number

    def get_textpage(self) -> pdfium.PdfTextPage:
        return self._doc.textpage(self._number)

    def __getattr__(self, name: str):
        return getattr(self._doc.page(self._number), name)


def open_pdf(path: str | Path) -> OpenPdf:
    """Open a PDF and read its text layer (``OpenPdf.text``); raise a ``DocumentError`` for
    unreadable input. The caller closes it."""
    path = Path(path)
    size = path.stat().st_size
    with open(path, "rb") as f:
        head = f.read(1024)
        f.seek(max(0, size - EOF_WINDOW))
        tail = f.read()
    start = head.lstrip()
    for signature, what in OTHER_FORMATS.items():
        if start[: len(signature)].lower() == signature.lower():
            raise NotAPdf(f"not a PDF: the file is {what} (starts {head[:16]!r})")
    if b"%PDF-" not in head:
        raise NotAPdf(f"not a PDF: the file does not start with %PDF- (starts {head[:16]!r})")
    if b"%%EOF" not in tail:
        raise TruncatedPdf(
            f"truncated PDF: no %%EOF marker at the end of its {size} bytes "
            "(a download or copy cut short)"
        )
    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as e:
        message = str(e)
        if "password" in message.lower():
            raise EncryptedPdf("encrypted PDF: it needs a password to open") from e
        raise DamagedPdf(f"damaged PDF: PDFium cannot open it ({message})") from e
    if len(pdf) > MAX_PAGES:
        n = len(pdf)
        pdf.close()
        raise TooManyPages(f"{n} pages: more than {MAX_PAGES}, not a self-evaluation report")
    return OpenPdf(path, pdf)


def _page_lines(
    page: pdfium.PdfPage, page_number: int, textpage: pdfium.PdfTextPage | None = None
) -> list[TextLine]:
    """Group the page's text rectangles into lines by baseline, left to right."""
    height = page.get_height()
    textpage = textpage or page.get_textpage()
    runs = []
    for i in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(i)
        text = textpage.get_text_bounded(left, bottom, right, top).strip()
        if text:
            runs.append((height - top, height - bottom, left, text))
    runs.sort(key=lambda r: (r[0], r[2]))
    lines: list[list[tuple]] = []
    for run in runs:
        top, bottom = run[0], run[1]
        if lines:
            last = lines[-1]
            l_top = min(r[0] for r in last)
            l_bottom = max(r[1] for r in last)
            overlap = min(bottom, l_bottom) - max(top, l_top)
            if overlap > 0.5 * min(bottom - top, l_bottom - l_top):
                last.append(run)
                continue
        lines.append([run])
    return [
        TextLine(
            page_number,
            " ".join(r[3] for r in sorted(line, key=lambda r: r[2])),
            round(min(r[0] for r in line), 1),
        )
        for line in lines
    ]
