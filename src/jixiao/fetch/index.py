"""The fetch index: every attempt at a URL, what came back, when and from where.

A SQLite file in the raw store (``data/raw/fetch-index.sqlite3``, not
committed). The raw store keeps every version of a document by content
hash; the index says which URL served which hash when, and keeps the
validators (ETag, Last-Modified) that make the next fetch conditional.
SQLite because fetches run in parallel threads and processes: each call
opens its own connection and the file lock serialises writers.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing
from dataclasses import asdict, dataclass
from pathlib import Path

INDEX_NAME = "fetch-index.sqlite3"

_DDL = """
create table if not exists fetch_log (
    fetched_at    text not null,     -- UTC, ISO 8601
    source_id     text,
    url           text not null,     -- as in the manifest
    final_url     text,              -- after redirects
    outcome       text not null,     -- downloaded · not_modified · failed
    http_status   integer,
    sha256        text,
    size          integer,
    etag          text,
    last_modified text,
    content_type  text,
    attempts      integer,
    seconds       real,
    error_class   text,
    message       text
);
create index if not exists fetch_log_url on fetch_log (url, fetched_at);
"""


@dataclass
class FetchRecord:
    """One row of the index."""

    url: str
    outcome: str
    source_id: str | None = None
    final_url: str | None = None
    http_status: int | None = None
    sha256: str | None = None
    size: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    attempts: int | None = None
    seconds: float | None = None
    error_class: str | None = None
    message: str | None = None
    fetched_at: str = ""


class FetchIndex:
    """The index file of one raw store."""

    def __init__(self, raw_dir: Path):
        self.path = Path(raw_dir) / INDEX_NAME

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        con.execute("pragma busy_timeout = 60000")
        con.executescript(_DDL)
        return con

    def record(self, rec: FetchRecord) -> None:
        """Append one attempt (stamped now, UTC, unless already stamped)."""
        row = asdict(rec)
        row["fetched_at"] = rec.fetched_at or dt.datetime.now(dt.UTC).isoformat(
            timespec="milliseconds"
        )
        cols = ", ".join(row)
        marks = ", ".join(f":{c}" for c in row)
        with closing(self._connect()) as con:
            con.execute(f"insert into fetch_log ({cols}) values ({marks})", row)

    def last_good(self, url: str) -> FetchRecord | None:
        """The latest successful fetch of ``url`` (downloaded or confirmed unchanged)."""
        rows = self.history(url, outcomes=("downloaded", "not_modified"), limit=1)
        return rows[0] if rows else None

    def history(
        self, url: str | None = None, outcomes: tuple[str, ...] | None = None, limit: int = 1000
    ) -> list[FetchRecord]:
        """Attempts, newest first, optionally for one URL and some outcomes."""
        if not self.path.exists():
            return []
        where, params = [], []
        if url is not None:
            where.append("url = ?")
            params.append(url)
        if outcomes:
            where.append(f"outcome in ({', '.join('?' * len(outcomes))})")
            params += list(outcomes)
        sql = "select * from fetch_log"
        if where:
            sql += " where " + " and ".join(where)
        sql += " order by fetched_at desc, rowid desc limit ?"
        with closing(self._connect()) as con:
            con.row_factory = sqlite3.Row
            rows = con.execute(sql, [*params, limit]).fetchall()
        return [FetchRecord(**dict(r)) for r in rows]
