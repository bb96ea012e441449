"""Writes of the embed feature: an alert's allowed sites and look."""

from ..alerts.models import Alert
from ..audit.operations import record_event
from ..core.db import db


def update_embed_settings(alert: Alert, *, origins: list[str] | None, style: dict,
                          user=None) -> None:
    """Store the alert's own list of sites (None: the organization's) and its look, both
    validated by the caller (forms.EmbedSettingsForm). Flushes."""
    alert.embed_origins = "\n".join(origins) if origins is not None else None
    alert.embed_style = dict(style)
    record_event("alert.embed_settings", f"alert {alert.slug}",
                 {"origins": origins, "style": dict(style)}, user=user)
    db.session.flush()
