"""Make scanned copies of sample PDFs for the OCR tests, in ``tests/fixtures/scans/``.

Run from anywhere::

    /work/main/.venv/bin/python tools/make_scans.py

What it makes
-------------
* ``huangpu-2022-scan.pdf``: ``data/raw/samples/huangpu-2022.pdf`` (the 黄埔区 2022
  自评表, two A4 landscape pages) as a scanner would: each page rendered with PDFium at
  ``DPI`` in grey, turned by a slight skew (about 0.5°, alternating direction), blurred,
  darkened to grey paper, given sensor noise and a few dust specks, saved as JPEG and
  wrapped into an image-only PDF with img2pdf (no text layer).

* ``huangpu-2022-scan-upside-down.pdf``: the same, its last page fed upside down
  (turned 180°), as when the signed and stamped table comes back through the feeder.
* ``huangpu-2022-scan-sideways.pdf``: the same, its landscape pages scanned in portrait:
  page 1 turned 90° clockwise, page 2 turned 90° counter-clockwise.

* ``huangpu-2022-scan-smudged.pdf``: the plain scan with the score cells of two 采购管理
  rows (采购活动合规性, 采购合同签订时效性) under a dark smudge (a stamp's ink, a
  photocopier's streak): the digits cannot be read; the report must not be valid.

* ``huangpu-2022-mixed.pdf``: a mixed document as districts publish it: page 1 keeps
  its text layer (the typed report), page 2 (the rest of the score table, signed and
  stamped) is a scan, fed upside down. The table continues from the text page onto the
  scanned one.

The truth of all five is ``tests/fixtures/tables/huangpu-2022.csv`` (the printed
table); the turns are in ``SCANS`` below.

The output is deterministic (seeded noise, ``nodate``), so re-running it leaves the
image-only files byte-identical unless this script or the source PDF changes; the
mixed file's pages are the same but PDFium writes a new file ID on each save.

Needs the project's ``samples`` extra (img2pdf, pillow) besides pypdfium2 and numpy.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import img2pdf
import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageFilter

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "fixtures" / "scans"

DPI = 150
HUANGPU = ROOT / "data" / "raw" / "samples" / "huangpu-2022.pdf"
# (source PDF, output name, skew in degrees per page (the sign alternates like hand-fed
# paper), turn in degrees counter-clockwise per page: how the paper went through)
SCANS = [
    (HUANGPU, "huangpu-2022-scan.pdf", (0.5, -0.4), (0, 0)),
    (HUANGPU, "huangpu-2022-scan-upside-down.pdf", (0.5, -0.4), (0, 180)),
    (HUANGPU, "huangpu-2022-scan-sideways.pdf", (0.5, -0.4), (270, 90)),
    (HUANGPU, "huangpu-2022-scan-smudged.pdf", (0.5, -0.4), (0, 0)),
]
# Smudges per output (page, (x0, y0, x1, y1) as fractions of the page): the 得分 cells
# of 采购活动合规性 and 采购合同签订时效性 on page 2.
SMUDGES = {
    "huangpu-2022-scan-smudged.pdf": [(2, (0.569, 0.251, 0.604, 0.262)),
                                      (2, (0.569, 0.270, 0.604, 0.295))],
}  # fmt: skip


TURNS = {90: Image.Transpose.ROTATE_90, 180: Image.Transpose.ROTATE_180,
         270: Image.Transpose.ROTATE_270}  # fmt: skip


def smudge(img: Image.Image, box: tuple[float, float, float, float], rng) -> Image.Image:
    """``img`` with a dark ink smudge over ``box`` (fractions of the page): digits drowned."""
    arr = np.asarray(img, dtype=np.float32).copy()
    h, w = arr.shape
    x0, y0, x1, y1 = int(box[0] * w), int(box[1] * h), int(box[2] * w), int(box[3] * h)
    arr[y0:y1, x0:x1] = np.minimum(arr[y0:y1, x0:x1], 45 + rng.normal(0, 12, (y1 - y0, x1 - x0)))
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "L")


def scan_page(
    page: pdfium.PdfPage, skew_deg: float, rng: np.random.Generator, turn: int = 0,
    smudges: tuple = (),
) -> bytes:  # fmt: skip
    """One page as a degraded greyscale JPEG (the bytes), fed ``turn`` degrees turned."""
    img = page.render(scale=DPI / 72, grayscale=True).to_pil().convert("L")
    for box in smudges:
        img = smudge(img, box, rng)
    if turn:
        img = img.transpose(TURNS[turn])
    img = img.rotate(skew_deg, resample=Image.BICUBIC, expand=False, fillcolor=255)
    img = img.filter(ImageFilter.GaussianBlur(0.5))
    arr = np.asarray(img, dtype=np.float32)
    arr = arr * 0.9 + 10 + rng.normal(0, 8, arr.shape)  # grey paper, sensor noise
    h, w = arr.shape
    for _ in range(60):  # dust specks
        y, x = int(rng.integers(0, h - 3)), int(rng.integers(0, w - 3))
        arr[y : y + int(rng.integers(1, 3)), x : x + int(rng.integers(1, 3))] = 40
    img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "L")
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=70, dpi=(DPI, DPI))
    return buf.getvalue()


def make_scan(
    source: Path, out: Path, skews: tuple[float, ...], turns: tuple[int, ...] = (0,),
    seed: int = 2022, smudges: list | None = None,
) -> None:  # fmt: skip
    """Write ``out``: every page of ``source`` scanned (see the module docstring)."""
    rng = np.random.default_rng(seed)
    pdf = pdfium.PdfDocument(str(source))
    try:
        pages = []
        for i in range(len(pdf)):
            here = tuple(box for page, box in smudges or [] if page == i + 1)
            pages.append(scan_page(pdf[i], skews[i % len(skews)], rng, turns[i % len(turns)], here))
    finally:
        pdf.close()
    # the internal engine writes no random /ID (pikepdf does): byte-identical re-runs
    out.write_bytes(img2pdf.convert(pages, nodate=True, engine=img2pdf.Engine.internal))


# (source PDF, output name, per page: None = keep its text layer, else the scan's turn)
MIXED = [(HUANGPU, "huangpu-2022-mixed.pdf", (None, 180))]


def make_mixed(source: Path, out: Path, pages: tuple[int | None, ...], seed: int = 2022) -> None:
    """Write ``out``: the text pages of ``source`` kept, the others scanned (JPEG pages)."""
    rng = np.random.default_rng(seed)
    src = pdfium.PdfDocument(str(source))
    doc = pdfium.PdfDocument.new()
    try:
        for i, turn in enumerate(pages):
            if turn is None:
                doc.import_pages(src, [i])
                continue
            jpeg = scan_page(src[i], 0.5 if i % 2 == 0 else -0.4, rng, turn)
            scan = pdfium.PdfDocument(
                img2pdf.convert([jpeg], nodate=True, engine=img2pdf.Engine.internal)
            )
            doc.import_pages(scan, [0])
            scan.close()
        buf = io.BytesIO()
        doc.save(buf)
        out.write_bytes(buf.getvalue())
    finally:
        doc.close()
        src.close()


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for source, name, skews, turns in SCANS:
        make_scan(source, OUT / name, skews, turns, smudges=SMUDGES.get(name))
        print(f"{OUT / name}: {(OUT / name).stat().st_size // 1024} KiB")
    for source, name, pages in MIXED:
        make_mixed(source, OUT / name, pages)
        print(f"{OUT / name}: {(OUT / name).stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
