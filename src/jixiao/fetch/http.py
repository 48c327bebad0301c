"""A careful HTTP client: guarded addresses, manual redirects, retries, caps, deadlines.

Every request, and every hop of a redirect, goes through the same checks:
the scheme must be http(s) (``guard.check_scheme``); the host is resolved
and each address checked *before* a socket exists (``GuardedBackend``, which
then connects to exactly the checked address); one request at a time per
host with a pause between them (``politeness.HOSTS``). An https host whose
TLS handshake fails (real sites answer ``BAD_ECPOINT`` and the like) is
fetched over http instead, logged and remembered in
``SafeClient.downgraded``. Transient failures
(timeouts, dropped connections, 408/425/429/5xx) are retried with
exponential backoff, or after the server's ``Retry-After``, within one
overall deadline per document. Proxies from the environment are ignored
(``trust_env=False``): a proxy would connect where the guard cannot see.
"""

from __future__ import annotations

import contextlib
import email.utils
import hashlib
import logging
import os
import random
import ssl
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar
from urllib.parse import urljoin, urlsplit, urlunsplit

import certifi
import httpcore
import httpx
from httpcore._backends.sync import SyncBackend

from jixiao.errors import (
    BodyNotPdf,
    ChecksumMismatch,
    ConnectionFailed,
    FetchError,
    FetchTimeout,
    ForbiddenScheme,
    HttpStatusError,
    IncompleteBody,
    RawStoreError,
    RedirectLoop,
    TooLarge,
    TooManyRedirects,
)
from jixiao.fetch.guard import Resolver, check_scheme, checked_addresses, system_resolver
from jixiao.fetch.politeness import HOSTS, HostSlots, host_key
from jixiao.fetch.settings import FetchSettings
from jixiao.formats import EXTENSIONS, PDF_HEADER_WINDOW, sniff, sniff_head

log = logging.getLogger("jixiao.fetch")

TABLE_TAG = b"<table"
REDIRECT_STATUS = frozenset({301, 302, 303, 307, 308})

T = TypeVar("T")


