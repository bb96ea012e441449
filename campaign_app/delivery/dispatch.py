"""Queueing deliveries after the commit; a broker outage loses nothing (the sweep re-queues)."""

import logging

log = logging.getLogger(__name__)


def queue_deliveries(delivery_ids: list[int]) -> int:
    """Send each id to the worker; returns how many were queued. Call only after commit."""
    from .tasks import send_delivery

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
