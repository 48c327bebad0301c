"""Fetch settings: safe, polite defaults, each overridable by an environment variable.

| setting | env | default |
| --- | --- | --- |
| ``allow_private`` | ``JIXIAO_FETCH_ALLOW_PRIVATE=1`` | off (private, loopback, CGNAT, ULA) |
| ``allow_networks`` | ``JIXIAO_FETCH_ALLOW_NETWORKS=127.0.0.0/8,...`` | none |
| ``connect_timeout_s`` | ``JIXIAO_FETCH_CONNECT_TIMEOUT`` | 10 |
| ``read_timeout_s`` | ``JIXIAO_FETCH_READ_TIMEOUT`` | 30 (longest silence between two reads) |
| ``deadline_s`` | ``JIXIAO_FETCH_DEADLINE`` | 300 (one file, all attempts and redirects) |
| ``max_bytes`` | ``JIXIAO_FETCH_MAX_BYTES`` | 200 MiB (a PDF) |
| ``max_page_bytes`` | ``JIXIAO_FETCH_MAX_PAGE_BYTES`` | 5 MiB (an HTML or JSON page) |
| ``attempts`` | ``JIXIAO_FETCH_ATTEMPTS`` | 3 |
| ``backoff_s`` | ``JIXIAO_FETCH_BACKOFF`` | 1 (then 2, 4, … plus jitter) |
| ``max_retry_after_s`` | ``JIXIAO_FETCH_MAX_RETRY_AFTER`` | 120 (a longer Retry-After fails now) |
| ``host_delay_s`` | ``JIXIAO_FETCH_HOST_DELAY`` | 1 (pause between two requests to a host) |
| ``max_hosts`` | ``JIXIAO_FETCH_MAX_HOSTS`` | 4 (hosts fetched in parallel) |
| ``max_redirects`` | ``JIXIAO_FETCH_MAX_REDIRECTS`` | 5 |
| ``contact`` | ``JIXIAO_FETCH_CONTACT`` | none (an e-mail or URL added to the user agent) |
| ``agent`` | ``JIXIAO_FETCH_USER_AGENT`` | none (replaces the whole user agent; keep it honest) |
| ``https_fallback`` | ``JIXIAO_FETCH_HTTPS_FALLBACK=0`` | on (TLS failure: fetch over http) |
| ``raw_dir`` | ``JIXIAO_RAW_DIR`` | ``data/raw`` |

Link-local (169.254/16, fe80::/10: cloud metadata), multicast, reserved and
unspecified addresses stay refused even with ``allow_private``; only an
explicit ``allow_networks`` entry opens them.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from jixiao import paths

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _env(name: str, default: str) -> str:
    return os.environ.get(name, "").strip() or default


def _flag(name: str) -> bool:
    return _env(name, "0").lower() in {"1", "true", "yes", "on"}


def _networks(text: str) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(part.strip()) for part in text.split(",") if part.strip())


@dataclass(frozen=True)
class FetchSettings:
    """How fetching behaves; ``from_env()`` reads the ``JIXIAO_FETCH_*`` overrides."""

    allow_private: bool = False
    allow_networks: tuple[Network, ...] = ()
    connect_timeout_s: float = 10.0
    read_timeout_s: float = 30.0
    deadline_s: float = 300.0
    max_bytes: int = 200 * 1024 * 1024
    max_page_bytes: int = 5 * 1024 * 1024
    attempts: int = 3
    backoff_s: float = 1.0
    max_retry_after_s: float = 120.0
    host_delay_s: float = 1.0
    max_hosts: int = 4
    max_redirects: int = 5
    contact: str | None = None
    agent: str | None = None
    https_fallback: bool = True
    raw_dir: Path = field(default=paths.RAW)

    @classmethod
    def from_env(cls) -> FetchSettings:
        d = cls()
        return cls(
            allow_private=_flag("JIXIAO_FETCH_ALLOW_PRIVATE"),
            allow_networks=_networks(_env("JIXIAO_FETCH_ALLOW_NETWORKS", "")),
            connect_timeout_s=float(_env("JIXIAO_FETCH_CONNECT_TIMEOUT", str(d.connect_timeout_s))),
            read_timeout_s=float(_env("JIXIAO_FETCH_READ_TIMEOUT", str(d.read_timeout_s))),
            deadline_s=float(_env("JIXIAO_FETCH_DEADLINE", str(d.deadline_s))),
            max_bytes=int(_env("JIXIAO_FETCH_MAX_BYTES", str(d.max_bytes))),
            max_page_bytes=int(_env("JIXIAO_FETCH_MAX_PAGE_BYTES", str(d.max_page_bytes))),
            attempts=max(1, int(_env("JIXIAO_FETCH_ATTEMPTS", str(d.attempts)))),
            backoff_s=float(_env("JIXIAO_FETCH_BACKOFF", str(d.backoff_s))),
            max_retry_after_s=float(_env("JIXIAO_FETCH_MAX_RETRY_AFTER", str(d.max_retry_after_s))),
            host_delay_s=float(_env("JIXIAO_FETCH_HOST_DELAY", str(d.host_delay_s))),
            max_hosts=max(1, int(_env("JIXIAO_FETCH_MAX_HOSTS", str(d.max_hosts)))),
            max_redirects=int(_env("JIXIAO_FETCH_MAX_REDIRECTS", str(d.max_redirects))),
            contact=_env("JIXIAO_FETCH_CONTACT", "") or None,
            agent=_env("JIXIAO_FETCH_USER_AGENT", "") or None,
            https_fallback=_env("JIXIAO_FETCH_HTTPS_FALLBACK", "1").lower()
            not in {"0", "false", "no", "off"},
            raw_dir=Path(_env("JIXIAO_RAW_DIR", str(d.raw_dir))),
        )

    def but(self, **changes) -> FetchSettings:
        """A copy with some settings changed."""
        return replace(self, **changes)

    @property
    def user_agent(self) -> str:
        """An honest user agent: who fetches, why, and how to reach them when configured.

        ``agent`` replaces it whole (for a portal that wants a particular
        form); otherwise it names the tool, its purpose and ``contact``.
        """
        if self.agent:
            return self.agent
        contact = f"; contact: {self.contact}" if self.contact else ""
        return f"jixiao/0.1 (archives published performance self-evaluation reports{contact})"
