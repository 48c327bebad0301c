"""The extractor version: a digest of everything that decides what a PDF yields.

A report loaded with another version is extracted again; an unchanged PDF
under the same version is skipped.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from jixiao import paths

_PACKAGE = Path(__file__).parent
_INPUTS = ("extract", "normalize", "validate", "reference")


def _digest() -> str:
    h = hashlib.sha256()
    files = [p for d in _INPUTS for p in sorted((_PACKAGE / d).rglob("*")) if p.is_file()]
    files.append(_PACKAGE / "formats.py")  # which reader a file gets
    files += sorted(paths.EXPECTATIONS.glob("*.json"))
    for path in files:
        if path.suffix in {".pyc"}:
            continue
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


EXTRACTOR_VERSION = _digest()
