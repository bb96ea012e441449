"""Reads of the audit log."""

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..core.db import db
from .models import AuditEvent

PAGE_SIZE = 100


def recent_events(*, action_prefix: str = "", before_id: int | None = None,
                  limit: int = PAGE_SIZE) -> list[AuditEvent]:
    """Newest first; page with `before_id`, the id of the last event shown."""
    query = select(AuditEvent).options(joinedload(AuditEvent.user)).order_by(
        AuditEvent.id.desc()).limit(limit)
    if action_prefix:
        query = query.where(AuditEvent.action.startswith(action_prefix, autoescape=True))
    if before_id is not None:
        query = query.where(AuditEvent.id < before_id)
    return list(db.session.scalars(query))
