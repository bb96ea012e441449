"""Reads of alerts."""

from sqlalchemy import select

from ..core.db import db
from .models import Alert


def get_alert_by_slug(slug: str) -> Alert | None:
    return db.session.scalars(select(Alert).where(Alert.slug == slug)).first()


def list_alerts() -> list[Alert]:
    return list(db.session.scalars(select(Alert).order_by(Alert.created_at.desc())))
