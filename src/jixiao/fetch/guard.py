"""Where a request may go: http(s) only, and only to public addresses unless allowed.

Resolution is injectable (``Resolver``) so tests can map a name to any
address without DNS. ``checked_addresses`` resolves once and returns only
addresses that passed; the HTTP client then connects to exactly those
(``http.GuardedBackend``), so a second, different DNS answer cannot slip a
private address in after the check.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from urllib.parse import urlsplit

from jixiao.errors import ConnectionFailed, ForbiddenAddress, ForbiddenScheme
from jixiao.fetch.settings import FetchSettings

ALLOWED_SCHEMES = frozenset({"http", "https"})

Resolver = Callable[[str, int], list[str]]
"""``(host, port) -> [ip, ...]``: the addresses a host name stands for."""

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def system_resolver(host: str, port: int) -> list[str]:
    """The operating system's answer (``getaddrinfo``), TCP addresses only, in its order."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    seen: list[str] = []
    for *_, sockaddr in infos:
        ip = str(sockaddr[0]).split("%")[0]  # drop an IPv6 zone id
        if ip not in seen:
            seen.append(ip)
    return seen


def check_scheme(url: str) -> None:
    """Refuse anything but http(s) URLs with a host.

    Raises:
        ForbiddenScheme: file://, ftp://, data:, a missing host, ...
    """
    parts = urlsplit(url)
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise ForbiddenScheme(f"only http(s) is fetched, not {parts.scheme or 'no'} scheme: {url}")
    if not parts.hostname:
        raise ForbiddenScheme(f"no host in {url}")


def refusal(address: Address, settings: FetchSettings) -> str | None:
    """Why ``address`` may not be contacted under ``settings``, or None when it may."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if any(address in net for net in settings.allow_networks):
        return None
    if address.is_global and not address.is_multicast:
        return None
    if address.is_link_local:
        return "link-local"
    if address.is_multicast:
        return "multicast"
    if address.is_unspecified:
        return "unspecified"
    if address.is_loopback:
        return None if settings.allow_private else "loopback"
    if address.is_private or address in ipaddress.ip_network("100.64.0.0/10"):
        return None if settings.allow_private else "private"
    return "reserved"


def checked_addresses(
    host: str, port: int, settings: FetchSettings, resolver: Resolver = system_resolver
) -> list[str]:
    """The addresses of ``host`` that may be contacted, all of them checked.

    Every address a name resolves to must pass: a name that mixes a public
    and a private address is refused as a whole.

    Raises:
        ForbiddenAddress: an address is refused.
        ConnectionFailed: the name does not resolve.
    """
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
        ips = [str(literal)]
    except ValueError:
        try:
            ips = resolver(host, port)
        except OSError as e:
            raise ConnectionFailed(f"cannot resolve {host}: {e}") from e
    if not ips:
        raise ForbiddenAddress(f"{host} resolves to no address")
    for ip in ips:
        why = refusal(ipaddress.ip_address(ip), settings)
        if why:
            raise ForbiddenAddress(
                f"{host} resolves to {ip}, a {why} address: refused before connecting "
                "(JIXIAO_FETCH_ALLOW_PRIVATE / JIXIAO_FETCH_ALLOW_NETWORKS allow it)"
            )
    return ips
