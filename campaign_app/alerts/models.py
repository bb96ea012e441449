"""The alert."""

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from ..core.db import db
from ..core.mixins import TimestampMixin

STATUSES = ("draft", "live", "closed")
TARGET_RULES = ("house", "senate", "all", "listed")
CHANNELS = ("call", "email", "signon")


class Alert(TimestampMixin, db.Model):
    __tablename__ = "alerts"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'live', 'closed')", name="status"),
        CheckConstraint("target_rule IN ('house', 'senate', 'all', 'listed')",
                        name="target_rule"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(10), default="draft")
    #: Markdown with merge fields.
    appeal: Mapped[str] = mapped_column(Text, default="")
    target_rule: Mapped[str] = mapped_column(String(10), default="house")
    #: Bioguide ids when target_rule is 'listed'.
    target_ids: Mapped[list] = mapped_column(JSON, default=list)
    channels: Mapped[list] = mapped_column(JSON, default=lambda: ["call"])
    #: Markdown with merge fields.
    call_script: Mapped[str] = mapped_column(Text, default="")
    email_subject: Mapped[str] = mapped_column(String(200), default="")
    email_body: Mapped[str] = mapped_column(Text, default="")
    deadline_at: Mapped[datetime | None]
    #: IANA zone in which the deadline is shown, e.g. America/New_York.
    time_zone: Mapped[str] = mapped_column(String(60), default="America/New_York")
    #: Hours before the deadline at which reminders go out, e.g. [48, 3].
    reminder_offsets: Mapped[list] = mapped_column(JSON, default=list)
    thank_you_text: Mapped[str] = mapped_column(Text, default="")
    share_text: Mapped[str] = mapped_column(String(280), default="")
    share_url: Mapped[str | None] = mapped_column(String(500))
    signon_goal: Mapped[int | None]
    #: Signers of last year's letter, to beat (e.g. 82).
    previous_signon_count: Mapped[int | None]
    #: Show "47 members have signed; last year 82" on the public page.
    is_signon_count_public: Mapped[bool] = mapped_column(default=False, server_default=false())

    @property
    def is_live(self) -> bool:
        return self.status == "live"

    def __repr__(self) -> str:
        return f"<Alert {self.slug} ({self.status})>"
