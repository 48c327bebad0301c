"""Parse each document in a worker process with a wall-clock and a memory limit.

PDF parsers run native code (PDFium, image decoders): a hostile file can hang,
crash or take all memory, and a Prefect task timeout cannot interrupt blocking
native code. Documents go to a small pool of long-lived worker processes (the
imports are paid once per worker, not per document); a worker that dies,
hangs or exceeds its limit is killed and replaced, and that document alone
becomes a recorded error.
"""

from __future__ import annotations

import atexit
import multiprocessing as mp
import os
import queue
import resource
import threading
import traceback
from dataclasses import dataclass
from pathlib import Path

from jixiao import errors
from jixiao.model import DocumentFacts

DEFAULT_TIMEOUT_S = float(os.environ.get("JIXIAO_PARSE_TIMEOUT_S", 180))
DEFAULT_MEMORY_MB = int(os.environ.get("JIXIAO_PARSE_MEMORY_MB", 4096))
POOL_SIZE = int(os.environ.get("JIXIAO_WORKERS", 2))
# Then the worker is replaced, in case native heaps fragment. Measured on 100 generated
# reports (6 pages on average) through one worker: RSS flat at 218 MB from the 10th
# document to the 100th, while a new worker costs ~0.6 s of CPU to import its parsers.
DOCUMENTS_PER_WORKER = int(os.environ.get("JIXIAO_DOCUMENTS_PER_WORKER", 200))
# Errors after which a worker is replaced; a document rejected for a known
# reason (not a PDF, truncated, encrypted …) leaves the worker as it was.
RETIRE_AFTER = {"extraction_failed", "worker_died"}


@dataclass(eq=False)
class _Worker:
    process: mp.process.BaseProcess
    conn: object
    memory_mb: int
    served: int = 0

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class WorkerPool:
    """Long-lived parser processes, each used by one document at a time."""

    def __init__(
        self,
        size: int = POOL_SIZE,
        memory_mb: int = DEFAULT_MEMORY_MB,
        timeout_s: float = DEFAULT_TIMEOUT_S,
    ) -> None:
        self.memory_mb = memory_mb
        self.timeout_s = timeout_s
        self._idle: queue.Queue[_Worker | None] = queue.Queue()
        for _ in range(size):
            self._idle.put(None)  # a slot; the process starts on first use
        self._ctx = mp.get_context("spawn")
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()

    def _start(self) -> _Worker:
        parent, child = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(target=_serve, args=(child, self.memory_mb), daemon=True)
        process.start()
        child.close()
        worker = _Worker(process, parent, self.memory_mb)
        with self._lock:
            self._all.add(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        worker.stop()
        with self._lock:
            self._all.discard(worker)

    def extract(self, path: str | Path, timeout_s: float | None = None) -> DocumentFacts:
        """``extract_document(path)`` in a worker; its errors re-raised here.

        Raises:
            DocumentError: what the document raised, or ``WorkerTimeout`` /
                ``WorkerDied`` when the worker hung, crashed or ran out of memory.
        """
        timeout_s = timeout_s or self.timeout_s
        worker = self._idle.get()
        try:
            if worker is None or not worker.process.is_alive():
                worker = self._start()
            worker.conn.send(str(path))
            if not worker.conn.poll(timeout_s):
                self._retire(worker)
                worker = None
                raise errors.WorkerTimeout(
                    f"parsing took longer than {timeout_s:.0f} s and was stopped"
                )
            try:
                kind, payload = worker.conn.recv()
            except (EOFError, OSError):
                worker.process.join(2)  # reap it, to report how it ended
                code = worker.process.exitcode
                self._retire(worker)
                worker = None
                raise errors.WorkerDied(
                    f"the parser process died (exit code {code}): a crash in native code "
                    f"or more than {self.memory_mb} MB of memory"
                ) from None
            worker.served += 1
            unexpected = kind != "ok" and payload[0] in RETIRE_AFTER
            if unexpected or worker.served >= DOCUMENTS_PER_WORKER:
                self._retire(worker)  # an unexpected failure may leave native state behind
                worker = None
        finally:
            self._idle.put(worker)
        if kind == "ok":
            return payload
        error_class, message = payload
        raise _error_type(error_class)(message)

    def close(self) -> None:
        with self._lock:
            workers = list(self._all)
        for worker in workers:
            self._retire(worker)


_pool: WorkerPool | None = None
_pool_lock = threading.Lock()


def extract_isolated(path: str | Path) -> DocumentFacts:
    """Extract one document in the process-wide worker pool."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = WorkerPool()
            atexit.register(_pool.close)
    return _pool.extract(path)


def configure(**limits) -> WorkerPool:
    """Replace the process-wide pool, e.g. ``configure(memory_mb=2048, timeout_s=30)``."""
    global _pool
    with _pool_lock:
        if _pool is not None:
            _pool.close()
        _pool = WorkerPool(**limits)
        atexit.register(_pool.close)
    return _pool


def _error_type(error_class: str) -> type[errors.DocumentError]:
    for value in vars(errors).values():
        if (
            isinstance(value, type)
            and issubclass(value, errors.DocumentError)
            and value.error_class == error_class
        ):
            return value
    return errors.ExtractionFailed


def _serve(conn, memory_mb: int) -> None:
    """Worker loop: receive a path, send back ("ok", facts) or ("error", (class, message))."""
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from jixiao.extract.document import extract_document

    while True:
        try:
            path = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send(("ok", extract_document(path)))
        except errors.DocumentError as e:
            conn.send(("error", (e.error_class, str(e))))
        except MemoryError:
            conn.send(("error", ("worker_died", f"ran out of memory (limit {memory_mb} MB)")))
        except Exception as e:
            last = traceback.extract_tb(e.__traceback__)[-1]
            where = f"{Path(last.filename).name}:{last.lineno}"
            conn.send(("error", ("extraction_failed", f"{type(e).__name__}: {e} (at {where})")))
