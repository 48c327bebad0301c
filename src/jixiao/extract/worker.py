"""Parse each document in its own process, with a wall-clock and a memory limit.

PDF parsers run native code (PDFium, image decoders): a hostile file can hang
or take all memory, and a Prefect task timeout cannot interrupt blocking
native code. A worker that dies, hangs or exceeds its limit becomes a
recorded error for that document only.
"""

from __future__ import annotations

import multiprocessing as mp
import resource
import traceback
from pathlib import Path

from jixiao import errors
from jixiao.model import DocumentFacts

DEFAULT_TIMEOUT_S = 180.0
DEFAULT_MEMORY_MB = 4096


def extract_isolated(
    path: str | Path,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    memory_mb: int = DEFAULT_MEMORY_MB,
) -> DocumentFacts:
    """``extract_document(path)`` in a fresh process; its errors re-raised here.

    Raises:
        DocumentError: what the document raised, or ``WorkerTimeout`` /
            ``WorkerDied`` when the process hung, crashed or ran out of memory.
    """
    ctx = mp.get_context("spawn")
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_run, args=(str(path), sender, memory_mb), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout_s):
            process.kill()
            raise errors.WorkerTimeout(
                f"parsing took longer than {timeout_s:.0f} s and was stopped"
            )
        try:
            kind, payload = receiver.recv()
        except EOFError:
            process.join(5)
            raise errors.WorkerDied(
                f"the parser process died (exit code {process.exitcode}) "
                f"— a crash in native code or more than {memory_mb} MB of memory"
            ) from None
    finally:
        receiver.close()
        process.join(5)
        if process.is_alive():
            process.kill()
    if kind == "ok":
        return payload
    error_class, message = payload
    raise _error_type(error_class)(message)


def _error_type(error_class: str) -> type[errors.DocumentError]:
    for value in vars(errors).values():
        if (
            isinstance(value, type)
            and issubclass(value, errors.DocumentError)
            and value.error_class == error_class
        ):
            return value
    return errors.ExtractionFailed


def _run(path: str, sender, memory_mb: int) -> None:
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        from jixiao.extract.document import extract_document

        sender.send(("ok", extract_document(path)))
    except errors.DocumentError as e:
        sender.send(("error", (e.error_class, str(e))))
    except MemoryError:
        sender.send(("error", ("worker_died", f"ran out of memory (limit {memory_mb} MB)")))
    except Exception as e:
        last = traceback.extract_tb(e.__traceback__)[-1]
        sender.send(
            (
                "error",
                (
                    "extraction_failed",
                    f"{type(e).__name__}: {e} (at {Path(last.filename).name}:{last.lineno})",
                ),
            )
        )
    finally:
        sender.close()
