"""Build the warehouse beside the published one, check it, then swap it in atomically.

Analysts (and ``jixiao sql``) read ``warehouse.duckdb``; an ingest writes into
``warehouse.duckdb.building`` (a copy of the published file), and only when
every report is loaded and the warehouse checks pass is it renamed over the
published file, the previous version kept as ``warehouse.duckdb.prev``. A
process killed at any moment leaves the published file as it was; the next run
discards the unfinished build.

Only one ingest may build at a time: an OS file lock (``warehouse.duckdb.lock``)
makes a second one wait, saying who holds it.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb


class WarehouseBusy(Exception):
    """Another ingest holds the warehouse lock for longer than we may wait."""


def building_path(db: Path) -> Path:
    return db.with_name(db.name + ".building")


def previous_path(db: Path) -> Path:
    return db.with_name(db.name + ".prev")


@contextmanager
def exclusive(
    db: str | Path, wait_s: float = 3600, say: Callable[[str], None] = print
) -> Iterator[None]:
    """Hold the warehouse's ingest lock (an OS lock: released if the process dies)."""
    db = Path(db)
    db.parent.mkdir(parents=True, exist_ok=True)
    lock_path = db.with_name(db.name + ".lock")
    with open(lock_path, "a+") as handle:
        deadline = time.monotonic() + wait_s
        told = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                handle.seek(0)
                holder = handle.read().strip() or "another process"
                if time.monotonic() >= deadline:
                    raise WarehouseBusy(
                        f"{db} is being ingested by {holder}; gave up after {wait_s:.0f} s"
                    ) from None
                if not told:
                    say(f"{db} is being ingested by {holder}; waiting for it to finish…")
                    told = True
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {time.strftime('%Y-%m-%d %H:%M:%S')}")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            handle.flush()
            fcntl.flock(handle, fcntl.LOCK_UN)


def start_build(db: str | Path) -> Path:
    """A fresh build file: a copy of the published warehouse (or nothing yet).

    Call with the lock held. A leftover build from a killed run is discarded.
    """
    db = Path(db)
    build = building_path(db)
    for leftover in (build, build.with_name(build.name + ".wal")):
        leftover.unlink(missing_ok=True)
    if db.exists():
        shutil.copyfile(db, build)
    return build


def publish(db: str | Path) -> None:
    """Swap the finished build in: keep the old file as ``.prev``, rename atomically.

    The build must be closed (checkpointed) first; readers holding the old
    file keep reading it until they reopen.
    """
    db = Path(db)
    build = building_path(db)
    con = duckdb.connect(str(build))
    con.execute("checkpoint")
    con.close()
    if db.exists():
        prev_tmp = db.with_name(db.name + ".prev.tmp")
        prev_tmp.unlink(missing_ok=True)
        os.link(db, prev_tmp)
        os.replace(prev_tmp, previous_path(db))
    os.replace(build, db)
    _fsync_dir(db.parent)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
