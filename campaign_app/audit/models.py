"""One audit event per staff action worth answering for."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import db
from ..core.time import utcnow


class AuditEvent(db.Model):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    #: Who acted; None for events without a logged-in user (a failed login).
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    #: What happened, dotted: 'user.role_changed', 'signon.recorded', 'export.actions'.
    action: Mapped[str] = mapped_column(String(50), index=True)
    #: What it happened to, readable: 'user 4 (ana@example.org)', 'alert mexico-letter'.
    target: Mapped[str] = mapped_column(String(300), default="")
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    ip: Mapped[str | None] = mapped_column(String(45))

    user = relationship("User")

    def __repr__(self) -> str:
        return f"<AuditEvent {self.id} {self.action}>"
