"""Celery tasks of the outbox: send one delivery; sweep what a broker outage left pending;
queue deliveries after the commit (a broker outage loses nothing: the sweep re-queues)."""

import logging
import traceback

from celery import shared_task

from ..core.db import db
from . import operations
from .errors import PermanentDeliveryError, TransientDeliveryError
from .messages import prepare

log = logging.getLogger(__name__)

RETRY_BACKOFF_SECONDS = (10, 30, 120, 600, 1800, 3600)


@shared_task(bind=True, acks_late=True, ignore_result=True, max_retries=None)
def send_delivery(self, delivery_id: int) -> str:
    """Send one delivery unless it is already sent or being sent (idempotent)."""
    delivery = operations.claim_delivery(delivery_id)
    if delivery is None:
        db.session.rollback()
        return "skipped"
    try:
        transmit = prepare(delivery)
    except Exception as error:  # a bug or bad data: retrying would not help
        # The frames (code, no values) and the scrubbed message: an exception's text may
        # quote the supporter's data, a traceback's frames do not.
        log.error("delivery %s could not be built: %s\n%s", delivery_id,
                  operations.scrubbed_error(delivery, repr(error)),
                  "".join(traceback.format_tb(error.__traceback__)))
        operations.mark_failed(delivery, f"could not build the message: {error}", retry=False)
        db.session.commit()
        return "failed"
    db.session.commit()
    try:
        transmit()
    except TransientDeliveryError as error:
        retry = operations.mark_failed(delivery, str(error), retry=True)
        step = min(delivery.attempt_count, len(RETRY_BACKOFF_SECONDS)) - 1
        if retry:
            operations.schedule_retry(delivery, RETRY_BACKOFF_SECONDS[step])
        db.session.commit()
        if retry:
            # Celery logs the retry with its exception: the scrubbed text, not the original.
            raise self.retry(countdown=RETRY_BACKOFF_SECONDS[step],
                             exc=TransientDeliveryError(delivery.last_error)) from None
        return "failed"
    except PermanentDeliveryError as error:
        operations.mark_failed(delivery, str(error), retry=False)
        db.session.commit()
        return "failed"
    operations.mark_delivered(delivery)
    db.session.commit()
    return "delivered"


@shared_task(ignore_result=True)
def sweep_outbox() -> int:
    """Re-queue deliveries still pending after a broker outage or a lost worker."""
    ids = operations.stale_delivery_ids()
    db.session.commit()
    if ids:
        log.info("outbox sweep re-queues %d deliveries", len(ids))
    queued = queue_deliveries(ids)
    operations.mark_requeued(ids[:queued])
    db.session.commit()
    return queued


def queue_deliveries(delivery_ids: list[int]) -> int:
    """Send each id to the worker; returns how many were queued. Call only after commit."""
    queued = 0
    for delivery_id in delivery_ids:
        try:
            send_delivery.delay(delivery_id)
        except Exception as error:  # noqa: BLE001 - any broker failure: the sweep takes over
            log.warning("broker unavailable, %d deliveries left for the outbox sweep: %s",
                        len(delivery_ids) - queued, error)
            break
        queued += 1
    return queued
