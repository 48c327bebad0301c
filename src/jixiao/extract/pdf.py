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
    try:
        if len(pdf) > MAX_PAGES:
            raise TooManyPages(
                f"{len(pdf)} pages: more than {MAX_PAGES}, not a self-evaluation report"
            )
        lines: list[TextLine] = []
        chars, images = [], []
        for index in range(len(pdf)):
            page = pdf[index]
            page_lines = _page_lines(page, index + 1)
            lines.extend(page_lines)
            chars.append(sum(len(line.text.strip()) for line in page_lines))
            if any(obj.type == pdfium.raw.FPDF_PAGEOBJ_IMAGE for obj in page.get_objects()):
                images.append(index + 1)
        return PdfText(len(pdf), lines, chars, images)
    finally:
        pdf.close()


def _page_lines(page: pdfium.PdfPage, page_number: int) -> list[TextLine]:
    """Group the page's text rectangles into lines by baseline, left to right."""
    height = page.get_height()
    textpage = page.get_textpage()
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
