"""Retention: what a supporter wrote is kept only so long after its alert closed.

Call notes, the "as submitted" copies of what browsers typed, and the payloads of messages
to Congress (the words sent, the outbox's error texts) serve an alert while it runs and staff
for a while after; then they go, each after its own number of days (settings, default 180).
The actions stay, with their kind, outcome, status and date, so every count stays true.
"""

import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select, update

from ..actions.models import Action
from ..alerts.models import Alert
from ..core.db import db
from ..core.time import utcnow
from ..delivery.models import DELIVERED, FAILED, Delivery
from ..supporters.models import Submission

log = logging.getLogger(__name__)


def _closed_before(days: int, now: datetime):
    """The ids of alerts closed more than `days` days before `now`, as a subquery."""
    return select(Alert.id).where(Alert.status == "closed",
                                  Alert.closed_at < now - timedelta(days=days))


def purge_expired(now: datetime | None = None) -> dict[str, int]:
    """Remove what is past its retention; returns how many rows of each kind. Flushes."""
    now, config = now or utcnow(), current_app.config
    notes = db.session.execute(
        update(Action).where(Action.alert_id.in_(_closed_before(
            config["RETENTION_CALL_NOTES_DAYS"], now)), Action.note.is_not(None))
        .values(note=None)).rowcount

    expired = _closed_before(config["RETENTION_SUBMISSIONS_DAYS"], now)
    # Actions keep pointing at nothing: the submission was the copy, the action the fact.
    db.session.execute(
        update(Action).where(Action.submission_id.in_(
            select(Submission.id).where(Submission.alert_id.in_(expired))))
        .values(submission_id=None))
    submissions = db.session.execute(
        Submission.__table__.delete().where(Submission.alert_id.in_(expired))).rowcount

    closed = _closed_before(config["RETENTION_DELIVERY_PAYLOADS_DAYS"], now)
    # Never a message still to be sent: only those delivered or given up on.
    payloads = db.session.execute(
        update(Action).where(Action.alert_id.in_(closed), Action.kind == "email",
                             Action.status.in_((DELIVERED, FAILED, "contact_form")),
                             or_(Action.message_body.is_not(None),
                                 Action.message_subject.is_not(None),
                                 Action.suggested_body.is_not(None)))
        .values(message_subject=None, message_body=None, suggested_body=None)).rowcount
    payloads += db.session.execute(
        update(Delivery).where(Delivery.alert_id.in_(closed),
                               Delivery.status.in_((DELIVERED, FAILED)),
                               Delivery.last_error.is_not(None))
        .values(last_error=None)).rowcount
    counts = {"call_notes": notes, "submissions": submissions, "delivery_payloads": payloads}
    log.info("retention purge: %d call notes, %d submissions, %d delivery payloads",
             notes, submissions, payloads, extra={"event": "retention_purge", **counts})
    return counts
