"""OCR of image-only pages: render, deskew, recognize, cache.

The engine is RapidOCR (``rapidocr-onnxruntime``), whose Chinese PP-OCRv4
detection and recognition models ship inside the wheel: nothing is downloaded
at run time. A page is rendered at its scan's own resolution, turned upright
(a page fed sideways or upside down: ``find_orientation``), straightened (the
skew angle is found from the ink's row profile), and recognized; every box
keeps its text, its confidence and its place on the straightened page.

OCR is the costly step (seconds a page), so results are cached by a hash of
the rendered page image and the engine settings, under ``data/cache/ocr/``
(or ``$JIXIAO_OCR_CACHE``): a re-run, or the same page in another report,
costs a file read. Pages run in parallel when asked (``workers``).

Public API: ``image_only_pages``, ``ocr_pages`` → ``OcrPage`` records, and
``straightened_page`` for the table reader.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium

from jixiao import paths
from jixiao.extract.pdf import MIN_TEXT_CHARS, PdfText
from jixiao.reference import load_yaml

log = logging.getLogger(__name__)

ENGINE = "rapidocr-onnxruntime 1.4.4 (PP-OCRv4 ch det/rec, mobile v2 cls)"
CACHE_FORMAT = 2  # bump when the cached record or the preprocessing changes


@cache
def settings() -> dict:
    """The OCR settings and noise knowledge (``reference/ocr.yaml``)."""
    return load_yaml("ocr.yaml")


def default_cache_dir() -> Path:
    return Path(os.environ.get("JIXIAO_OCR_CACHE", paths.HOME / "data" / "cache" / "ocr"))


@dataclass(frozen=True)
class OcrBox:
    """One recognized text box on a straightened page image (pixels, origin top-left)."""

    text: str
    confidence: float
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass
class OcrPage:
    """The OCR of one page: its boxes and how the image was prepared."""

    page: int  # 1-based
    width: int  # straightened image, pixels
    height: int
    dpi: float
    skew_deg: float  # rotation applied to straighten the page
    boxes: list[OcrBox] = field(default_factory=list)
    seconds: float = 0.0  # OCR time when it ran (the cached value on a hit)
    cached: bool = False
    key: str = ""
    rotation_deg: int = 0  # quarter turns (counter-clockwise) applied before the skew

    @property
    def turned(self) -> str | None:
        """The rotation applied, in words for the lineage; None for a page fed upright."""
        if not self.rotation_deg:
            return None
        how = {90: "fed sideways", 180: "fed upside down", 270: "fed sideways"}
        return (
            f"scan page {self.page} turned {self.rotation_deg}° counter-clockwise "
            f"({how[self.rotation_deg]}), deskewed {self.skew_deg}°"
        )

    def to_points(self, pixels: float) -> float:
        """A length on the page image in PDF points."""
        return pixels * 72.0 / self.dpi


# ---------------------------------------------------------------- which pages


def image_only_pages(pdf: PdfText) -> list[int]:
    """Pages (1-based) to OCR: they carry an image and no usable text layer.

    A text layer is not usable when it has fewer than ``MIN_TEXT_CHARS``
    characters once a scanner's stamp ("扫描全能王 创建", "Scanned with
    CamScanner": ``scanner_stamps`` in ``reference/ocr.yaml``) is taken out:
    such a page is a scan whatever its text layer says. Every other page keeps
    its text layer, so a typed report with a scanned 自评表 is read both ways.
    """
    stamps = [re.compile(p) for p in settings()["scanner_stamps"]]
    pages = []
    for i, n in enumerate(pdf.chars_per_page):
        page = i + 1
        if page not in pdf.pages_with_images:
            continue
        if n >= MIN_TEXT_CHARS:
            text = pdf.page_text(page)
            for stamp in stamps:
                text = stamp.sub("", text)
            if len("".join(text.split())) >= MIN_TEXT_CHARS:
                continue
        pages.append(page)
    return pages


# ---------------------------------------------------------------- the page image


def scan_dpi(page: pdfium.PdfPage) -> float:
    """The resolution the page's largest image was scanned at, within the render bounds."""
    cfg = settings()["render"]
    best = None
    for obj in page.get_objects():
        if obj.type != pdfium.raw.FPDF_PAGEOBJ_IMAGE:
            continue
        left, _bottom, right, _top = obj.get_bounds()
        px_w, _px_h = obj.get_px_size()
        if right - left > 1 and (best is None or right - left > best[0]):
            best = (right - left, px_w * 72.0 / (right - left))
    dpi = best[1] if best else cfg["default_dpi"]
    return float(min(max(dpi, cfg["min_dpi"]), cfg["max_dpi"]))


