"""The sites allowed to embed an alert: the organization's list, or the alert's own."""

import re

from flask import current_app

from ..alerts.models import Alert

#: scheme://host[:port], nothing after: what a browser sends as an origin and
#: `frame-ancestors` matches.
ORIGIN = re.compile(r"^https?://[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*"
                    r"(:[0-9]{1,5})?$")
MAX_ORIGINS = 20


def normalize_origin(value: str | None) -> str | None:
    """The origin in the form browsers send it, or None when it is not one."""
    value = (value or "").strip().lower().rstrip("/")
    return value if len(value) <= 200 and ORIGIN.match(value) else None


def parse_origins(text: str | None) -> tuple[list[str], list[str]]:
    """(origins, refused entries) of a list separated by spaces, commas or lines."""
    origins, refused = [], []
    for entry in re.split(r"[\s,]+", text or ""):
        if not entry:
            continue
        origin = normalize_origin(entry)
        if origin is None:
            refused.append(entry[:100])
        elif origin not in origins:
            origins.append(origin)
    return origins, refused


def organization_origins() -> list[str]:
    return parse_origins(current_app.config["EMBED_ALLOWED_ORIGINS"])[0]


def allowed_origins(alert: Alert) -> list[str]:
    """Where the alert may be embedded: its own list when it has one, else the
    organization's."""
    if alert.embed_origins is not None:
        return parse_origins(alert.embed_origins)[0][:MAX_ORIGINS]
    return organization_origins()[:MAX_ORIGINS]
