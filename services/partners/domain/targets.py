"""Where a webhook may be sent (SSRF protection), as pure checks on a URL and on the addresses its host resolves to.

https only, no credentials in the URL, and every address the host resolves to must be public: not private,
loopback, link-local, multicast, reserved, unspecified, shared (100.64/10) or an IPv6 form embedding one of those.
Hosts in the allow-list (the local stack, tests) may use http and any address. The same checks run when a
subscription is created and again on every connection (DNS may have changed since: rebinding).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

MAX_URL_LENGTH = 2000


class TargetRejected(ValueError):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    allow_listed: bool


def normalise_host(host: str) -> str:
    return host.strip().lower().strip("[]").rstrip(".")


def is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    return True


def check_url(url: str, allow_hosts: Iterable[str]) -> Target:
    if len(url) > MAX_URL_LENGTH:
        raise TargetRejected("too-long", f"at most {MAX_URL_LENGTH} characters")
    if any(c.isspace() or not c.isprintable() for c in url):
        raise TargetRejected("malformed", "the URL contains spaces or control characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise TargetRejected("malformed", f"not a URL: {exc}") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http"):
        raise TargetRejected("scheme", "the URL must start with https://")
    if parts.username is not None or parts.password is not None:
        raise TargetRejected("credentials", "no user name or password in the URL; verify the signature instead")
    if not parts.hostname:
        raise TargetRejected("malformed", "the URL has no host")
    host = normalise_host(parts.hostname)
    allowed = {normalise_host(h) for h in allow_hosts}
    allow_listed = host in allowed
    if scheme == "http" and not allow_listed:
        raise TargetRejected("scheme", "the URL must use https")
    if is_ip_literal(host) and not allow_listed:
        check_address(host)
    return Target(scheme, host, port or (443 if scheme == "https" else 80), allow_listed)


def address_problem(address: str) -> str | None:
    """Why `address` is not a public internet address, or None when it is."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "not an IP address"
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            inner = address_problem(str(embedded))
            if inner:
                return f"{inner} (embedded in {ip})"
    # Most specific first: `is_private` also covers loopback, link-local and unspecified ranges.
    checks = (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
    )
    for name, flagged in checks:
        if flagged:
            return name
    if not ip.is_global:
        return "not global"
    return None


def check_address(address: str) -> None:
    problem = address_problem(address)
    if problem:
        raise TargetRejected("address", f"{address} is not a public address ({problem})")


def check_addresses(target: Target, addresses: Iterable[str]) -> list[str]:
    """The addresses to connect to; all must be public unless the host is allow-listed (one bad one spoils the
    lot: a name that resolves to a public and a private address is an attack, not a misconfiguration)."""
    found = list(dict.fromkeys(addresses))
    if not found:
        raise TargetRejected("unresolvable", f"{target.host} does not resolve")
    if not target.allow_listed:
        for address in found:
            check_address(address)
    return found
