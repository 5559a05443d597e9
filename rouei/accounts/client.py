"""The client's address (接続元アドレス) for the lockout and the audit trail, behind a reverse proxy.

``client_address(request)`` is the one function that says where a request came from. Without
``ROUEI_TRUSTED_PROXIES`` it is the direct peer (``REMOTE_ADDR``) and ``X-Forwarded-For`` is
never read: anyone can send that header. With it — the addresses or networks of the proxies in
front of rouei, e.g. ``127.0.0.1`` for nginx on the same machine — the header is read only when
the direct peer is one of them, from the right (the entries the trusted proxies appended),
skipping trusted proxies; the first address that is not a trusted proxy is the client. Entries
further left were written by the client itself and are never believed (the rule of nginx's
``real_ip_recursive`` and Rails' trusted proxies). An entry that is not an IP address stops
the walk at the last trusted hop.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
UNKNOWN = "unknown"


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"ROUEI_TRUSTED_PROXIES: {entry!r} is not an IP address or network") from None
    return tuple(networks)


def trusted_proxies() -> tuple[Network, ...]:
    entries = getattr(settings, "ROUEI_TRUSTED_PROXIES", ()) or ()
    if isinstance(entries, str):
        entries = entries.split(",")
    return _networks(tuple(e for e in entries if e.strip()))


def _ip(value: str):
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1:value.index("]")]
    elif value.count(":") == 1:  # 192.0.2.1:5678
        value = value.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    # ::ffff:192.0.2.1 is the IPv4 client seen through an IPv6 socket.
    return getattr(address, "ipv4_mapped", None) or address


def _trusted(address, networks) -> bool:
    return any(address in network for network in networks)


def client_address(request) -> str:
    """The client's IP address as text (``"unknown"`` if the peer gave none)."""
    peer = _ip(request.META.get("REMOTE_ADDR") or "")
    if peer is None:
        return UNKNOWN
    networks = trusted_proxies()
    if not networks or not _trusted(peer, networks):
        return str(peer)
    hop = peer
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for entry in reversed([e for e in forwarded.split(",") if e.strip()]):
        address = _ip(entry)
        if address is None:
            break
        hop = address
        if not _trusted(address, networks):
            break
    return str(hop)
