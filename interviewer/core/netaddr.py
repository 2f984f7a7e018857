"""The real client address behind reverse proxies, and the network prefix used by the sign-in
throttle. One rule for the REST API (ASGI scope) and the Reflex UI (socket handshake headers)."""

from __future__ import annotations

import ipaddress


def _is_trusted(addr: str, trusted: list[str]) -> bool:
    try:
        ip = ipaddress.ip_address(addr)
    except ValueError:
        return False
    for net in trusted:
        try:
            if ip in ipaddress.ip_network(net, strict=False):
                return True
        except ValueError:
            continue
    return False


def resolve_client_ip(peer: str, forwarded_for: str | None, *, trusted: list[str], hops: int = 0) -> str:
    """The client's address.

    - ``hops`` (TRUSTED_PROXY_HOPS) > 0: exactly that many proxies stand in front of the app and
      each appends the address it received the request from to X-Forwarded-For, so the client is
      the ``hops``-th entry from the right (entries further left are whatever the client sent).
    - else, with ``trusted`` networks (TRUSTED_PROXIES): X-Forwarded-For is believed only when the
      peer is a trusted proxy; the client is the right-most entry no trusted proxy added.
    - otherwise the peer itself."""
    hops_list = [h.strip() for h in (forwarded_for or "").split(",") if h.strip()]
    if hops > 0:
        if not hops_list:
            return peer
        candidate = hops_list[-hops] if len(hops_list) >= hops else hops_list[0]
        return candidate if _valid(candidate) else peer
    if not trusted or not _is_trusted(peer, trusted):
        return peer
    for hop in reversed(hops_list):
        if not _is_trusted(hop, trusted):
            return hop
    return peer


def _valid(addr: str) -> bool:
    try:
        ipaddress.ip_address(addr)
    except ValueError:
        return False
    return True


def ip_prefix(addr: str | None) -> str:
    """The network an address belongs to for throttling: /24 for IPv4, /64 for IPv6 (one
    household or office usually shares it); the text itself when it is not an address."""
    try:
        ip = ipaddress.ip_address(addr or "")
    except ValueError:
        return (addr or "unknown")[:64]
    if isinstance(ip, ipaddress.IPv4Address):
        return str(ipaddress.ip_network(f"{ip}/24", strict=False))
    if ip.ipv4_mapped:
        return str(ipaddress.ip_network(f"{ip.ipv4_mapped}/24", strict=False))
    return str(ipaddress.ip_network(f"{ip}/64", strict=False))
