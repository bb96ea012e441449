"""A mailing and its recipients: one row per supporter, so no one is mailed twice."""

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import db
from ..core.mixins import TimestampMixin

#: What a mailing is: the alert email to a segment, or a reminder before the deadline.
ALERT, REMINDER = "alert", "reminder"
#: A mailing's status.
DRAFT, SENDING, PAUSED, DONE, CANCELLED = "draft", "sending", "paused", "done", "cancelled"
#: A recipient's status (SENDING: claimed by a worker's batch).
PENDING, SENT, FAILED, SKIPPED = "pending", "sent", "failed", "skipped"
RECIPIENT_STATUSES = (PENDING, SENDING, SENT, FAILED, SKIPPED)


class Mailing(TimestampMixin, db.Model):
    __tablename__ = "mailings"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'sending', 'paused', 'done', 'cancelled')",
                        name="status"),
        CheckConstraint("kind IN ('alert', 'reminder')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10), default=ALERT)
    status: Mapped[str] = mapped_column(String(10), default=DRAFT)
    #: What makes a mailing unique when it must happen once, e.g. 'reminder:<alert>:48'.
    dedupe_key: Mapped[str | None] = mapped_column(String(100), unique=True)
    #: The segment as chosen: {"type": "all"} or {"type": "state", "states": ["NY"]} …
    segment: Mapped[dict] = mapped_column(JSON, default=dict)
    #: The texts as they were when the mailing was created: later edits don't change a send.
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    #: Hours before the deadline, for reminders.
    reminder_offset: Mapped[int | None]
    #: Defer recipients whose local time is between 21:00 and 08:00.
    respects_quiet_hours: Mapped[bool] = mapped_column(default=False)
    recipient_count: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    alert = relationship("Alert")

    def __repr__(self) -> str:
        return f"<Mailing {self.id} {self.kind} {self.status}>"


class MailingRecipient(db.Model):
    __tablename__ = "mailing_recipients"
    __table_args__ = (
        UniqueConstraint("mailing_id", "supporter_id"),
        CheckConstraint("status IN ('pending', 'sending', 'sent', 'failed', 'skipped')",
                        name="status"),
        Index("ix_mailing_recipients_mailing_id_status", "mailing_id", "status"),
        Index("ix_mailing_recipients_supporter_id", "supporter_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mailing_id: Mapped[int] = mapped_column(ForeignKey("mailings.id", ondelete="CASCADE"))
    supporter_id: Mapped[int] = mapped_column(ForeignKey("supporters.id"))
    status: Mapped[str] = mapped_column(String(10), default=PENDING)
    attempt_count: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    #: Not before this time (quiet hours, or a retry's back-off).
    not_before: Mapped[datetime | None]
    claimed_at: Mapped[datetime | None]
    #: Which batch holds the row: a worker marks a message sent only while it still does.
    claim_token: Mapped[str | None] = mapped_column(String(32))
    sent_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<MailingRecipient {self.mailing_id}:{self.supporter_id} {self.status}>"


class SupporterTag(db.Model):
    """A label on a supporter (e.g. 'volunteer', 'donor'), for choosing a segment."""

    __tablename__ = "supporter_tags"
    __table_args__ = (UniqueConstraint("supporter_id", "tag"),
                      Index("ix_supporter_tags_tag", "tag"))

    id: Mapped[int] = mapped_column(primary_key=True)
    supporter_id: Mapped[int] = mapped_column(ForeignKey("supporters.id", ondelete="CASCADE"))
    tag: Mapped[str] = mapped_column(String(50))
