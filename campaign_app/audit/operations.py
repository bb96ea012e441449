"""Write audit events; the caller commits with the change they describe."""

import logging

from flask import has_request_context, request
from flask_login import current_user

from ..core.db import db
from .models import AuditEvent

log = logging.getLogger(__name__)


def record_event(action: str, target: str = "", detail: dict | None = None,
                 user=None) -> AuditEvent:
    """Record `action` by `user` (the logged-in user when not given). Flushes."""
    if user is None and has_request_context() and current_user.is_authenticated:
        user = current_user
    event = AuditEvent(action=action, target=target[:300], detail=detail or {},
                       user_id=user.id if user is not None else None,
                       ip=request.remote_addr if has_request_context() else None)
    db.session.add(event)
    db.session.flush()
    log.info("audit %s by user %s: %s", action, event.user_id, target)
    return event
