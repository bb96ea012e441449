"""The heartbeat table: one row per periodic process that proves it is still ticking."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..core.db import db
from ..core.time import utcnow


class Heartbeat(db.Model):
    """The last time a process (today only celery beat) reported that it runs."""

    __tablename__ = "heartbeats"

    #: Which process beats: 'beat'.
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    beat_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<Heartbeat {self.name} at {self.beat_at}>"
