"""Beat's heartbeat task: readiness reports how long ago it last ran."""

from celery import shared_task

from ..core.db import db
from .operations import record_heartbeat


@shared_task(acks_late=True, ignore_result=True)
def beat_heartbeat() -> None:
    record_heartbeat()
    db.session.commit()
