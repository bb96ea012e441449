"""Telephony's tables: each phone call Alerta placed or answered, each leg of it (one office
dialed), and the numbers staff blocked.

A leg is unique per (call, position): the provider may post the same callback twice, and the
second finds the leg (and its action) already there.
"""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import db
from ..core.time import utcnow

#: How the provider says a call or a dialed leg ended (Twilio's CallStatus/DialCallStatus).
FINAL_STATUSES = ("completed", "busy", "no-answer", "failed", "canceled")
#: The keypad answer after a leg, as the call action's outcome.
KEYPAD_OUTCOMES = {"1": "talked", "2": "voicemail", "3": "busy"}
#: A leg the office never answered is recorded without asking the supporter.
UNANSWERED_OUTCOMES = {"busy": "busy", "no-answer": "no_answer", "failed": "no_answer",
                       "canceled": "no_answer"}


class PhoneCall(db.Model):
    __tablename__ = "phone_calls"
    __table_args__ = (
        CheckConstraint("direction IN ('outbound', 'inbound')", name="direction"),
        Index("ix_phone_calls_phone_alert_id_created_at", "phone", "alert_id", "created_at"),
        Index("ix_phone_calls_alert_id_created_at", "alert_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id"))
    #: None for a caller we could not match to a supporter (call-in).
    supporter_id: Mapped[int | None] = mapped_column(ForeignKey("supporters.id"), index=True)
    #: The browser's submission that asked for the call: its page shows the calls' actions.
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"))
    direction: Mapped[str] = mapped_column(String(10))
    #: The supporter's number, E.164 (+1…).
    phone: Mapped[str] = mapped_column(String(20))
    #: The provider's id of the call (Twilio's CallSid); None until the provider took it.
    call_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    #: queued (ours), then the provider's: ringing, in-progress, completed, busy, …
    status: Mapped[str] = mapped_column(String(20), default="queued")
    language: Mapped[str] = mapped_column(String(8), default="en")
    #: The place the caller keyed in (call-in): the targets follow from it.
    zip_code: Mapped[str | None] = mapped_column(String(5))
    state: Mapped[str | None] = mapped_column(String(2))
    district: Mapped[int | None]
    #: The supporter pressed 1 on a call Alerta placed: the number is theirs (caller id
    #: matching on call-in trusts only such numbers).
    is_consented: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: Total length as the provider bills it, seconds; set by the final status callback.
    duration_seconds: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]

    legs: Mapped[list["CallLeg"]] = relationship(back_populates="phone_call",
                                                 order_by="CallLeg.position")

    def __repr__(self) -> str:
        return f"<PhoneCall {self.id} {self.direction} {self.status}>"


class CallLeg(db.Model):
    __tablename__ = "call_legs"
    __table_args__ = (UniqueConstraint("phone_call_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    phone_call_id: Mapped[int] = mapped_column(ForeignKey("phone_calls.id"))
    #: The target's place in the call's list (0 = first).
    position: Mapped[int]
    bioguide_id: Mapped[str] = mapped_column(ForeignKey("legislators.bioguide_id"))
    #: The number dialed, and whether it was the Washington or a district office.
    number: Mapped[str] = mapped_column(String(20))
    office: Mapped[str] = mapped_column(String(10))
    dial_call_sid: Mapped[str | None] = mapped_column(String(64))
    #: How the provider says the dial ended: completed, busy, no-answer, failed, canceled.
    provider_outcome: Mapped[str] = mapped_column(String(20))
    duration_seconds: Mapped[int] = mapped_column(default=0)
    #: The supporter's keypad answer afterwards: 1, 2 or 3 (None: not asked, or no answer).
    keypad_outcome: Mapped[str | None] = mapped_column(String(1))
    #: The call action; None for a caller we could not match to a supporter (call-in).
    action_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    phone_call: Mapped[PhoneCall] = relationship(back_populates="legs")
    action = relationship("Action")
    legislator = relationship("Legislator")

    def __repr__(self) -> str:
        return f"<CallLeg {self.id} {self.bioguide_id} {self.provider_outcome}>"


class BlockedNumber(db.Model):
    """A number Alerta never calls and never connects (staff's block list)."""

    __tablename__ = "blocked_numbers"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(20), unique=True)
    reason: Mapped[str | None] = mapped_column(String(200))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<BlockedNumber {self.id}>"
