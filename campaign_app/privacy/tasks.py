"""Beat's retention purge: idempotent (it removes what is due and not yet removed)."""

from celery import shared_task

from ..core.db import db
from .retention import purge_expired


@shared_task(acks_late=True, ignore_result=True)
def purge_retained_data() -> dict:
    counts = purge_expired()
    db.session.commit()
    return counts
