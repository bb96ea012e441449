"""Writes of the health feature: recording a heartbeat."""

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from ..core.db import db
from ..core.time import utcnow
from .models import Heartbeat

#: The heartbeat that celery beat writes through its periodic task.
BEAT = "beat"


def record_heartbeat(name: str = BEAT) -> None:
    """Set the heartbeat's time to now (flushes). One UPDATE on every tick but the first;
    two beats writing at once both succeed, since the row is keyed by name."""
    now = utcnow()
    updated = db.session.execute(update(Heartbeat).where(Heartbeat.name == name)
                                 .values(beat_at=now))
    if updated.rowcount:
        return
    try:
        with db.session.begin_nested():
            db.session.add(Heartbeat(name=name, beat_at=now))
    except IntegrityError:  # another beat inserted it first: its time is as good as ours
        pass
    db.session.flush()
