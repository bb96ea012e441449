"""The dashboard snapshot: an alert's aggregates, computed in the background for big alerts."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from ..core.db import db


class DashboardSnapshot(db.Model):
    __tablename__ = "dashboard_snapshots"

    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id"), primary_key=True)
    computed_at: Mapped[datetime]
    #: What the dashboard shows: counts, series by day and by hour, deliveries, referrals.
    data: Mapped[dict] = mapped_column(JSON)

    def __repr__(self) -> str:
        return f"<DashboardSnapshot {self.alert_id} at {self.computed_at}>"