def render_page(path: str | Path, page: int) -> tuple[np.ndarray, float]:
    """The page as a greyscale image at its scan resolution, and that resolution."""
    pdf = pdfium.PdfDocument(str(path))
    try:
        p = pdf[page - 1]
        dpi = scan_dpi(p)
        image = p.render(scale=dpi / 72.0, grayscale=True).to_numpy()
    finally:
        pdf.close()
    if image.ndim == 3:
        image = cv2.cvtColor(
            image, cv2.COLOR_BGR2GRAY if image.shape[2] == 3 else cv2.COLOR_BGRA2GRAY
        )
    return np.ascontiguousarray(image), dpi


def rotate(image: np.ndarray, degrees: float) -> np.ndarray:
    """``image`` turned by ``degrees`` (counter-clockwise) about its centre, white fill."""
    if abs(degrees) < 1e-6:
        return image
    h, w = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    return cv2.warpAffine(
        image, matrix, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
        borderValue=255,
    )  # fmt: skip


def find_skew(image: np.ndarray) -> float:
    """The rotation (degrees) that straightens the page: the sharpest ink row profile.

    Text lines and ruled lines are horizontal on a straight page, so the sum of
    ink per pixel row jumps most sharply there. Searched coarse then fine on a
    half-size copy.
    """
    cfg = settings()["render"]
    small = cv2.resize(image, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    _, ink = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    ink = ink.astype(np.float32)
    h, w = ink.shape

    def sharpness(angle: float) -> float:
        matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        turned = cv2.warpAffine(ink, matrix, (w, h), flags=cv2.INTER_NEAREST)
        return float(np.square(np.diff(turned.sum(axis=1))).sum())

    limit, coarse, fine = cfg["max_skew"], cfg["coarse_step"], cfg["fine_step"]
    best = max(np.arange(-limit, limit + 1e-9, coarse), key=sharpness)
    best = max(np.arange(best - coarse, best + coarse + 1e-9, fine), key=sharpness)
    return round(float(best), 3)


def _text_ink(image: np.ndarray) -> np.ndarray:
    """The page's ink without its ruled lines (255 = ink): what text lines are made of."""
    _, ink = cv2.threshold(image, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    ink = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))  # specks out
    long = max(ink.shape) // 20
    rules = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, long), np.uint8))
    rules |= cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((long, 1), np.uint8))
    return cv2.subtract(ink, cv2.dilate(rules, np.ones((5, 5), np.uint8)))


def _text_lines(ink: np.ndarray, gap: int, elongation: float) -> np.ndarray:
    """Boxes (x, y, w, h) of horizontal text lines: characters closed over ``gap`` pixels."""
    closed = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((1, gap), np.uint8))
    _, _, stats, _ = cv2.connectedComponentsWithStats(closed, connectivity=8)
    stats = stats[1:, :4]
    return stats[stats[:, 2] > elongation * stats[:, 3]]


