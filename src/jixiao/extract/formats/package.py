"""Limits for Office packages (.docx/.xlsx are ZIP files), checked before anything inflates.

A ZIP member's declared size bounds what ``zipfile`` will ever inflate from
it, so the central directory alone tells a zip bomb (a tiny file inflating to
gigabytes) and an oversized document from a report: the largest published
自评表 workbooks and Word files inflate to a few MB. The worker's memory and
time limits stay the backstop.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from jixiao.errors import DamagedDocument, DocumentTooLarge, ZipBomb

MAX_INFLATED_MB = int(os.environ.get("JIXIAO_MAX_INFLATED_MB", 64))
# A member larger than 1 MB inflating more than this many times its stored size:
# XML compresses 10-30×; a run of zeros or one repeated row compresses 1000×.
MAX_RATIO = 200
RATIO_FLOOR = 1 << 20


def check_package(path: str | Path) -> None:
    """Raise unless the package's members are few, modest and plausibly compressed.

    Raises:
        ZipBomb: a member inflates more than ``MAX_RATIO`` times.
        DocumentTooLarge: the members inflate to more than ``MAX_INFLATED_MB``.
        DamagedDocument: the ZIP directory cannot be read.
    """
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise DamagedDocument(
            f"damaged Office package: its ZIP directory cannot be read ({e})"
        ) from e
    total = 0
    for info in infos:
        total += info.file_size
        stored = max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and info.file_size / stored > MAX_RATIO:
            raise ZipBomb(
                f"zip bomb: {info.filename} inflates {info.file_size / stored:.0f}× "
                f"({info.compress_size} → {info.file_size} bytes); no report compresses "
                f"more than {MAX_RATIO}×"
            )
    if total > MAX_INFLATED_MB << 20:
        raise DocumentTooLarge(
            f"document too large: its parts inflate to {total >> 20} MB, more than "
            f"{MAX_INFLATED_MB} MB (a self-evaluation workbook or Word file is a few MB)"
        )
