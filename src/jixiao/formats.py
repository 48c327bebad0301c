"""What a file is, from its bytes (never its name): pdf, docx, xlsx, doc, xls or html.

Districts publish their reports as PDF, Word, Excel or an HTML article page,
and a link named ``.pdf`` may serve any of them. Fetch stores the bytes under
the extension found here; extraction picks its reader by it
(``dim_report.source_format``). A macro-enabled workbook (.xlsm) is an
``xlsx`` whose macros are never run; an old Office file (OLE2) is ``doc`` or
``xls`` by the stream it holds.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

FORMATS = ("pdf", "docx", "xlsx", "doc", "xls", "html")
EXTENSIONS = {f: f".{f}" for f in FORMATS}
PDF_MAGIC = b"%PDF-"
PDF_HEADER_WINDOW = 1024  # readers accept %PDF- anywhere in the first KiB
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An OLE2 file names its streams in UTF-16: Word's main stream, Excel's workbook.
OLE_WORD = "WordDocument".encode("utf-16-le")
OLE_EXCEL = ("Workbook".encode("utf-16-le"), "Book".encode("utf-16-le"))
OLE_SCAN_BYTES = 64 << 20  # the directory of a normal .doc/.xls is well inside this
_HTML_START = re.compile(
    rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|table)\b",
    re.I | re.S,
)
# What other bytes usually are, for a readable message.
OTHER_KINDS = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive that is not a .docx or .xlsx",
    b"<?xml": "an XML document",
    b"Rar!": "a RAR archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
}


def sniff_head(head: bytes) -> str | None:
    """The format the first KiB promises: a final answer for pdf and html, a family otherwise.

    Returns ``pdf``, ``html``, ``zip`` (docx or xlsx, known once the whole
    file is there), ``ole`` (doc or xls, likewise) or None.
    """
    head = head.removeprefix(b"\xef\xbb\xbf")
    if head.startswith(ZIP_MAGIC):
        return "zip"
    if head.startswith(OLE_MAGIC):
        return "ole"
    if PDF_MAGIC in head[:PDF_HEADER_WINDOW]:
        return "pdf"
    if _HTML_START.match(head[:PDF_HEADER_WINDOW]) or _looks_like_html(head):
        return "html"
    return None


def sniff(path: str | Path) -> str | None:
    """The file's format (one of ``FORMATS``) from its bytes, or None when it is none of them."""
    path = Path(path)
    with open(path, "rb") as f:
        head = f.read(PDF_HEADER_WINDOW)
    family = sniff_head(head)
    if family == "zip":
        return _zip_format(path)
    if family == "ole":
        return _ole_format(path)
    return family


def is_macro_enabled(path: str | Path) -> bool:
    """Whether an .xlsx/.docx package carries a VBA project (its macros are never run)."""
    try:
        with zipfile.ZipFile(path) as z:
            return any(n.lower().endswith("vbaproject.bin") for n in z.namelist())
    except (zipfile.BadZipFile, OSError):
        return False


def describe(path: str | Path) -> str:
    """What the bytes look like, for a message: "a PNG image", "empty", …"""
    with open(path, "rb") as f:
        head = f.read(16)
    if not head.strip(b"\x00 \r\n\t"):
        return "empty" if not head else "only zero bytes or blanks"
    for magic, what in OTHER_KINDS.items():
        if head.startswith(magic):
            return what
    return f"no known format (it starts {head!r})"


def _looks_like_html(head: bytes) -> bool:
    low = head[:PDF_HEADER_WINDOW].lower()
    return b"<html" in low or (b"<table" in low and low.lstrip()[:1] == b"<")


def _zip_format(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


def _ole_format(path: Path) -> str | None:
    with open(path, "rb") as f:
        data = f.read(OLE_SCAN_BYTES)
    if OLE_WORD in data:
        return "doc"
    if any(name in data for name in OLE_EXCEL):
        return "xls"
    return None