def find_orientation(image: np.ndarray, dpi: float, threads: int = -1) -> int:
    """The quarter turns (degrees, counter-clockwise: 0/90/180/270) that set the page upright.

    Two cheap steps before OCR (about 0.2 s a page, measured in docs/ocr.md):

    * **sideways or not**: with the ruled lines taken out, the ink is closed over
      a small gap (wider than the space between characters, narrower than the
      space between lines) once along the rows and once along the columns; the
      direction whose closing yields more long thin runs is the direction of the
      text lines. Columns → the page is turned a quarter.
    * **upside down or not**: the longest line crops go to RapidOCR's 0/180°
      text classifier; its confidence-weighted vote decides. One line's vote is
      unreliable (why ``use_cls`` is off per box), twenty agree.
    """
    cfg = settings()["orientation"]
    gap = max(3, round(cfg["line_gap_px_at_150dpi"] * dpi / 150))
    ink = _text_ink(image)
    rows = _text_lines(ink, gap, cfg["elongation"])
    cols = _text_lines(np.ascontiguousarray(ink.T), gap, cfg["elongation"])
    turn = 0
    if cols[:, 2].sum() > cfg["sideways_ratio"] * max(1, rows[:, 2].sum()):
        turn = 90
        image = np.ascontiguousarray(np.rot90(image))
        rows = _text_lines(np.ascontiguousarray(np.rot90(ink)), gap, cfg["elongation"])
    rows = rows[rows[:, 3] >= cfg["min_line_height_px_at_150dpi"] * dpi / 150]
    longest = rows[np.argsort(-rows[:, 2])][: cfg["lines_to_vote"]]
    if len(longest) == 0:
        return turn
    pad = 3
    crops = [
        cv2.cvtColor(image[max(y - pad, 0) : y + h + pad, max(x - pad, 0) : x + w + pad],
                     cv2.COLOR_GRAY2BGR)
        for x, y, w, h in longest
    ]  # fmt: skip
    _, votes, _elapsed = engine(threads).text_cls(crops)
    upright = sum(score for label, score in votes if label == "0")
    upside_down = sum(score for label, score in votes if label == "180")
    if upside_down > upright:
        turn += 180
    return turn


def turn_upright(image: np.ndarray, rotation_deg: int) -> np.ndarray:
    """``image`` turned by ``rotation_deg`` (a multiple of 90, counter-clockwise), exactly."""
    if rotation_deg % 360 == 0:
        return image
    return np.ascontiguousarray(np.rot90(image, (rotation_deg // 90) % 4))


def straightened_page(
    path: str | Path, page: int, skew_deg: float | None = None, rotation_deg: int | None = None
) -> np.ndarray:
    """The page image rendered, turned upright and straightened (as OCR'd, when known)."""
    image, dpi = render_page(path, page)
    if rotation_deg is None:
        rotation_deg = find_orientation(image, dpi)
    image = turn_upright(image, rotation_deg)
    return rotate(image, find_skew(image) if skew_deg is None else skew_deg)


# ---------------------------------------------------------------- the engine


_engines = threading.local()


def engine(threads: int = -1):
    """This thread's RapidOCR engine (ONNX sessions are made once per thread)."""
    eng = getattr(_engines, "engine", None)
    if eng is None:
        from rapidocr_onnxruntime import RapidOCR  # heavy: only where OCR runs

        eng = RapidOCR(intra_op_num_threads=threads, **settings()["engine"])
        _engines.engine = eng
    return eng


def recognize(image: np.ndarray, threads: int = -1) -> list[OcrBox]:
    """Every text box RapidOCR finds on a greyscale image, with its confidence."""
    result, _elapsed = engine(threads)(cv2.cvtColor(image, cv2.COLOR_GRAY2BGR))
    boxes = []
    for quad, text, score in result or []:
        xs = [p[0] for p in quad]
        ys = [p[1] for p in quad]
        boxes.append(OcrBox(str(text), round(float(score), 4), min(xs), min(ys), max(xs), max(ys)))
    return boxes


def read_cell(image: np.ndarray, box: tuple[int, int, int, int]) -> OcrBox | None:
    """Recognize one cell (x0, y0, x1, y1) without detection: a number detection missed.

    The crop is cut to its ink (a lone digit in a wide cell is otherwise read as
    punctuation) with a thin white border. None when the cell holds no ink.
    """
    x0, y0, x1, y1 = (max(int(v), 0) for v in box)
    crop = image[y0:y1, x0:x1]
    if crop.size == 0:
        return None
    _, ink = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    ink = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))  # specks out
    ys, xs = np.nonzero(ink)
    if len(ys) < 8 or int(crop.min()) > 160:  # blank paper (Otsu finds "ink" in noise)
        return None
    crop = crop[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    crop = cv2.copyMakeBorder(crop, 2, 2, 2, 2, cv2.BORDER_CONSTANT, value=255)
    result, _elapsed = engine()(cv2.cvtColor(crop, cv2.COLOR_GRAY2BGR), use_det=False)
    if not result or not str(result[0][0]).strip():
        return None
    text, score = result[0]
    return OcrBox(
        str(text), round(float(score), 4), x0 + xs.min(), y0 + ys.min(), x0 + xs.max(),
        y0 + ys.max(),
    )  # fmt: skip


def _without_rules(crop: np.ndarray) -> np.ndarray:
    """A cell crop with the ruled lines crossing it painted white (a loose box holds some)."""
    _, ink = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    h, w = crop.shape
    rules = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, max(3, int(w * 0.6))), np.uint8))
    rules |= cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((max(3, int(h * 0.6)), 1), np.uint8))
    out = crop.copy()
    out[cv2.dilate(rules, np.ones((3, 3), np.uint8)) > 0] = 255
    return _without_specks(out, cv2.subtract(ink, rules))


