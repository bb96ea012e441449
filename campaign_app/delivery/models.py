"""The Delivery row: one outbound message, sent at most once thanks to its idempotency key."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import db
from ..core.mixins import TimestampMixin

PENDING, SENDING, DELIVERED, FAILED = "pending", "sending", "delivered", "failed"
KINDS = ("confirmation", "congress_email")


class Delivery(TimestampMixin, db.Model):
    __tablename__ = "deliveries"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'sending', 'delivered', 'failed')",
                        name="status"),
        CheckConstraint("kind IN ('confirmation', 'congress_email')", name="kind"),
        Index("ix_deliveries_status_updated_at", "status", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: What makes this message unique, e.g. 'confirmation:<alert>:<supporter>'.
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10), default=PENDING)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id"), index=True)
    supporter_id: Mapped[int] = mapped_column(ForeignKey("supporters.id"), index=True)
    bioguide_id: Mapped[str | None] = mapped_column(ForeignKey("legislators.bioguide_id"))
    #: The email action a message to Congress carries.
    action_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id"))
    attempt_count: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    #: When the retry a worker scheduled after a failure is due: until then the outbox sweep
    #: leaves the delivery to that retry (its back-off), though it is pending.
    next_attempt_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]

    alert = relationship("Alert")
    action = relationship("Action")
    legislator = relationship("Legislator")
    supporter = relationship("Supporter")

    def __repr__(self) -> str:
        return f"<Delivery {self.id} {self.kind} {self.status}>"
