"""Politeness: one request at a time per host, a pause between them, hosts in parallel.

``HOSTS`` is process-wide, so every client in a process shares it. Across
processes or machines the flow keeps one host's fetches in a chain instead
(``fetch_order`` gives the order and each fetch's predecessor on its host).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from jixiao.manifest import Source


@dataclass
class _Host:
    lock: threading.Lock = field(default_factory=threading.Lock)
    last_done: float = float("-inf")


class HostSlots:
    """A slot per host: at most one request in flight, ``delay_s`` between two."""

    def __init__(self) -> None:
        self._hosts: dict[str, _Host] = {}
        self._guard = threading.Lock()

    @contextmanager
    def slot(self, host: str, delay_s: float) -> Iterator[None]:
        """Hold ``host`` for one request, after waiting out the pause since the last one."""
        with self._guard:
            state = self._hosts.setdefault(host, _Host())
        with state.lock:
            wait = state.last_done + delay_s - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            try:
                yield
            finally:
                state.last_done = time.monotonic()


HOSTS = HostSlots()


def host_key(url: str) -> str:
    """``host:port`` of a URL, the unit of politeness."""
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{(parts.hostname or '').lower()}:{port}"


def source_host(source: Source) -> str | None:
    """The host a source is fetched from, or None for a local file."""
    return host_key(source.url) if source.url else None


def fetch_order(sources: Sequence[Source]) -> list[tuple[Source, Source | None]]:
    """Sources round-robin across hosts, each with the previous source of its host.

    Round-robin keeps every host busy early; the predecessor is what a fetch
    waits for so that one host never sees two requests at once.
    """
    queues: dict[str | None, list[Source]] = {}
    for source in sources:
        queues.setdefault(source_host(source), []).append(source)
    local = queues.pop(None, [])
    order: list[tuple[Source, Source | None]] = [(s, None) for s in local]
    last: dict[str, Source] = {}
    while any(queues.values()):
        for host, queue in queues.items():
            if queue:
                source = queue.pop(0)
                order.append((source, last.get(host)))
                last[host] = source
    return order
