"""Reads of the front door."""

from sqlalchemy import select

from ..alerts.models import Alert
from ..core.db import db


def live_alerts() -> list[Alert]:
    """The alerts supporters can act on now: live ones, the nearest deadline first."""
    return list(db.session.scalars(
        select(Alert).where(Alert.status == "live")
        .order_by(Alert.deadline_at.is_(None), Alert.deadline_at, Alert.id.desc())))