def _without_specks(crop: np.ndarray, ink: np.ndarray) -> np.ndarray:
    """``crop`` with dust painted out: small blots standing apart from the characters.

    A speck beside a lone "1" turns the ink-cut crop into "国"; a decimal point
    is as small but sits close by a digit, so it stays.
    """
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if n <= 2:
        return crop
    heights = stats[1:, cv2.CC_STAT_HEIGHT]
    tall = heights.max()
    big = [i + 1 for i, h in enumerate(heights) if h >= 0.5 * tall]
    out = crop.copy()
    for i in range(1, n):
        if i in big:
            continue
        x, w = stats[i, cv2.CC_STAT_LEFT], stats[i, cv2.CC_STAT_WIDTH]
        gap = min(
            max(stats[b, 0] - (x + w), x - (stats[b, 0] + stats[b, 2]), 0) for b in big
        )  # horizontal distance to the nearest character
        if gap > 0.6 * tall:
            out[labels == i] = 255
    return out


def read_cell_closer(image: np.ndarray, box: tuple[int, int, int, int]) -> list[OcrBox]:
    """Readings of one cell at a higher resolution: its grid box and a looser box, upscaled.

    A score too small or faint for the page pass (a 9-pixel "1.5" read as "15",
    a lone digit not detected) is often read right when just its cell is
    enlarged. The loose box (``reread.loose_margin`` of the cell's height on
    every side, ruled lines painted out) catches digits a skewed rule cut into.
    Every reading is returned, in page coordinates of the cell; the caller
    decides which parses.
    """
    cfg = settings()["reread"]
    x0, y0, x1, y1 = (max(int(v), 0) for v in box)
    margin = int(cfg["loose_margin"] * max(1, y1 - y0))
    h, w = image.shape
    loose = (max(x0 - margin, 0), max(y0 - margin, 0), min(x1 + margin, w), min(y1 + margin, h))
    readings = []
    for bx0, by0, bx1, by1 in ((x0, y0, x1, y1), loose):
        crop = _without_rules(image[by0:by1, bx0:bx1])
        if crop.size == 0:
            continue
        for scale in cfg["scales"]:
            up = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
            found = read_cell(up, (0, 0, up.shape[1], up.shape[0]))
            if found is not None:
                readings.append(OcrBox(found.text, found.confidence, x0, y0, x1, y1))
    return readings


# ---------------------------------------------------------------- cache