class GuardedBackend(SyncBackend):
    """httpcore's socket backend, but every host is resolved and checked before connecting.

    The socket is opened to a checked address, never to the name, so the
    answer that was checked is the one used.
    """

    def __init__(self, settings: FetchSettings, resolver: Resolver):
        self.settings = settings
        self.resolver = resolver

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        addresses = checked_addresses(host, port, self.settings, self.resolver)
        error: Exception | None = None
        for ip in addresses:
            try:
                return super().connect_tcp(ip, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as e:
                error = e
        raise error  # type: ignore[misc]  # addresses is never empty


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport over ``GuardedBackend``; HTTP/1.1, no proxies, verified TLS."""

    def __init__(self, settings: FetchSettings, resolver: Resolver):
        super().__init__(trust_env=False)
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl.create_default_context(cafile=certifi.where()),
            max_connections=10,
            max_keepalive_connections=4,
            keepalive_expiry=5.0,
            network_backend=GuardedBackend(settings, resolver),
        )


@dataclass(frozen=True)
class Download:
    """A document fetched (or confirmed unchanged) from one URL."""

    url: str
    final_url: str
    status: str  # downloaded · not_modified
    http_status: int
    path: Path | None  # in the raw store, named by sha256 (None when not modified)
    sha256: str | None
    size: int | None
    etag: str | None
    last_modified: str | None
    content_type: str | None
    attempts: int
    seconds: float


@dataclass(frozen=True)
class Page:
    """An HTML or JSON page, whole in memory (for discovery)."""

    url: str
    final_url: str
    content_type: str | None
    body: bytes
    encoding: str

    @property
    def text(self) -> str:
        return self.body.decode(self.encoding, errors="replace")


@dataclass(frozen=True)
class _Body:
    final_url: str
    http_status: int
    headers: httpx.Headers
    tmp: Path | None = None
    sha256: str | None = None
    size: int | None = None
    data: bytes | None = None
    encoding: str = "utf-8"
    source_format: str = "pdf"


class SafeClient:
    """Fetches documents (PDF, Word, Excel, HTML with a table) into a raw store, pages
    into memory, safely and politely.

    Args:
        settings: limits and allowances (default: ``FetchSettings.from_env()``).
        resolver: host name → addresses (default: the system's ``getaddrinfo``);
            tests inject one to map a name anywhere without DNS.
        slots: the per-host politeness slots (default: the process-wide ones).
    """

    def __init__(
        self,
        settings: FetchSettings | None = None,
        resolver: Resolver | None = None,
        slots: HostSlots = HOSTS,
    ):
        self.settings = settings or FetchSettings.from_env()
        self.slots = slots
        self.downgraded: dict[str, str] = {}  # https host:port → why it is fetched over http
        self._http = httpx.Client(
            transport=GuardedTransport(self.settings, resolver or system_resolver),
            follow_redirects=False,
            trust_env=False,
            headers={"User-Agent": self.settings.user_agent},
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SafeClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- public ---------------------------------------------------------------

    def download(
        self,
        url: str,
        raw_dir: Path,
        *,
        validators: dict[str, str] | None = None,
        expected_sha256: str | None = None,
    ) -> Download:
        """Fetch a document into ``raw_dir/<sha256>.<format>`` atomically, or learn it is unchanged.

        The format comes from the bytes (``jixiao.formats``): a PDF, .docx,
        .xlsx, .doc, .xls, or an HTML page holding a table (a content page with
        the 自评表 inline); anything else is refused (``BodyNotPdf``), an HTML
        error page served in a document's place included.

        Args:
            validators: ``If-None-Match`` / ``If-Modified-Since`` from the last fetch;
                a 304 answer then returns ``status='not_modified'`` and no path.
            expected_sha256: bytes with another digest are refused and never stored.

        Raises:
            FetchError: a subclass naming the cause (see ``jixiao.errors``).
        """
        raw_dir = Path(raw_dir)
        headers = {"Accept": "application/pdf,*/*;q=0.5", **(validators or {})}  # PDFs mostly
        start = time.monotonic()

        def consume(response: httpx.Response, where: str, deadline: float) -> _Body:
            if response.status_code == 304 and validators:
                return _Body(where, 304, response.headers)
            _raise_for_status(response, where)
            return self._save_pdf(response, where, raw_dir, deadline)

        body, attempts = self._with_retries(url, headers, consume)
        meta = dict(
            url=url,
            final_url=body.final_url,
            http_status=body.http_status,
            etag=body.headers.get("etag"),
            last_modified=body.headers.get("last-modified"),
            content_type=body.headers.get("content-type"),
            attempts=attempts,
        )
        if body.http_status == 304:
            return Download(
                **meta,
                status="not_modified",
                path=None,
                sha256=None,
                size=None,
                seconds=time.monotonic() - start,
            )
        path = _publish(body, raw_dir, expected_sha256)
        return Download(
            **meta,
            status="downloaded",
            path=path,
            sha256=body.sha256,
            size=body.size,
            seconds=time.monotonic() - start,
        )

    def get_page(self, url: str, accept: str = "text/html,application/json;q=0.9") -> Page:
        """Fetch a page (HTML or JSON) into memory, capped at ``max_page_bytes``.

        Raises:
            FetchError: a subclass naming the cause.
        """

        def consume(response: httpx.Response, where: str, deadline: float) -> _Body:
            _raise_for_status(response, where)
            data = self._read_capped(response, where, deadline, self.settings.max_page_bytes)
            encoding = response.encoding or "utf-8"
            return _Body(
                where, response.status_code, response.headers, data=data, encoding=encoding
            )

        body, _ = self._with_retries(url, {"Accept": accept}, consume)
        content_type = body.headers.get("content-type")
        return Page(url, body.final_url, content_type, body.data or b"", body.encoding)

    # -- attempts, redirects, bodies -----------------------------------------

    def _with_retries(
        self, url: str, headers: dict[str, str], consume: Callable[..., T]
    ) -> tuple[T, int]:
        """Run attempts until one succeeds, a failure is not transient, or time is up."""
        s = self.settings
        deadline = time.monotonic() + s.deadline_s
        for attempt in range(1, s.attempts + 1):
            try:
                return self._follow(url, headers, consume, deadline), attempt
            except FetchError as e:
                e.attempts = attempt
                if not e.transient or attempt == s.attempts:
                    raise _annotated(e, attempt) from e.__cause__
                if e.retry_after is not None and e.retry_after > s.max_retry_after_s:
                    why = (
                        f"asked to retry after {e.retry_after:g} s, "
                        f"more than the {s.max_retry_after_s:g} s allowed"
                    )
                    raise _annotated(e, attempt, why) from e.__cause__
                wait = e.retry_after
                if wait is None:
                    wait = s.backoff_s * 2 ** (attempt - 1) * (1 + random.random() / 4)
                if time.monotonic() + wait >= deadline:
                    why = f"no time left for a retry within the {s.deadline_s:g} s deadline"
                    raise _annotated(e, attempt, why) from e.__cause__
                time.sleep(wait)
        raise AssertionError("unreachable")

    def _follow(
        self, url: str, headers: dict[str, str], consume: Callable[..., T], deadline: float
    ) -> T:
        """One attempt: request ``url``, following redirects by hand, each hop re-checked.

        A TLS handshake failure on an https host is retried over http on the
        same host (when ``https_fallback`` is on), and the host is remembered in
        ``downgraded`` so its later requests go straight to http.
        """
        chain = [url]
        where = url
        hops = 0
        while True:
            where = self._route(where)
            check_scheme(where)
            with self.slots.slot(host_key(where), self.settings.host_delay_s):
                timeout = self._timeout(deadline, where)
                try:
                    with self._http.stream("GET", where, headers=headers, timeout=timeout) as r:
                        location = r.headers.get("location")
                        if r.status_code not in REDIRECT_STATUS or not location:
                            return consume(r, where, deadline)
                except httpx.TimeoutException as e:
                    raise FetchTimeout(f"{_timeout_kind(e)} timeout from {where}") from e
                except httpx.RemoteProtocolError as e:
                    raise ConnectionFailed(f"{where}: the server broke the protocol: {e}") from e
                except httpx.ConnectError as e:
                    if self._downgrade(where, e):
                        continue
                    raise ConnectionFailed(f"cannot connect to {where}: {e}") from e
                except httpx.HTTPError as e:
                    raise ConnectionFailed(f"{type(e).__name__} from {where}: {e}") from e
            target = urljoin(where, location.strip())
            try:
                check_scheme(target)
            except ForbiddenScheme as e:
                raise ForbiddenScheme(f"redirect from {where} to {target}: {e}") from None
            if target in chain:
                raise RedirectLoop("redirect loop: " + " → ".join([*chain, target]))
            hops += 1
            if hops > self.settings.max_redirects:
                raise TooManyRedirects(
                    f"more than {self.settings.max_redirects} redirects: "
                    + " → ".join([*chain, target])
                )
            chain.append(target)
            where = target

    def _route(self, url: str) -> str:
        """``url``, or its http twin when its https host was downgraded earlier."""
        if urlsplit(url).scheme.lower() == "https" and host_key(url) in self.downgraded:
            return http_twin(url)
        return url

    def _downgrade(self, url: str, error: httpx.ConnectError) -> bool:
        """Remember an https host whose TLS handshake failed; True when http may be tried."""
        tls = _tls_failure(error)
        if tls is None or not self.settings.https_fallback:
            return False
        if urlsplit(url).scheme.lower() != "https":
            return False
        reason = f"TLS handshake failed ({tls}); fetched over http instead"
        self.downgraded[host_key(url)] = reason
        log.warning("%s: %s", host_key(url), reason)
        return True

    def _timeout(self, deadline: float, where: str) -> httpx.Timeout:
        left = deadline - time.monotonic()
        if left <= 0:
            raise FetchTimeout(f"deadline of {self.settings.deadline_s:g} s passed before {where}")
        s = self.settings
        return httpx.Timeout(
            connect=min(s.connect_timeout_s, left),
            read=min(s.read_timeout_s, left),
            write=min(s.read_timeout_s, left),
            pool=min(s.connect_timeout_s, left),
        )

    def _chunks(self, response: httpx.Response, where: str, deadline: float):
        """The decoded body in chunks; a broken or slow body becomes a transient error."""
        received = 0
        try:
            for chunk in response.iter_bytes():
                received += len(chunk)
                yield chunk
                if time.monotonic() > deadline:
                    raise FetchTimeout(
                        f"deadline of {self.settings.deadline_s:g} s passed after "
                        f"{received} bytes of {where}"
                    )
        except httpx.TimeoutException as e:
            raise FetchTimeout(f"read timeout after {received} bytes of {where}") from e
        except (httpx.RemoteProtocolError, httpx.ReadError) as e:
            raise IncompleteBody(
                f"connection ended after {received} bytes of {where}{_expected(response)}: {e}"
            ) from e
        except httpx.DecodingError as e:
            raise FetchError(f"cannot decode the body of {where}: {e}") from e
        declared = _content_length(response)
        plain = "content-encoding" not in response.headers
        if declared is not None and plain and received != declared:
            raise IncompleteBody(f"{received} bytes of {where}, but Content-Length said {declared}")

    def _read_capped(
        self, response: httpx.Response, where: str, deadline: float, cap: int
    ) -> bytes:
        _refuse_declared_size(response, where, cap)
        data = bytearray()
        for chunk in self._chunks(response, where, deadline):
            data += chunk
            if len(data) > cap:
                raise TooLarge(f"{where} is larger than the {cap} byte cap")
        return bytes(data)

    def _save_pdf(
        self, response: httpx.Response, where: str, raw_dir: Path, deadline: float
    ) -> _Body:
        """Stream the body into a temporary file of the raw store, hashing and checking it.

        The first KiB must start a known format (else nothing more is read);
        the whole file then decides docx/xlsx/doc/xls, and an HTML page must
        hold a ``<table>``.
        """
        cap = self.settings.max_bytes
        _refuse_declared_size(response, where, cap)
        content_type = response.headers.get("content-type", "no content type")
        try:
            raw_dir.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(dir=raw_dir, prefix=".fetch-", suffix=".part")
        except OSError as e:
            raise RawStoreError(f"cannot write to the raw store {raw_dir}: {e}") from e
        tmp = Path(name)
        digest, size, head = hashlib.sha256(), 0, b""
        family, has_table, carry = None, False, b""
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in self._chunks(response, where, deadline):
                    size += len(chunk)
                    if size > cap:
                        raise TooLarge(f"{where} is larger than the {cap} byte cap")
                    if len(head) < PDF_HEADER_WINDOW:
                        head += chunk[: PDF_HEADER_WINDOW - len(head)]
                        if len(head) >= PDF_HEADER_WINDOW:
                            family = _check_head(head, where, content_type)
                    if not has_table:  # an HTML page counts when it holds a table
                        window = (carry + chunk).lower()
                        has_table = TABLE_TAG in window
                        carry = window[-len(TABLE_TAG) :]
                    digest.update(chunk)
                    out.write(chunk)
                family = _check_head(head, where, content_type)
                out.flush()
                os.fsync(out.fileno())
            source_format = _check_whole(tmp, family, has_table, head, where, content_type)
        except OSError as e:
            tmp.unlink(missing_ok=True)
            raise RawStoreError(f"cannot write {where} to the raw store: {e}") from e
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return _Body(
            where, response.status_code, response.headers, tmp, digest.hexdigest(), size,
            source_format=source_format,
        )  # fmt: skip


def _publish(body: _Body, raw_dir: Path, expected_sha256: str | None) -> Path:
    """Move a checked temporary file to ``raw_dir/<sha256>.<format>`` (atomic rename)."""
    assert body.tmp is not None and body.sha256 is not None
    if expected_sha256 and body.sha256 != expected_sha256:
        body.tmp.unlink(missing_ok=True)
        raise ChecksumMismatch(
            f"sha256 of {body.final_url} is {body.sha256}, not the manifest's {expected_sha256}"
        )
    final = raw_dir / f"{body.sha256}{EXTENSIONS[body.source_format]}"
    try:
        os.chmod(body.tmp, 0o644)
        os.replace(body.tmp, final)
    except OSError as e:
        body.tmp.unlink(missing_ok=True)
        raise RawStoreError(f"cannot store {final}: {e}") from e
    return final


def _check_head(head: bytes, where: str, content_type: str) -> str:
    """The format family the first KiB starts (pdf · html · zip · ole), else ``BodyNotPdf``."""
    family = sniff_head(head)
    if family is None:
        start = head[:40].decode("utf-8", errors="replace").strip()
        raise BodyNotPdf(
            f"{where} is not a PDF nor a document jixiao reads ({content_type}): "
            f"it starts {start!r}"
        )
    return family


def _check_whole(
    path: Path, family: str, has_table: bool, head: bytes, where: str, content_type: str
) -> str:
    """The stored file's format; ``BodyNotPdf`` for a page without a table or another ZIP."""
    start = head[:40].decode("utf-8", errors="replace").strip()
    if family == "html" and not has_table:
        raise BodyNotPdf(
            f"{where} is not a PDF ({content_type}): an HTML page without a table "
            f"(an error or index page?); it starts {start!r}"
        )
    source_format = family if family in ("pdf", "html") else sniff(path)
    if source_format is None:
        raise BodyNotPdf(
            f"{where} is not a PDF nor a document jixiao reads ({content_type}): "
            f"a {family.upper()} container that is not .docx/.xlsx/.doc/.xls; it starts {start!r}"
        )
    return source_format


def _raise_for_status(response: httpx.Response, where: str) -> None:
    if response.status_code == 200:
        return
    reason = response.reason_phrase or ""
    raise HttpStatusError(
        response.status_code,
        f"HTTP {response.status_code} {reason} from {where}".replace("  ", " "),
        retry_after=parse_retry_after(response.headers.get("retry-after")),
    )


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    with contextlib.suppress(TypeError, ValueError, IndexError):
        when = email.utils.parsedate_to_datetime(value)
        return max(0.0, when.timestamp() - time.time())
    return None


def _content_length(response: httpx.Response) -> int | None:
    try:
        return int(response.headers["content-length"])
    except (KeyError, ValueError):
        return None


def _expected(response: httpx.Response) -> str:
    declared = _content_length(response)
    return f" (Content-Length {declared})" if declared is not None else ""


def _refuse_declared_size(response: httpx.Response, where: str, cap: int) -> None:
    declared = _content_length(response)
    if declared is not None and declared > cap:
        raise TooLarge(f"{where} declares {declared} bytes, over the {cap} byte cap")


def _timeout_kind(e: httpx.TimeoutException) -> str:
    return {
        httpx.ConnectTimeout: "connect",
        httpx.ReadTimeout: "read",
        httpx.WriteTimeout: "write",
        httpx.PoolTimeout: "pool",
    }.get(type(e), "network")


def _annotated(e: FetchError, attempts: int, why: str | None = None) -> FetchError:
    """The same error, its message saying how many attempts were made (and why no more)."""
    note = f"after {attempts} attempt{'s' if attempts > 1 else ''}"
    if why:
        note += f"; {why}"
    e.args = (f"{e.args[0] if e.args else e} ({note})", *e.args[1:])
    return e


def http_twin(url: str) -> str:
    """The same URL over http: same host, same explicit port (none means 80)."""
    parts = urlsplit(url)
    netloc = parts.hostname or ""
    if ":" in netloc:  # IPv6 literal
        netloc = f"[{netloc}]"
    if parts.port is not None:
        netloc += f":{parts.port}"
    return urlunsplit(("http", netloc, parts.path, parts.query, parts.fragment))


def _tls_failure(error: BaseException) -> str | None:
    """The TLS error behind a connect failure (e.g. ``BAD_ECPOINT``), or None."""
    seen: BaseException | None = error
    for _ in range(8):
        if seen is None:
            return None
        if isinstance(seen, ssl.SSLError):
            return getattr(seen, "reason", None) or type(seen).__name__
        seen = seen.__cause__ or seen.__context__
    return None
