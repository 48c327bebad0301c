"""A real HTTP server on 127.0.0.1 whose every path misbehaves on purpose.

``FakeServer`` runs ``ThreadingHTTPServer`` in a thread on a free loopback
port; routes are plain functions of the request handler, so a test states
exactly what the wire carries: a 500 then a PDF, a stall, a body cut short,
a connection reset mid-body, a redirect chain. Every request is recorded
(path and headers) so tests can assert what the client sent, and how often.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

Route = Callable[["Handler"], None]


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    at: float = field(default_factory=time.monotonic)  # when the request arrived


# A TLS alert record: fatal (2) handshake_failure (40), what a server whose
# TLS is broken (real gkmlpt hosts: BAD_ECPOINT) leaves the client with.
TLS_HANDSHAKE_FAILURE = bytes([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28])


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def handle(self) -> None:
        fake = self.server.fake
        if fake.tls_fails:
            try:
                first = self.connection.recv(1, socket.MSG_PEEK)
            except OSError:
                return
            if first == b"\x16":  # a TLS ClientHello on the plain-http port
                fake.tls_attempts += 1
                self.connection.sendall(TLS_HANDSHAKE_FAILURE)
                return
        super().handle()

    def do_GET(self) -> None:
        fake = self.server.fake
        path = urlsplit(self.path).path
        fake.seen.append(Seen(self.path, {k.lower(): v for k, v in self.headers.items()}))
        if fake.agent is not None and self.headers.get("User-Agent") != fake.agent:
            fake.refused_agents.append(self.headers.get("User-Agent") or "")
            reset(self)
            return
        route = fake.routes.get(path) or fake.routes.get(self.path)
        if route is None:
            send(self, 404, b"<html><body>404 Not Found</body></html>", "text/html")
            return
        route(self)

    def log_message(self, *args) -> None:  # quiet
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    fake: FakeServer

    def handle_error(self, request, client_address) -> None:  # broken pipes are the point
        pass


class FakeServer:
    """``with FakeServer() as site: site.routes['/a.pdf'] = pdf(b'...')``."""

    def __init__(self, *, tls_fails: bool = False, agent: str | None = None) -> None:
        """Args:
        tls_fails: answer a TLS ClientHello with a handshake-failure alert
            (the port then serves plain http only, as a broken https host does).
        agent: the only User-Agent served; any other gets its connection reset.
        """
        self.routes: dict[str, Route] = {}
        self.seen: list[Seen] = []
        self.stop = threading.Event()
        self.tls_fails = tls_fails
        self.tls_attempts = 0
        self.agent = agent
        self.refused_agents: list[str] = []

    def __enter__(self) -> FakeServer:
        self._server = _Server(("127.0.0.1", 0), Handler)
        self._server.fake = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self._server.shutdown()
        self._server.server_close()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> list[Seen]:
        return [s for s in self.seen if urlsplit(s.path).path == path]


# -- responses ---------------------------------------------------------------


def send(h: Handler, status: int, body: bytes, content_type: str, **headers: str) -> None:
    h.send_response(status)
    h.send_header("Content-Type", content_type)
    h.send_header("Content-Length", str(len(body)))
    for name, value in headers.items():
        h.send_header(name.replace("_", "-"), value)
    h.end_headers()
    h.wfile.write(body)


def pdf(body: bytes, etag: str | None = None, last_modified: float | None = None) -> Route:
    """A PDF that answers If-None-Match / If-Modified-Since with 304 when unchanged."""
    stamp = formatdate(last_modified, usegmt=True) if last_modified else None

    def route(h: Handler) -> None:
        validators = {}
        if etag:
            validators["ETag"] = etag
        if stamp:
            validators["Last-Modified"] = stamp
        if (etag and h.headers.get("If-None-Match") == etag) or (
            stamp and not etag and h.headers.get("If-Modified-Since") == stamp
        ):
            h.send_response(304)
            for k, v in validators.items():
                h.send_header(k, v)
            h.send_header("Content-Length", "0")
            h.end_headers()
            return
        send(h, 200, body, "application/pdf", **validators)

    return route


def status(code: int, body: bytes = b"error", **headers: str) -> Route:
    return lambda h: send(h, code, body, "text/html", **headers)


def html_as_pdf() -> Route:
    page = (
        b"<!DOCTYPE html><html><body>\xe7\xb3\xbb\xe7\xbb\x9f\xe7\xb9\x81\xe5\xbf\x99</body></html>"
    )
    return lambda h: send(h, 200, page, "application/pdf")


def redirect(location: str, code: int = 302) -> Route:
    return lambda h: send(h, code, b"", "text/html", Location=location)


def sequence(*routes: Route) -> Route:
    """The n-th request gets the n-th route; the last one repeats."""
    calls = iter(range(1_000_000))

    def route(h: Handler) -> None:
        routes[min(next(calls), len(routes) - 1)](h)

    return route


def stall(fake: FakeServer, seconds: float) -> Route:
    """Say nothing for ``seconds`` (or until the server stops), then hang up."""

    def route(h: Handler) -> None:
        fake.stop.wait(seconds)
        h.close_connection = True

    return route


def short_body(body: bytes, declared: int) -> Route:
    """Promise ``declared`` bytes, send ``body``, then close cleanly (FIN)."""

    def route(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/pdf")
        h.send_header("Content-Length", str(declared))
        h.end_headers()
        h.wfile.write(body)
        h.wfile.flush()
        h.close_connection = True

    return route


def reset(h: Handler) -> None:
    """Drop the connection with a reset (RST) before any response."""
    h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    h.connection.close()
    h.close_connection = True


def reset_mid_body(body: bytes, after: int) -> Route:
    """Send ``after`` bytes of ``body``, then drop the connection with a reset (RST)."""

    def route(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/pdf")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body[:after])
        h.wfile.flush()
        h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        h.connection.close()
        h.close_connection = True

    return route


def drip(fake: FakeServer, body: bytes, every: float, piece: int = 64) -> Route:
    """Send the body ``piece`` bytes at a time, ``every`` seconds apart."""

    def route(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/pdf")
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        for i in range(0, len(body), piece):
            if fake.stop.wait(every):
                break
            h.wfile.write(body[i : i + piece])
            h.wfile.flush()
        h.close_connection = True

    return route
