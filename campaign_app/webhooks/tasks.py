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


#: Deliveries one task sends: their claim, their tries' log and their status each cost
#: one statement for the whole batch, and the connection to the endpoint is reused.
BATCH = 50


@shared_task(acks_late=True, ignore_result=True)
def send_webhooks(delivery_ids: list[int]) -> dict:
    """Try each of these deliveries that is due and that nobody else is trying
    (idempotent); returns how many ended in each status."""
    claimed = operations.claim(delivery_ids)
    db.session.commit()  # the claim holds while the endpoints answer
    if not claimed:
        return {}
    deliveries = operations.load(claimed)
    was_active = {d.endpoint_id: d.endpoint.is_active for d in deliveries}
    operations.attempt_all(deliveries)
    outcome = [(d.id, d.status, d.endpoint, d.endpoint.is_active, d.next_attempt_at)
               for d in deliveries]
    db.session.commit()
    statuses: dict[str, int] = {}
    told = set()
    for delivery_id, status, endpoint, is_active, due in outcome:
        statuses[status] = statuses.get(status, 0) + 1
        if was_active[endpoint.id] and not is_active and endpoint.id not in told:
            told.add(endpoint.id)
            operations.tell_admins(endpoint)
        if status == PENDING and is_active:
            countdown = max(0.0, (due - operations.utcnow()).total_seconds())
            send_webhooks.apply_async(([delivery_id],), countdown=countdown)
    return statuses


def send_webhook(delivery_id: int) -> str:
    """One delivery, in this process (tests, the shell): its status after the try, or
    'skipped' when it was not due or taken."""
    statuses = send_webhooks.run([delivery_id])
    return next(iter(statuses), "skipped")


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
    for start in range(0, len(delivery_ids), BATCH):
        batch = delivery_ids[start:start + BATCH]
        try:
            send_webhooks.delay(batch)
        except Exception as error:  # noqa: BLE001 - any broker failure: the sweep takes over
            log.warning("broker unavailable, %d webhook deliveries left for the sweep: %s",
                        len(delivery_ids) - queued, error)
            break
        queued += len(batch)
    return queued


def _queue_after_commit(session: Session) -> None:
    ids = session.info.pop(QUEUE, None)
    if ids:
        queue_webhooks(sorted(set(ids)))


def init_queueing() -> None:
    """The outbox's deliveries go to the worker once their transaction is committed."""
    if not event.contains(Session, "after_commit", _queue_after_commit):
        event.listen(Session, "after_commit", _queue_after_commit)
