"""Where a webhook may go: https only in production, and never to loopback, private,
link-local or otherwise internal addresses. Checked on the addresses the name resolves to,
right before each send, and the send goes to the address checked (`pin`), so a name that
resolves inward between the check and the connection (DNS rebinding) reaches nothing."""

import ipaddress
import socket
from urllib.parse import urlsplit, urlunsplit

from ..i18n.staff import staff_gettext


class UnsafeUrl(ValueError):
    pass


def _is_internal(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved
            or ip.is_multicast or ip.is_unspecified or not ip.is_global)


def check_url(url: str, *, allow_private: bool) -> list[str]:
    """The addresses the URL's host resolves to (none looked up when private ones are
    allowed); raises UnsafeUrl naming why the URL may not receive webhooks."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise UnsafeUrl(staff_gettext("not a URL: %(error)s", error=error)) from None
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise UnsafeUrl(staff_gettext("the URL must start with https://"))
    if parts.scheme != "https" and not allow_private:
        raise UnsafeUrl(staff_gettext("the URL must start with https://"))
    if parts.username or parts.password:
        raise UnsafeUrl(staff_gettext("put no user name or password in the URL"))
    if allow_private:
        return []
    try:
        found = socket.getaddrinfo(parts.hostname, port or 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError) as error:
        raise UnsafeUrl(staff_gettext("%(host)s does not resolve: %(error)s",
                                      host=parts.hostname, error=error)) from None
    addresses = [address[0] for *_, address in found]
    for address in addresses:
        if _is_internal(address):
            raise UnsafeUrl(staff_gettext("%(host)s resolves to %(address)s, an internal address",
                                          host=parts.hostname, address=address))
    return addresses


def pin(url: str, *, allow_private: bool) -> tuple[str, dict, dict]:
    """The URL to request, with the Host header and TLS server name of the original: the
    connection goes to the address just checked, and the certificate is still checked
    against the host's name. Raises UnsafeUrl."""
    addresses = check_url(url, allow_private=allow_private)
    if not addresses:
        return url, {}, {}
    parts = urlsplit(url)
    address = addresses[0].split("%")[0]
    host = f"[{address}]" if ":" in address else address
    netloc = f"{host}:{parts.port}" if parts.port else host
    return (urlunsplit(parts._replace(netloc=netloc)), {"Host": parts.netloc},
            {"sni_hostname": parts.hostname})
