"""Where a webhook may go: https only in production, and never to loopback, private,
link-local or otherwise internal addresses. Checked on the addresses the name resolves to,
right before each send, so a name that later resolves inward (DNS rebinding) is refused."""

import ipaddress
import socket
from urllib.parse import urlsplit


class UnsafeUrl(ValueError):
    pass


def _is_internal(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved
            or ip.is_multicast or ip.is_unspecified or not ip.is_global)


def check_url(url: str, *, allow_private: bool) -> None:
    """Raise UnsafeUrl naming why the URL may not receive webhooks."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise UnsafeUrl(f"not a URL: {error}") from None
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise UnsafeUrl("the URL must start with https://")
    if parts.scheme != "https" and not allow_private:
        raise UnsafeUrl("the URL must start with https://")
    if parts.username or parts.password:
        raise UnsafeUrl("put no user name or password in the URL")
    if allow_private:
        return
    try:
        found = socket.getaddrinfo(parts.hostname, port or 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError) as error:
        raise UnsafeUrl(f"{parts.hostname} does not resolve: {error}") from None
    for *_, address in found:
        if _is_internal(address[0]):
            raise UnsafeUrl(f"{parts.hostname} resolves to {address[0]}, an internal address")
