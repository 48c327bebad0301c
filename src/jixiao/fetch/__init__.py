"""Fetch: get a source's bytes into the raw store and name them by sha256.

Local ``path`` sources are read where they are. ``url`` sources are fetched
by ``http.SafeClient`` (guarded, polite, retried, capped) into
``data/raw/<sha256>.<format>`` (pdf, docx, xlsx, doc, xls or html, from the
bytes); the fetch index (``index.FetchIndex``) remembers
each URL's validators so the next fetch is conditional: a 304 answer
returns the stored file, whose unchanged sha256 then skips extraction. A
changed document is a new file beside the old one (the raw store keeps
history; the warehouse keeps the current version). Either way the result is
checked against the manifest's ``sha256`` when one is given.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from jixiao.errors import ChecksumMismatch, FetchError, SourceMissing
from jixiao.fetch.guard import Resolver
from jixiao.fetch.http import SafeClient
from jixiao.fetch.index import FetchIndex, FetchRecord
from jixiao.fetch.politeness import source_host
from jixiao.fetch.settings import FetchSettings
from jixiao.formats import EXTENSIONS
from jixiao.manifest import Source

__all__ = [
    "FetchSettings",
    "Fetched",
    "SafeClient",
    "fetch_many",
    "fetch_source",
    "sha256_file",
]


@dataclass(frozen=True)
class Fetched:
    """A source's bytes on disk."""

    source_id: str
    path: Path
    sha256: str
    size: int
    status: str = "local"  # local · downloaded · not_modified
    final_url: str | None = None


def fetch_source(
    source: Source,
    raw_dir: Path | None = None,
    *,
    settings: FetchSettings | None = None,
    client: SafeClient | None = None,
    resolver: Resolver | None = None,
) -> Fetched:
    """The source's bytes, on disk and checksummed; every URL attempt lands in the index.

    Args:
        raw_dir: the raw store (default: ``settings.raw_dir``, i.e. ``data/raw``).
        client: a client to reuse (one per host keeps connections alive).
        resolver: host name → addresses, for a client made here (tests).

    Raises:
        FetchError: a subclass naming the cause (missing file, HTTP status,
            timeout, unsafe target, not a document, checksum mismatch, ...).
    """
    settings = settings or FetchSettings.from_env()
    if source.path is not None:
        if not source.path.is_file():
            raise SourceMissing(f"no file at {source.path}")
        digest = sha256_file(source.path)
        _check_sha256(source, digest, str(source.path))
        return Fetched(source.id, source.path, digest, source.path.stat().st_size)
    raw_dir = Path(raw_dir or settings.raw_dir)
    own = client is None
    client = client or SafeClient(settings, resolver)
    try:
        return _fetch_url(source, raw_dir, client)
    finally:
        if own:
            client.close()


def fetch_many(
    sources: Sequence[Source],
    raw_dir: Path | None = None,
    *,
    settings: FetchSettings | None = None,
    resolver: Resolver | None = None,
) -> list[Fetched | FetchError]:
    """Fetch many sources: hosts in parallel (``max_hosts``), one host's sources in turn.

    A failure is returned in its source's place, never raised: one bad
    source does not stop the others.
    """
    settings = settings or FetchSettings.from_env()
    groups: dict[str | None, list[int]] = {}
    for n, source in enumerate(sources):
        groups.setdefault(source_host(source), []).append(n)
    results: list[Fetched | FetchError | None] = [None] * len(sources)

    def run(indexes: list[int]) -> None:
        with SafeClient(settings, resolver) as client:
            for n in indexes:
                try:
                    results[n] = fetch_source(sources[n], raw_dir, settings=settings, client=client)
                except FetchError as e:
                    results[n] = e

    with ThreadPoolExecutor(max_workers=settings.max_hosts) as pool:
        for future in [pool.submit(run, indexes) for indexes in groups.values()]:
            future.result()
    return results  # type: ignore[return-value]


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _fetch_url(source: Source, raw_dir: Path, client: SafeClient) -> Fetched:
    """Download (conditionally when the index knows the URL), check, and record the attempt."""
    url = source.url
    assert url is not None
    index = FetchIndex(raw_dir)
    cached = index.last_good(url)
    cached_path = stored_path(raw_dir, cached.sha256) if cached and cached.sha256 else None
    validators = {}
    if cached and cached_path and cached_path.is_file():
        if cached.etag:
            validators["If-None-Match"] = cached.etag
        if cached.last_modified:
            validators["If-Modified-Since"] = cached.last_modified
    start = time.monotonic()
    try:
        got = client.download(url, raw_dir, validators=validators, expected_sha256=source.sha256)
        if got.status == "not_modified" and sha256_file(cached_path) != cached.sha256:
            # the stored copy was altered: fetch it again, unconditionally
            got = client.download(url, raw_dir, expected_sha256=source.sha256)
        if got.status == "not_modified":
            path, digest = cached_path, cached.sha256
            _check_sha256(source, digest, url)
        else:
            path, digest = got.path, got.sha256
    except FetchError as e:
        index.record(
            FetchRecord(
                url=url,
                source_id=source.id,
                outcome="failed",
                http_status=getattr(e, "status", None),
                attempts=e.attempts,
                seconds=round(time.monotonic() - start, 3),
                error_class=e.error_class,
                message=str(e),
            )
        )
        raise
    size = path.stat().st_size
    index.record(
        FetchRecord(
            url=url,
            source_id=source.id,
            outcome=got.status,
            final_url=got.final_url,
            http_status=got.http_status,
            sha256=digest,
            size=size,
            # a 304 need not repeat the validators: keep the ones that worked
            etag=got.etag or (cached.etag if cached else None),
            last_modified=got.last_modified or (cached.last_modified if cached else None),
            content_type=got.content_type,
            attempts=got.attempts,
            seconds=round(time.monotonic() - start, 3),
        )
    )
    return Fetched(source.id, path, digest, size, got.status, got.final_url)


def stored_path(raw_dir: Path, sha256: str) -> Path | None:
    """The raw store's file of these bytes, whatever its format's extension."""
    for ext in EXTENSIONS.values():
        path = raw_dir / f"{sha256}{ext}"
        if path.is_file():
            return path
    return None


def _check_sha256(source: Source, digest: str, where: str) -> None:
    if source.sha256 and digest != source.sha256:
        raise ChecksumMismatch(f"sha256 of {where} is {digest}, not the manifest's {source.sha256}")
