"""The front door's settings, checked when the app starts: a typo fails the start, not a
supporter's visit."""

from datetime import UTC, datetime
from urllib.parse import urlsplit


def http_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def security_contact_ok(value: str) -> bool:
    """RFC 9116 Contact: a URI; we take the usual ones, an address or a web page."""
    if value.startswith("mailto:"):
        return "@" in value
    return value.startswith("https://") and http_url(value)


def parse_expires(value: str) -> datetime:
    """RFC 9116 Expires, an ISO 8601 date or date and time; a plain date means its start
    in UTC."""
    moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def check_settings(config) -> None:
    redirect_url = config.get("ROOT_REDIRECT_URL") or ""
    if redirect_url and not http_url(redirect_url):
        raise ValueError("ROOT_REDIRECT_URL must be an http:// or https:// URL")
    contact = config.get("SECURITY_CONTACT") or ""
    if not contact:
        return
    if not security_contact_ok(contact):
        raise ValueError("SECURITY_CONTACT must be a mailto: address or an https:// URL")
    try:
        parse_expires(config.get("SECURITY_EXPIRES") or "")
    except ValueError:
        raise ValueError("SECURITY_EXPIRES must be a date (2027-06-30) or an ISO 8601 time "
                         "when SECURITY_CONTACT is set (RFC 9116 requires Expires)") from None
