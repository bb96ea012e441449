"""The Action: one supporter's act toward one target in one alert."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import db
from ..core.time import utcnow

KINDS = ("call", "email", "thank")
#: Call outcomes, in the order the page offers them.
CALL_OUTCOMES = {
    "talked": "Talked to staff",
    "voicemail": "Left a voicemail",
    "busy": "Line busy or mailbox full",
    "no_answer": "No answer",
}


class Action(db.Model):
    __tablename__ = "actions"
    __table_args__ = (
        CheckConstraint("kind IN ('call', 'email', 'thank')", name="kind"),
        CheckConstraint(
            "outcome IS NULL OR outcome IN ('talked', 'voicemail', 'busy', 'no_answer')",
            name="outcome",
        ),
        Index("ix_actions_alert_id_created_at", "alert_id", "created_at"),
        Index("ix_actions_alert_id_supporter_id", "alert_id", "supporter_id"),
        # Covers the whip list and the staff counts, so they read the index, not the table.
        Index("ix_actions_alert_id_bioguide_id", "alert_id", "bioguide_id", "supporter_id",
              "kind", "outcome", "created_at"),
        # Few actions carry a referral code: the dashboard's referral counts read only those.
        Index("ix_actions_alert_id_referral_code", "alert_id", "referral_code", "supporter_id",
              sqlite_where=text("referral_code IS NOT NULL"),
              postgresql_where=text("referral_code IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id"))
    supporter_id: Mapped[int] = mapped_column(ForeignKey("supporters.id"))
    bioguide_id: Mapped[str] = mapped_column(ForeignKey("legislators.bioguide_id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    outcome: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    #: Status of an email action: queued, delivered, failed.
    status: Mapped[str | None] = mapped_column(String(20))
    #: How an email went: 'cwc' (delivered by us) or 'contact_form' (the supporter pastes it).
    channel: Mapped[str | None] = mapped_column(String(20))
    message_subject: Mapped[str | None] = mapped_column(String(200))
    message_body: Mapped[str | None] = mapped_column(Text)
    #: The form's one-time key: a resent POST finds the action already there.
    submission_key: Mapped[str] = mapped_column(String(64), unique=True)
    referral_code: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    legislator = relationship("Legislator")

    @property
    def outcome_label(self) -> str:
        return CALL_OUTCOMES.get(self.outcome or "", self.outcome or "")

    def __repr__(self) -> str:
        return f"<Action {self.id} {self.kind} {self.bioguide_id}>"
