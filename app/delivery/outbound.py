"""Which addresses a webhook may reach (server-side request forgery defence).

A journey is written by marketers, so its webhook URL is untrusted: it must not reach loopback, private,
link-local (cloud metadata), multicast, reserved or shared (CGNAT) addresses, nor this server itself, unless an
admin allow-lists the host. The host is resolved once, every address it resolves to is checked, and the caller
connects to the checked address (sending the original Host and TLS server name), so a DNS answer that changes
between the check and the connection (rebinding) cannot lead anywhere else.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlsplit

import httpx

from app.core.settings import Settings
from journeys.errors import InvalidError

Resolver = Callable[[str, int], list[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT (RFC 6598)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")  # IPv4 embedded in IPv6 (RFC 6052)
DEFAULT_PORTS = {"http": 80, "https": 443}


class Refused(InvalidError):
    """The URL may not be called; the message says why (shown to marketers, stored on the message)."""


class Unresolved(Refused):
    """The host does not resolve (now): at send time this is worth a retry, at publish time it is no error."""


def system_resolver(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to, in the system resolver's order."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _embedded_v4(ip: IPAddress) -> IPAddress:
    """The IPv4 address hidden in an IPv4-mapped or NAT64 IPv6 address, so ``::ffff:127.0.0.1`` is loopback."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return ip.ipv4_mapped
        if ip in _NAT64:
            return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip


def address_problem(raw: str) -> str | None:
    """Why a webhook may not connect to this address, or None for a public unicast address."""
    ip = _embedded_v4(ipaddress.ip_address(raw.split("%", 1)[0]))
    checks = (
        (ip.is_loopback, "loopback"),
        (ip.is_unspecified, "unspecified"),
        (ip.is_link_local, "link-local"),
        (ip.is_multicast, "multicast"),
        (isinstance(ip, ipaddress.IPv4Address) and ip in _SHARED, "shared (CGNAT)"),
        (ip.is_private, "private"),
        (ip.is_reserved, "reserved"),
        (not ip.is_global, "not public"),
    )
    for hit, kind in checks:
        if hit:
            return f"{raw} is a {kind} address"
    return None


def split_host_port(entry: str) -> tuple[str, int | None]:
    """``host``, ``host:port``, ``[v6]:port`` or a bare IPv6 address, lower-cased; ValueError when malformed."""
    entry = entry.strip().lower()
    if entry.startswith("["):
        host, _, rest = entry[1:].partition("]")
        port_text = rest.removeprefix(":") if rest else ""
    elif entry.count(":") == 1:
        host, _, port_text = entry.partition(":")
    else:
        host, port_text = entry, ""
    if not host or any(c in host for c in "/@?#* \t") or (port_text and not port_text.isdigit()):
        raise ValueError(f"{entry!r} is not a host or host:port")
    port = int(port_text) if port_text else None
    if port is not None and not 1 <= port <= 65535:
        raise ValueError(f"{entry!r}: the port must be between 1 and 65535")
    return host, port


def parse_allowlist(entries: Iterable[str]) -> list[str]:
    """Normalised allow-list entries; ValueError names the first malformed one."""
    found: list[str] = []
    for entry in entries:
        if entry.strip():
            host, port = split_host_port(entry)
            shown = f"[{host}]" if ":" in host and port is not None else host
            found.append(f"{shown}:{port}" if port is not None else host)
    return list(dict.fromkeys(found))


@dataclass(frozen=True)
class Target:
    """A checked destination: connect to ``ip``, but speak to ``host`` (Host header and TLS server name)."""

    url: httpx.URL
    ip: str

    @property
    def connect_url(self) -> httpx.URL:
        return self.url.copy_with(host=self.ip)

    @property
    def host_header(self) -> str:
        return self.url.netloc.decode("ascii")

    @property
    def extensions(self) -> dict[str, str]:
        return {"sni_hostname": self.url.raw_host.decode("ascii")} if self.url.scheme == "https" else {}


@dataclass
class Guard:
    allow: frozenset[tuple[str, int | None]] = frozenset()
    own: frozenset[tuple[str, int]] = frozenset()  # (host name or address, port) of this server
    resolver: Resolver = system_resolver

    def allowed(self, host: str, port: int) -> bool:
        return (host, None) in self.allow or (host, port) in self.allow

    @cached_property
    def own_addresses(self) -> set[tuple[str, int]]:
        """This server's addresses: bound host and public URL host, as names and as resolved addresses."""
        found = set(self.own)
        for host, port in self.own:
            try:
                found.update((ip, port) for ip in self.resolver(host, port))
            except (OSError, UnicodeError):
                continue
        return found

    def check(self, url: str) -> Target:
        """The destination to connect to; raises Refused (or Unresolved) with the reason."""
        try:
            parsed = httpx.URL(url)
        except (httpx.InvalidURL, ValueError) as exc:
            raise Refused(f"url is not a valid address: {url[:200]!r}") from exc
        if parsed.scheme not in DEFAULT_PORTS:
            raise Refused("only http:// and https:// addresses can be called")
        if parsed.userinfo:
            raise Refused("url must not carry a user name or password")
        host = parsed.raw_host.decode("ascii").lower()
        if not host:
            raise Refused("url has no host")
        port = parsed.port or DEFAULT_PORTS[parsed.scheme]
        addresses = self.resolve(host, port)
        if not self.allowed(host, port):
            for ip in addresses:
                problem = address_problem(ip)
                if problem is None and ((host, port) in self.own_addresses or (ip, port) in self.own_addresses):
                    problem = f"{host}:{port} is this Parcours server"
                if problem:
                    raise Refused(f"{host} refused: {problem}; an admin can allow the host in Settings")
        return Target(parsed, addresses[0])

    def resolve(self, host: str, port: int) -> list[str]:
        try:
            return [str(ipaddress.ip_address(host.strip("[]")))]
        except ValueError:
            pass
        try:
            found = self.resolver(host, port)
        except (OSError, UnicodeError) as exc:
            raise Unresolved(f"{host} does not resolve ({type(exc).__name__})") from exc
        if not found:
            raise Unresolved(f"{host} does not resolve")
        return found


def own_endpoints(settings: Settings) -> frozenset[tuple[str, int]]:
    """The bound host:port and the public URL's host:port (the server's own API must not be a target)."""
    own = {(settings.host.lower(), settings.port)}
    if settings.public_url:
        parts = urlsplit(settings.public_url)
        if parts.hostname:
            own.add((parts.hostname.lower(), parts.port or DEFAULT_PORTS.get(parts.scheme, 443)))
    return frozenset(own)


def build_guard(settings: Settings, allowlist: Iterable[str], resolver: Resolver = system_resolver) -> Guard:
    allow = frozenset(split_host_port(entry) for entry in allowlist)
    return Guard(allow=allow, own=own_endpoints(settings), resolver=resolver)
