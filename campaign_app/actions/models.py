"""The Action: one supporter's act toward one target in one alert.

A supporter's signature on the alert's letter is an action too, of kind 'signon', and the only
kind without a member: it is addressed to the letter, not to one office. Which offices it
reaches (the signer's House member, their two senators, or both, by the alert's target rule)
follows from the signer's district when the letter is delivered, so a signature counts once
however many offices receive it. Keeping it in this table means everything that asks "has this
supporter acted?" (the dashboard, reminders, segments, exports, referral counts, the
confirmation email) sees signers without a second mechanism. The database holds the rules:
one signature per supporter per alert and one email per supporter, office and alert (partial
unique indexes), and a member on every other kind of action (a check constraint).
"""

from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import db
from ..core.time import utcnow

KINDS = ("call", "email", "thank", "signon")
#: Call outcomes, in the order the page offers them.
CALL_OUTCOMES = {
    "talked": _l("Talked to staff"),
    "voicemail": _l("Left a voicemail"),
    "busy": _l("Line busy or mailbox full"),
    "no_answer": _l("No answer"),
}
#: An email's status through CWC, as the call page tells the supporter.
EMAIL_STATUSES = {
    "queued": _l("on its way"),
    "delivered": _l("delivered"),
    "failed": _l("could not be delivered"),
}


_SIGNON = "kind = 'signon'"
_EMAIL = "kind = 'email'"


class Action(db.Model):
    __tablename__ = "actions"
    __table_args__ = (
        CheckConstraint("kind IN ('call', 'email', 'thank', 'signon')", name="kind"),
        # A signature is addressed to the letter; every other action to one member.
        CheckConstraint("(kind = 'signon' AND bioguide_id IS NULL) OR "
                        "(kind <> 'signon' AND bioguide_id IS NOT NULL)", name="target"),
        CheckConstraint(
            "outcome IS NULL OR outcome IN ('talked', 'voicemail', 'busy', 'no_answer')",
            name="outcome",
        ),
        Index("ix_actions_alert_id_created_at", "alert_id", "created_at"),
        Index("ix_actions_alert_id_supporter_id", "alert_id", "supporter_id"),
        # Covers the whip list and the staff counts, so they read the index, not the table.
        Index("ix_actions_alert_id_bioguide_id", "alert_id", "bioguide_id", "supporter_id",
              "kind", "outcome", "created_at"),
        # The dashboard's actions per language: counted from the index alone.
        Index("ix_actions_alert_id_language", "alert_id", "language", "supporter_id"),
        # Few actions carry a referral code: the dashboard's referral counts read only those.
        Index("ix_actions_alert_id_source_code", "alert_id", "source_code"),
        Index("ix_actions_alert_id_referral_code", "alert_id", "referral_code", "supporter_id",
              sqlite_where=text("referral_code IS NOT NULL"),
              postgresql_where=text("referral_code IS NOT NULL")),
        # One signature per supporter per alert, whatever the browser resends.
        Index("uq_actions_alert_id_supporter_id_signon", "alert_id", "supporter_id",
              unique=True, sqlite_where=text(_SIGNON), postgresql_where=text(_SIGNON)),
        # One email per supporter, office and alert: a second send is refused, not counted.
        Index("uq_actions_alert_id_supporter_id_bioguide_id_email", "alert_id", "supporter_id",
              "bioguide_id", unique=True, sqlite_where=text(_EMAIL),
              postgresql_where=text(_EMAIL)),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id"))
    supporter_id: Mapped[int] = mapped_column(ForeignKey("supporters.id"))
    #: The member contacted; None for a signature on the letter (kind 'signon').
    bioguide_id: Mapped[str | None] = mapped_column(ForeignKey("legislators.bioguide_id"),
                                                    index=True)
    kind: Mapped[str] = mapped_column(String(10))
    outcome: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    #: Status of an email action: queued, delivered, failed.
    status: Mapped[str | None] = mapped_column(String(20))
    #: How an email went: 'cwc' (delivered by us) or 'contact_form' (the supporter pastes it).
    channel: Mapped[str | None] = mapped_column(String(20))
    message_subject: Mapped[str | None] = mapped_column(String(500))
    message_body: Mapped[str | None] = mapped_column(Text)
    #: The supporter changed the suggested email: their words go to Congress as their own.
    is_message_edited: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: The organizer's suggested text as this supporter was offered it, kept when edited
    #: (CWC's OrganizationStatement; unedited, message_body is that text).
    suggested_body: Mapped[str | None] = mapped_column(Text)
    #: The supporter asked the office for an answer (CWC's IsResponseRequested).
    is_response_requested: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: The supporter asked for the member's newsletter (CWC's NewsletterOptIn).
    is_newsletter_opt_in: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: The form's one-time key: a resent POST finds the action already there.
    submission_key: Mapped[str] = mapped_column(String(64), unique=True)
    referral_code: Mapped[str | None] = mapped_column(String(32))
    #: Where the action came from: its submission's first source code (a mailing, a post,
    #: an embedding site). Counted per source on the dashboard.
    source_code: Mapped[str | None] = mapped_column(String(100))
    #: The browser's submission this action came with: what the supporter typed, as
    #: submitted. None for actions older than submissions.
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"), index=True)
    #: The language of the page the supporter acted on: their confirmation is written in it,
    #: and the dashboard counts actions per language. None for actions older than languages.
    language: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    legislator = relationship("Legislator")
    submission = relationship("Submission")

    @property
    def outcome_label(self) -> str:
        return str(CALL_OUTCOMES.get(self.outcome or "", self.outcome or ""))

    @property
    def status_label(self) -> str:
        """Where an email to Congress stands, in the supporter's words."""
        return str(EMAIL_STATUSES.get(self.status or "", self.status or ""))

    @property
    def summary(self) -> str:
        """One line for the supporter's confirmation: what they did, and for whom."""
        if self.kind == "signon":
            return _("Signed the letter")
        # Spanish: 'Llamó a la Representante …' (the name brings its 'a' and article).
        name = self.legislator.titled_name_as_object
        if self.kind == "email":
            return (_("Emailed %(name)s", name=name) if self.channel == "cwc"
                    else _("Wrote to %(name)s (through the office's contact form)", name=name))
        if self.kind == "thank":
            return _("Thanked %(name)s — %(outcome)s", name=name, outcome=self.outcome_label)
        return _("Called %(name)s — %(outcome)s", name=name, outcome=self.outcome_label)

    def __repr__(self) -> str:
        return f"<Action {self.id} {self.kind} {self.bioguide_id}>"