def page_key(image: np.ndarray) -> str:
    """Hash of the rendered page and everything that shapes its OCR."""
    h = hashlib.sha256()
    settings_text = json.dumps(
        {"engine": ENGINE, "format": CACHE_FORMAT, "cfg": settings()["engine"],
         "render": settings()["render"]},
        sort_keys=True,
    )  # fmt: skip
    h.update(settings_text.encode())
    h.update(str(image.shape).encode())
    h.update(image.tobytes())
    return h.hexdigest()


class OcrCache:
    """OCR results on disk, one JSON file per page hash; safe for concurrent writers."""

    def __init__(self, directory: str | Path | None = None) -> None:
        self.directory = Path(directory) if directory else default_cache_dir()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str, page: int) -> OcrPage | None:
        try:
            data = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        boxes = [OcrBox(*b) for b in data.pop("boxes")]
        return OcrPage(**{**data, "page": page, "boxes": boxes, "cached": True, "key": key})

    def put(self, result: OcrPage) -> None:
        path = self._path(result.key)
        data = asdict(result)
        data["boxes"] = [[b.text, b.confidence, b.x0, b.y0, b.x1, b.y1] for b in result.boxes]
        for transient in ("page", "cached", "key"):
            data.pop(transient)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
            tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            tmp.replace(path)
        except OSError as e:  # a read-only cache costs time, never the result
            log.warning("OCR cache not written (%s): %s", path, e)


# ---------------------------------------------------------------- pages


Progress = Callable[[int, int, OcrPage], None]


def print_progress(done: int, total: int, result: OcrPage) -> None:
    """Default progress: one line per page on stderr."""
    how = "cached" if result.cached else f"{result.seconds:.1f} s"
    print(f"OCR page {result.page} ({done}/{total}): {how}", file=sys.stderr, flush=True)


def ocr_page(
    path: str | Path, page: int, cache: OcrCache | None = None, threads: int = -1
) -> OcrPage:
    """OCR one page (1-based), from the cache when this exact page image was seen."""
    image, dpi = render_page(path, page)
    key = page_key(image)
    if cache is not None and (hit := cache.get(key, page)) is not None:
        return hit
    start = time.perf_counter()
    turn = find_orientation(image, dpi, threads)
    upright = turn_upright(image, turn)
    skew = find_skew(upright)
    straight = rotate(upright, skew)
    boxes = recognize(straight, threads)
    h, w = straight.shape
    seconds = time.perf_counter() - start
    result = OcrPage(page, w, h, dpi, skew, boxes, seconds, False, key, turn)
    if cache is not None:
        cache.put(result)
    return result


def ocr_pages(
    path: str | Path,
    pages: list[int],
    *,
    cache_dir: str | Path | None = None,
    use_cache: bool = True,
    workers: int = 1,
    progress: Progress | None = print_progress,
) -> list[OcrPage]:
    """OCR the given pages of one PDF, in page order.

    Args:
        path: the PDF.
        pages: 1-based page numbers (see ``image_only_pages``).
        cache_dir: where results are cached (default ``default_cache_dir()``).
        use_cache: False to always run the engine (benchmarks).
        workers: pages OCR'd at once, each on its own engine; the cores are
            shared between them (ONNX Runtime already uses every core for one
            page, so on 2 cores 1 worker is as fast: see docs/ocr.md).
        progress: called after each page with (done, total, page result).
    """
    cache = OcrCache(cache_dir) if use_cache else None
    total = len(pages)
    results: dict[int, OcrPage] = {}
    lock = threading.Lock()
    threads = -1 if workers <= 1 else max(1, (os.cpu_count() or 1) // workers)

    def run(page: int) -> None:
        result = ocr_page(path, page, cache, threads)
        with lock:
            results[page] = result
            if progress is not None:
                progress(len(results), total, result)

    if workers <= 1 or total <= 1:
        for page in pages:
            run(page)
    else:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ocr") as pool:
            list(pool.map(run, pages))
    return [results[p] for p in pages]
