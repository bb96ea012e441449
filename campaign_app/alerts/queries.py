"""Reads of alerts."""

from flask import abort, g
from sqlalchemy import select

from ..core.db import db
from .models import Alert, MergeFieldDefault


def get_alert_by_slug(slug: str) -> Alert | None:
    return db.session.scalars(select(Alert).where(Alert.slug == slug)).first()


def get_alert_by_slug_or_404(slug: str) -> Alert:
    """For staff pages: the alert whatever its status, else the 404 page."""
    return get_alert_by_slug(slug) or abort(404)


def list_alerts() -> list[Alert]:
    return list(db.session.scalars(select(Alert).order_by(Alert.created_at.desc())))


def get_alert(alert_id: int) -> Alert | None:
    return db.session.get(Alert, alert_id)


def get_revision(alert: Alert, revision_id: int):
    from .models import AlertRevision

    return db.session.scalars(
        select(AlertRevision).where(AlertRevision.alert_id == alert.id,
                                    AlertRevision.id == revision_id)
    ).first()


def merge_defaults() -> dict[str, str]:
    """Field key → the organization's default (empty ones left out). Read once per request or
    task (kept in `g`; `set_merge_defaults` forgets it), as a page renders many texts."""
    if "merge_defaults" not in g:
        g.merge_defaults = {row.field: row.fallback
                            for row in db.session.scalars(select(MergeFieldDefault))
                            if row.fallback}
    return g.merge_defaults


def merge_default_rows() -> dict[str, MergeFieldDefault]:
    """Every stored default by field key, empty ones included (for the staff page)."""
    return {row.field: row for row in db.session.scalars(select(MergeFieldDefault))}
