"""Celery tasks of webhooks: one try of a delivery, and the sweep that sends what is due."""

import logging

from celery import shared_task
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..core.db import db
from . import operations
from .models import PENDING
from .outbox import QUEUE

log = logging.getLogger(__name__)


@shared_task(acks_late=True, ignore_result=True)
def send_webhook(delivery_id: int) -> str:
    """Try one delivery if it is due and nobody else is trying it (idempotent)."""
    if not operations.claim(delivery_id):
        db.session.rollback()
        return "skipped"
    db.session.commit()  # the claim holds while the endpoint is slow
    delivery = operations.load(delivery_id)
    endpoint = delivery.endpoint
    was_active = endpoint.is_active
    operations.attempt(delivery)
    status, is_active, due = delivery.status, endpoint.is_active, delivery.next_attempt_at
    db.session.commit()
    if was_active and not is_active:
        operations.tell_admins(endpoint)
    if status == PENDING and is_active:
        countdown = max(0.0, (due - operations.utcnow()).total_seconds())
        send_webhook.apply_async((delivery_id,), countdown=countdown)
    return status


@shared_task(ignore_result=True)
def sweep_webhooks() -> int:
    """Queue the deliveries that are due: retries, and any a broker outage left behind."""
    ids = operations.due_delivery_ids()
    db.session.commit()
    return queue_webhooks(ids)


def queue_webhooks(delivery_ids: list[int]) -> int:
    """Send each id to the worker; call only after the commit. A broker outage loses
    nothing: the sweep queues them later."""
    queued = 0
    for delivery_id in delivery_ids:
        try:
            send_webhook.delay(delivery_id)
        except Exception as error:  # noqa: BLE001 - any broker failure: the sweep takes over
            log.warning("broker unavailable, %d webhook deliveries left for the sweep: %s",
                        len(delivery_ids) - queued, error)
            break
        queued += 1
    return queued


def _queue_after_commit(session: Session) -> None:
    ids = session.info.pop(QUEUE, None)
    if ids:
        queue_webhooks(sorted(set(ids)))


def init_queueing() -> None:
    """The outbox's deliveries go to the worker once their transaction is committed."""
    if not event.contains(Session, "after_commit", _queue_after_commit):
        event.listen(Session, "after_commit", _queue_after_commit)
