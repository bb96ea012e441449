"""Webhook endpoints, the events of the outbox, and each event's delivery to each endpoint."""

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import db
from ..core.time import utcnow
from ..i18n.staff import lazy_staff_gettext

#: The event types an endpoint can subscribe to, with what staff read.
EVENT_TYPES = {
    "person.created": lazy_staff_gettext("A person was added"),
    "person.updated": lazy_staff_gettext("A person's record changed"),
    "person.unsubscribed": lazy_staff_gettext("A person unsubscribed"),
    "outreach.created": lazy_staff_gettext("An outreach (call or email to Congress) was recorded"),
    "signature.created": lazy_staff_gettext("A signature was added to a letter"),
    "signature.withdrawn": lazy_staff_gettext("A signature was withdrawn"),
    "delivery.failed": lazy_staff_gettext("An email to Congress could not be delivered"),
    "test": lazy_staff_gettext("A test event sent from the staff page"),
}
PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"


class WebhookEndpoint(db.Model):
    __tablename__ = "webhook_endpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(500))
    #: Event types sent to this endpoint.
    events: Mapped[list] = mapped_column(JSON, default=list)
    #: The signing secret, whsec_ + base64, shown once to the admin (needed to sign).
    secret: Mapped[str] = mapped_column(String(100))
    is_active: Mapped[bool] = mapped_column(default=True)
    #: Since when every delivery failed; None while the endpoint answers.
    failing_since: Mapped[datetime | None]
    disabled_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<WebhookEndpoint {self.id}>"


class WebhookEvent(db.Model):
    """One change worth telling, written in the transaction of the change (the outbox)."""

    __tablename__ = "webhook_events"
    __table_args__ = (Index("ix_webhook_events_created_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The webhook-id header: the same on every try, so receivers deduplicate by it.
    message_id: Mapped[str] = mapped_column(String(40), unique=True)
    type: Mapped[str] = mapped_column(String(40))
    #: The JSON body sent: type, timestamp and the OSDI representation of the resource.
    payload: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<WebhookEvent {self.id} {self.type}>"


class WebhookDelivery(db.Model):
    """An event on its way to one endpoint: tried until delivered or given up."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'delivered', 'failed')", name="status"),
        UniqueConstraint("endpoint_id", "event_id"),
        Index("ix_webhook_deliveries_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    endpoint_id: Mapped[int] = mapped_column(ForeignKey("webhook_endpoints.id"))
    event_id: Mapped[int] = mapped_column(ForeignKey("webhook_events.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default=PENDING)
    attempt_count: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None]

    endpoint = relationship("WebhookEndpoint")
    event = relationship("WebhookEvent")

    def __repr__(self) -> str:
        return f"<WebhookDelivery {self.id} {self.status}>"


class WebhookAttempt(db.Model):
    """One try of a delivery: the endpoint's delivery log."""

    __tablename__ = "webhook_attempts"
    __table_args__ = (Index("ix_webhook_attempts_endpoint_id_id", "endpoint_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("webhook_deliveries.id"), index=True)
    endpoint_id: Mapped[int] = mapped_column(ForeignKey("webhook_endpoints.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: The endpoint's HTTP status; None when no answer came (timeout, refused).
    status_code: Mapped[int | None]
    latency_ms: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(Text)

    delivery = relationship("WebhookDelivery")

    def __repr__(self) -> str:
        return f"<WebhookAttempt {self.id} {self.status_code}>"
