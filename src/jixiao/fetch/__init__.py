"""Fetch: get a source's bytes into the raw store and name them by sha256.

Local ``path`` sources are read where they are; ``url`` sources are downloaded
into ``data/raw/<sha256>.pdf`` (written atomically). Either way the result is
checked against the manifest's ``sha256`` when one is given.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from jixiao import paths
from jixiao.errors import ChecksumMismatch, FetchError, SourceMissing
from jixiao.manifest import Source

MAX_BYTES = 200 * 1024 * 1024
USER_AGENT = "jixiao/0.1 (performance report ingestion; +https://example.invalid/jixiao)"


@dataclass(frozen=True)
class Fetched:
    source_id: str
    path: Path
    sha256: str
    size: int


def fetch_source(source: Source, raw_dir: Path = paths.RAW) -> Fetched:
    """The source's bytes, on disk and checksummed.

    Raises:
        FetchError: missing file, download failure, or checksum mismatch.
    """
    if source.path is not None:
        if not source.path.is_file():
            raise SourceMissing(f"no file at {source.path}")
        path = source.path
        digest = sha256_file(path)
    else:
        path, digest = _download(source.url, raw_dir)
    if source.sha256 and digest != source.sha256:
        raise ChecksumMismatch(
            f"sha256 {digest[:12]}… does not match the manifest's {source.sha256[:12]}…"
        )
    return Fetched(source.id, path, digest, path.stat().st_size)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _download(url: str, raw_dir: Path) -> tuple[Path, str]:
    """Stream ``url`` into the raw store (a temp file renamed into place)."""
    import httpx

    raw_dir.mkdir(parents=True, exist_ok=True)
    h = hashlib.sha256()
    fd, tmp = tempfile.mkstemp(dir=raw_dir, suffix=".part")
    try:
        with (
            os.fdopen(fd, "wb") as out,
            httpx.stream(
                "GET",
                url,
                timeout=httpx.Timeout(30.0, connect=10.0),
                headers={"User-Agent": USER_AGENT},
                follow_redirects=False,
            ) as response,
        ):
            if response.status_code != 200:
                raise FetchError(f"HTTP {response.status_code} from {url}")
            size = 0
            for chunk in response.iter_bytes():
                if size == 0 and not chunk.lstrip()[:5] == b"%PDF-":
                    raise FetchError(f"not a PDF: the body from {url} does not start %PDF-")
                size += len(chunk)
                if size > MAX_BYTES:
                    raise FetchError(f"larger than {MAX_BYTES} bytes: {url}")
                h.update(chunk)
                out.write(chunk)
        digest = h.hexdigest()
        final = raw_dir / f"{digest}.pdf"
        os.replace(tmp, final)
        return final, digest
    except httpx.HTTPError as e:
        raise FetchError(f"{type(e).__name__} fetching {url}: {e}") from e
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
