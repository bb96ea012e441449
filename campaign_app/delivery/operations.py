"""Writes on the outbox: create a delivery once, claim it, record how sending went."""

import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import or_, select, update

from ..core.db import db, insert_unless_taken
from ..core.scrub import scrub
from ..core.time import utcnow
from .models import DELIVERED, FAILED, PENDING, SENDING, Delivery

log = logging.getLogger(__name__)

#: A delivery left 'sending' this long was lost with its worker and may be tried again.
SENDING_LOST_AFTER = timedelta(minutes=10)


def enqueue_delivery(*, key: str, kind: str, alert_id: int, supporter_id: int,
                     bioguide_id: str | None = None, action_id: int | None = None) -> Delivery:
    """The delivery for `key`, created if new. Flushes; safe when two requests race."""
    existing = db.session.scalars(
        select(Delivery).where(Delivery.idempotency_key == key)
    ).first()
    if existing is not None:
        return existing
    delivery = insert_unless_taken(Delivery, {
        "idempotency_key": key, "kind": kind, "alert_id": alert_id,
        "supporter_id": supporter_id, "bioguide_id": bioguide_id, "action_id": action_id,
        "status": PENDING}, Delivery.idempotency_key)
    if delivery is None:
        # Another request created it between our read and our write.
        return db.session.scalars(select(Delivery).where(Delivery.idempotency_key == key)).one()
    return delivery


def claim_delivery(delivery_id: int) -> Delivery | None:
    """Move a pending delivery to 'sending' if nobody else has; None when not ours to send."""
    result = db.session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.status == PENDING)
        .values(status=SENDING, attempt_count=Delivery.attempt_count + 1)
    )
    if result.rowcount != 1:
        return None
    return db.session.get(Delivery, delivery_id, populate_existing=True)


def mark_delivered(delivery: Delivery) -> None:
    delivery.status = DELIVERED
    delivery.delivered_at = utcnow()
    delivery.last_error = None
    if delivery.action is not None:
        delivery.action.status = "delivered"
    db.session.flush()
    log.info("delivery %s delivered", delivery.id)


def scrubbed_error(delivery: Delivery, error) -> str:
    """The error's text without what it may quote of the supporter: an SMTP refusal names
    the address, a CWC error may quote a field it refused (core.scrub)."""
    known = []
    if delivery.supporter is not None:
        known += delivery.supporter.personal_values()
    if delivery.action is not None and delivery.action.submission is not None:
        known += delivery.action.submission.personal_values()
    return scrub(str(error), known)


def mark_failed(delivery: Delivery, error: str, *, retry: bool) -> bool:
    """Record an error, scrubbed; back to pending when another try is allowed. Returns
    whether it is."""
    error = scrubbed_error(delivery, error)
    delivery.last_error = error[:2000]
    retry = retry and delivery.attempt_count < current_app.config["DELIVERY_MAX_ATTEMPTS"]
    delivery.status = PENDING if retry else FAILED
    if delivery.action is not None and not retry:
        delivery.action.status = "failed"
    db.session.flush()
    log.warning("delivery %s attempt %s failed (%s): %s", delivery.id, delivery.attempt_count,
                "will retry" if retry else "final", error)
    return retry


def schedule_retry(delivery: Delivery, seconds: float) -> None:
    """The worker re-sends in `seconds`: the sweep must not send it sooner. Flushes."""
    delivery.next_attempt_at = utcnow() + timedelta(seconds=seconds)
    db.session.flush()


def mark_requeued(delivery_ids: list[int]) -> None:
    """The sweep queued these: it waits OUTBOX_STALE_SECONDS before queueing them again, so a
    backlog the worker is merely slow on is not queued over and over. Flushes."""
    if delivery_ids:
        db.session.execute(update(Delivery).where(Delivery.id.in_(delivery_ids),
                                                  Delivery.status == PENDING)
                           .values(updated_at=utcnow()))


def stale_delivery_ids(limit: int = 500) -> list[int]:
    """Deliveries a broker outage or a dead worker left behind; re-arms lost 'sending' rows.

    Pending for OUTBOX_STALE_SECONDS (15 by default) is enough: sending twice is impossible
    whatever is queued twice (claim_delivery takes a pending row once), so the sweep can be
    quick to fill the gap an outage left; it only waits for a scheduled retry's back-off."""
    now = utcnow()
    # A re-armed row keeps its old timestamp, so this same pass re-queues it.
    db.session.execute(
        update(Delivery)
        .where(Delivery.status == SENDING, Delivery.updated_at < now - SENDING_LOST_AFTER)
        .values(status=PENDING, updated_at=Delivery.updated_at)
    )
    stale_before = now - timedelta(seconds=current_app.config["OUTBOX_STALE_SECONDS"])
    return list(db.session.scalars(
        select(Delivery.id)
        .where(Delivery.status == PENDING, Delivery.updated_at < stale_before,
               or_(Delivery.next_attempt_at.is_(None),
                   Delivery.next_attempt_at < stale_before))
        .order_by(Delivery.id).limit(limit)
    ))
