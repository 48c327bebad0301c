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

* ``tests/fixtures/fuzz_unread/fz0393-writer-scan.pdf`` (``make_scans.py unread``): the
  first two pages (a narrative page, then the score table's header and first rows) of
  the fuzzed Writer document ``fz0393-writer`` (unruled, 8 pt, every header word
  wrapped), scanned the same way and written with Pillow (no img2pdf needed). OCR finds
  no grid in an unruled table, so no row is read: the scanned path must say so
  (``score_table_unread``), as the text path does.

The output is deterministic (seeded noise, ``nodate``), so re-running it leaves the
image-only files byte-identical unless this script or the source PDF changes; the
mixed file's pages are the same but PDFium writes a new file ID on each save.

Needs the project's ``samples`` extra (img2pdf, pillow) besides pypdfium2 and numpy.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFilter, ImageFont

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
    import img2pdf  # the samples extra; the corpus below needs only Pillow

    # the internal engine writes no random /ID (pikepdf does): byte-identical re-runs
    out.write_bytes(img2pdf.convert(pages, nodate=True, engine=img2pdf.Engine.internal))


# (source PDF, output name, per page: None = keep its text layer, else the scan's turn)
MIXED = [(HUANGPU, "huangpu-2022-mixed.pdf", (None, 180))]


def make_mixed(source: Path, out: Path, pages: tuple[int | None, ...], seed: int = 2022) -> None:
    """Write ``out``: the text pages of ``source`` kept, the others scanned (JPEG pages)."""
    import img2pdf  # the samples extra; the corpus below needs only Pillow

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


# ---------------------------------------------------------------- the scan-feature corpus

# What real scanning adds (issue 18), one feature or two per document, on the 黄埔区 2022
# 自评表: (output name, dpi, turn per page (None: the page keeps its text layer),
# features per page). Positions are fractions of the upright landscape page: the 得分
# column is x 0.565–0.609; page 2's 公用经费控制率 score sits at y 0.608, the 资产管理 rows
# at 0.44–0.50, the 总分 94.2 at 0.681; page 1's budget amounts at y 0.411.
CORPUS_DIR = OUT / "corpus"
CORPUS = [
    ("huangpu-stamp-150", 150, (0, 0),
     {1: {"stamps": [(0.16, 0.42)]}, 2: {"stamps": [(0.587, 0.62)]}}),
    ("huangpu-signature-200-rot90", 200, (0, 90),
     {2: {"signatures": [(0.55, 0.44, 0.66, 0.50), (0.52, 0.66, 0.70, 0.70)]}}),
    ("huangpu-photocopy-150-rot270", 150, (270, 0),
     {1: {"photocopy": True}, 2: {"photocopy": True}}),
    ("huangpu-100dpi-rot180", 100, (0, 180), {}),
    ("huangpu-mixed-300dpi-rot90", 300, (None, 90), {}),
    ("huangpu-mixed-stamp-rot180", 150, (None, 180),
     {2: {"stamps": [(0.587, 0.62)], "signatures": [(0.55, 0.44, 0.66, 0.50)]}}),
]  # fmt: skip
SEAL_TEXT = "广州市黄埔区政务服务数据管理局"
CJK_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"  # fonts-noto-cjk


def seal(rgb: Image.Image, centre: tuple[float, float], dpi: int, rng) -> None:
    """A red circular 公章 (42 mm: ring, star, the unit's name on an arc) stamped on
    ``rgb``: translucent ink multiplied over what is printed, unevenly inked."""
    w, h = rgb.size
    d = round(42 / 25.4 * dpi)
    layer = Image.new("L", (d, d), 0)
    draw = ImageDraw.Draw(layer)
    ring = max(3, round(1.2 / 25.4 * dpi))
    draw.ellipse((ring, ring, d - ring, d - ring), outline=255, width=ring)
    r_star, c = 0.17 * d, d / 2
    points = []
    for i in range(10):
        radius = r_star if i % 2 == 0 else r_star * 0.4
        angle = -np.pi / 2 + i * np.pi / 5
        points.append((c + radius * np.cos(angle), c + radius * np.sin(angle)))
    draw.polygon(points, fill=255)
    font = ImageFont.truetype(CJK_FONT, round(0.11 * d))
    n = len(SEAL_TEXT)
    for i, ch in enumerate(SEAL_TEXT):
        angle = np.radians(-215 + 250 * i / (n - 1))  # an arc over the top
        glyph = Image.new("L", (round(0.13 * d), round(0.13 * d)), 0)
        ImageDraw.Draw(glyph).text((0, -round(0.02 * d)), ch, fill=255, font=font)
        glyph = glyph.rotate(-np.degrees(angle) - 90, expand=True)
        x = c + 0.36 * d * np.cos(angle) - glyph.width / 2
        y = c + 0.36 * d * np.sin(angle) - glyph.height / 2
        layer.paste(glyph, (round(x), round(y)), glyph)
    ink = np.asarray(layer, dtype=np.float32) / 255
    ink *= np.clip(rng.normal(0.8, 0.2, ink.shape), 0.2, 1.0)  # uneven ink
    ink = cv2_blur(ink)
    x0, y0 = round(centre[0] * w - d / 2), round(centre[1] * h - d / 2)
    arr = np.asarray(rgb, dtype=np.float32).copy()
    red = np.array([220, 50, 55], dtype=np.float32) / 255
    ys, xs = slice(max(y0, 0), min(y0 + d, h)), slice(max(x0, 0), min(x0 + d, w))
    a = ink[ys.start - y0 : ys.stop - y0, xs.start - x0 : xs.stop - x0, None]
    arr[ys, xs] *= 1 - a * (1 - red)  # multiply: black stays black, paper turns red
    rgb.paste(Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB"))


def cv2_blur(a: np.ndarray) -> np.ndarray:
    """A light blur (ink soaks into paper), without OpenCV."""
    img = Image.fromarray((a * 255).astype(np.uint8), "L").filter(ImageFilter.GaussianBlur(0.8))
    return np.asarray(img, dtype=np.float32) / 255


def signature(rgb: Image.Image, box: tuple[float, float, float, float], dpi: int, rng) -> None:
    """A handwritten-like signature across ``box``: a few fast looping strokes in
    blue-black ink, pressed harder in the middle of each stroke."""
    w, h = rgb.size
    x0, y0, x1, y1 = box[0] * w, box[1] * h, box[2] * w, box[3] * h
    draw = ImageDraw.Draw(rgb)
    width = max(2, round(0.5 / 25.4 * dpi))
    n_strokes = 3
    for k in range(n_strokes):
        sx0 = x0 + (x1 - x0) * k / n_strokes
        sx1 = x0 + (x1 - x0) * (k + 1.1) / n_strokes
        t = np.linspace(0, 1, 120)
        loops = rng.uniform(2, 4)
        xs = sx0 + (sx1 - sx0) * t + 0.15 * (sx1 - sx0) * np.sin(2 * np.pi * loops * t)
        ys = (y0 + y1) / 2 + (y1 - y0) * 0.45 * np.sin(2 * np.pi * (loops * t + rng.uniform()))
        ys += (y1 - y0) * 0.2 * (t - 0.5)
        for i in range(len(t) - 1):
            press = 0.6 + 0.8 * np.sin(np.pi * t[i])
            draw.line(
                [(xs[i], ys[i]), (xs[i + 1], ys[i + 1])], fill=(25, 35, 90),
                width=max(1, round(width * press)),
            )  # fmt: skip


def photocopy(arr: np.ndarray, rng) -> np.ndarray:
    """A photocopy's darkening: strokes a pixel bolder, mid-tones darker, a grey uneven
    toner background, dark margins where the lid did not close, toner specks."""
    arr = np.minimum(arr, np.roll(arr, 1, axis=1))  # bolder strokes
    h, w = arr.shape
    arr = 255 * (arr / 255) ** 1.4
    shade = np.linspace(0, 35, w)[None, :] + np.linspace(0, 15, h)[:, None]
    arr = np.minimum(arr, 215 - shade)  # grey, uneven background
    band = max(4, w // 60)
    arr[:, :band] = np.minimum(arr[:, :band], 60 + rng.normal(0, 15, (h, band)))
    arr[:, -band:] = np.minimum(arr[:, -band:], 70 + rng.normal(0, 15, (h, band)))
    for _ in range(600):  # toner specks
        y, x = int(rng.integers(0, h - 4)), int(rng.integers(0, w - 4))
        arr[y : y + int(rng.integers(1, 4)), x : x + int(rng.integers(1, 4))] = 50
    return arr


def scan_with_features(
    page: pdfium.PdfPage, dpi: int, skew_deg: float, turn: int, features: dict, rng
) -> Image.Image:
    """One page scanned in grey at ``dpi`` with stamps, signatures, photocopy darkening,
    fed ``turn`` degrees turned (counter-clockwise), skewed, blurred and speckled."""
    rgb = page.render(scale=dpi / 72).to_pil().convert("RGB")
    for centre in features.get("stamps", []):
        seal(rgb, centre, dpi, rng)
    for box in features.get("signatures", []):
        signature(rgb, box, dpi, rng)
    img = rgb.convert("L")
    if turn:
        img = img.transpose(TURNS[turn])
    img = img.rotate(skew_deg, resample=Image.BICUBIC, expand=False, fillcolor=255)
    img = img.filter(ImageFilter.GaussianBlur(0.5 * dpi / 150))
    arr = np.asarray(img, dtype=np.float32)
    if features.get("photocopy"):
        arr = photocopy(arr, rng)
    arr = arr * 0.9 + 10 + rng.normal(0, 8, arr.shape)  # grey paper, sensor noise
    h, w = arr.shape
    for _ in range(60):  # dust specks
        y, x = int(rng.integers(0, h - 3)), int(rng.integers(0, w - 3))
        arr[y : y + int(rng.integers(1, 3)), x : x + int(rng.integers(1, 3))] = 40
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "L")


def make_corpus_scan(source: Path, name: str, dpi: int, turns: tuple, features: dict,
                     seed: int = 18) -> Path:  # fmt: skip
    """Write ``corpus/<name>.pdf`` (grey JPEG pages at ``dpi``; a page whose turn is None
    keeps its text layer) and ``corpus/<name>.json`` (the truth and the features)."""
    rng = np.random.default_rng(seed)
    src = pdfium.PdfDocument(str(source))
    doc = pdfium.PdfDocument.new()
    try:
        for i, turn in enumerate(turns):
            if turn is None:
                doc.import_pages(src, [i])
                continue
            skew = 0.5 if i % 2 == 0 else -0.4
            img = scan_with_features(src[i], dpi, skew, turn, features.get(i + 1, {}), rng)
            buf = io.BytesIO()
            img.save(buf, "PDF", resolution=dpi, quality=60)
            scan = pdfium.PdfDocument(buf.getvalue())
            doc.import_pages(scan, [0])
            scan.close()
        buf = io.BytesIO()
        doc.save(buf)
    finally:
        doc.close()
        src.close()
    out = CORPUS_DIR / f"{name}.pdf"
    out.write_bytes(buf.getvalue())
    record = {
        # the manifest entry (tools/fuzz.py reads the document as ingest does)
        "spec": {"id": name, "district_code": "440112", "department": HUANGPU_DEPARTMENT,
                 "year": 2022},
        "scan": {"source": str(source.relative_to(ROOT)), "dpi": dpi, "turns": list(turns),
                 "features": {str(k): v for k, v in features.items()}},
        # the printed table in the fuzzer's truth format (budget in 元)
        "truth": {"rows": HUANGPU_TRUTH, "total": "94.2", "grade": "优",
                  "budget": {"总预算": "118877300", "基本支出": "33080600",
                             "项目支出": "85796800"}},
    }  # fmt: skip
    (CORPUS_DIR / f"{name}.json").write_text(
        json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return out


def _huangpu_truth() -> list[dict]:
    """The 26 level-3 rows of tests/fixtures/tables/huangpu-2022.csv, as the fuzzer's truth."""
    with open(ROOT / "tests" / "fixtures" / "tables" / "huangpu-2022.csv", encoding="utf-8") as f:
        return [
            {"l1": r["一级指标"], "w1": r["一级分值"], "l2": r["二级指标"], "w2": r["二级分值"],
             "l3": r["三级指标"], "w3": r["分值"], "score": r["得分"]}
            for r in csv.DictReader(f)
            if r["一级指标"] != "总分"
        ]  # fmt: skip


HUANGPU_TRUTH = _huangpu_truth()
HUANGPU_DEPARTMENT = "广州市黄埔区政务服务数据管理局"


def make_corpus() -> None:
    CORPUS_DIR.mkdir(parents=True, exist_ok=True)
    for name, dpi, turns, features in CORPUS:
        out = make_corpus_scan(HUANGPU, name, dpi, turns, features)
        print(f"{out}: {out.stat().st_size // 1024} KiB")


UNREAD_SOURCE = ROOT / "tests" / "fixtures" / "fuzz_unread" / "fz0393-writer.pdf"
UNREAD_SCAN = UNREAD_SOURCE.with_name("fz0393-writer-scan.pdf")


def make_unread_scan(source: Path = UNREAD_SOURCE, out: Path = UNREAD_SCAN) -> None:
    """Pages 1-2 of ``source`` scanned (see the module docstring), saved by Pillow."""
    rng = np.random.default_rng(393)
    pdf = pdfium.PdfDocument(str(source))
    try:
        jpegs = [scan_page(pdf[i], (-0.3, 0.4)[i], rng) for i in range(2)]
    finally:
        pdf.close()
    images = [Image.open(io.BytesIO(j)) for j in jpegs]
    images[0].save(out, save_all=True, append_images=images[1:], resolution=DPI)


def main() -> int:
    if sys.argv[1:] == ["corpus"]:
        make_corpus()
        return 0
    if sys.argv[1:] == ["unread"]:
        make_unread_scan()
        print(f"{UNREAD_SCAN}: {UNREAD_SCAN.stat().st_size // 1024} KiB")
        return 0
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
