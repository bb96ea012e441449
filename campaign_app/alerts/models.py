"""The alert."""

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import db
from ..core.mixins import TimestampMixin
from ..core.time import utcnow
from ..i18n.staff import lazy_staff_gettext

TARGET_RULES = ("house", "senate", "all", "listed")
CHANNELS = ("call", "email", "signon")
#: Who the public page lists among supporters who signed the letter.
SIGNER_LISTS = {"off": lazy_staff_gettext("No list"),
                "initials_city": lazy_staff_gettext("First name, last initial and city")}


class Alert(TimestampMixin, db.Model):
    __tablename__ = "alerts"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'live', 'closed')", name="status"),
        CheckConstraint("target_rule IN ('house', 'senate', 'all', 'listed')",
                        name="target_rule"),
        CheckConstraint("public_signer_list IN ('off', 'initials_city')",
                        name="public_signer_list"),
        CheckConstraint("position IS NULL OR position IN ('pro', 'con')", name="position"),
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
    #: Leave out members who already signed the letter.
    skip_signed: Mapped[bool] = mapped_column(default=False)
    channels: Mapped[list] = mapped_column(JSON, default=lambda: ["call"])
    #: Markdown with merge fields.
    call_script: Mapped[str] = mapped_column(Text, default="")
    #: What to say to a member who already signed: thank them (Markdown with merge fields).
    thank_script: Mapped[str] = mapped_column(Text, default="")
    email_subject: Mapped[str] = mapped_column(String(500), default="")
    email_body: Mapped[str] = mapped_column(Text, default="")
    #: Whether supporters may edit the suggested email before sending it.
    is_email_editable: Mapped[bool] = mapped_column(default=True)
    email_max_length: Mapped[int] = mapped_column(default=5000)
    #: The Library of Congress policy area that messages to Congress are filed under.
    topic: Mapped[str] = mapped_column(String(60), default="International Affairs")
    #: The bills the messages are about: [{"congress": 119, "type": "hr", "number": 1234}].
    bills: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")
    #: The organizer's position on those bills: 'pro', 'con' or None (CWC's ProOrCon).
    position: Mapped[str | None] = mapped_column(String(3))
    #: A page with more about the campaign, sent to offices as CWC's MoreInfo.
    more_info_url: Mapped[str | None] = mapped_column(String(500))
    #: The email that sends the alert to supporters (Markdown with merge fields).
    alert_email_subject: Mapped[str] = mapped_column(String(200), default="")
    alert_email_body: Mapped[str] = mapped_column(Text, default="")
    deadline_at: Mapped[datetime | None]
    #: IANA zone in which the deadline is shown, e.g. America/New_York.
    time_zone: Mapped[str] = mapped_column(String(60), default="America/New_York")
    #: Hours before the deadline at which reminders go out, e.g. [48, 3].
    reminder_offsets: Mapped[list] = mapped_column(JSON, default=list)
    #: Hold reminders while it is night (21:00–08:00) where the supporter lives.
    reminders_respect_quiet_hours: Mapped[bool] = mapped_column(default=False)
    thank_you_text: Mapped[str] = mapped_column(Text, default="")
    share_text: Mapped[str] = mapped_column(String(280), default="")
    share_url: Mapped[str | None] = mapped_column(String(500))
    signon_goal: Mapped[int | None]
    #: Signers of last year's letter, to beat (e.g. 82).
    previous_signon_count: Mapped[int | None]
    #: Show "47 members have signed; last year 82" on the public page.
    is_signon_count_public: Mapped[bool] = mapped_column(default=False, server_default=false())
    #: The letter supporters sign (plain text; [[Target_Name]] becomes each office's member).
    letter_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: Supporters' signatures to reach; signon_goal above counts members of Congress.
    signature_goal: Mapped[int | None]
    #: Whether and how the public page lists recent signers: 'off' or 'initials_city'.
    public_signer_list: Mapped[str] = mapped_column(String(20), default="off",
                                                    server_default="off")
    #: The language the texts above are written in ('en', 'es', … of LANGUAGES); the alert's
    #: texts in other languages are its AlertTranslation rows.
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    #: Sites allowed to embed this alert, one origin per line (https://example.org); None
    #: takes the organization's EMBED_ALLOWED_ORIGINS.
    embed_origins: Mapped[str | None] = mapped_column(Text)
    #: The embed's look: CSS custom property → validated value (embeds/style.py).
    embed_style: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]

    revisions: Mapped[list["AlertRevision"]] = relationship(
        back_populates="alert", order_by="AlertRevision.id.desc()", cascade="all, delete-orphan"
    )
    translations: Mapped[list["AlertTranslation"]] = relationship(
        back_populates="alert", order_by="AlertTranslation.language",
        cascade="all, delete-orphan"
    )

    @property
    def is_live(self) -> bool:
        return self.status == "live"

    def __repr__(self) -> str:
        return f"<Alert {self.slug} ({self.status})>"


class AlertTranslation(db.Model):
    """The alert's supporter-facing texts in one more language (Spanish for an English alert):
    one row per (alert, language), so a third language is rows, not columns. A text left
    empty here is read in the alert's own language."""

    __tablename__ = "alert_translations"

    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"),
                                          primary_key=True)
    language: Mapped[str] = mapped_column(String(8), primary_key=True)
    # The same texts, widths and rules as the alert's own columns (alerts.texts checks both).
    title: Mapped[str] = mapped_column(String(200), default="")
    appeal: Mapped[str] = mapped_column(Text, default="")
    call_script: Mapped[str] = mapped_column(Text, default="")
    thank_script: Mapped[str] = mapped_column(Text, default="")
    email_subject: Mapped[str] = mapped_column(String(500), default="")
    email_body: Mapped[str] = mapped_column(Text, default="")
    thank_you_text: Mapped[str] = mapped_column(Text, default="")
    share_text: Mapped[str] = mapped_column(String(280), default="")
    alert_email_subject: Mapped[str] = mapped_column(String(200), default="")
    alert_email_body: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    alert: Mapped[Alert] = relationship(back_populates="translations")

    def __repr__(self) -> str:
        return f"<AlertTranslation {self.alert_id} {self.language}>"


class AlertRevision(db.Model):
    """One save of an alert: who, when, what changed, and the full text as it then stood."""

    __tablename__ = "alert_revisions"
    __table_args__ = (Index("ix_alert_revisions_alert_id_created_at", "alert_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: What happened: created, edited, published, closed.
    event: Mapped[str] = mapped_column(String(20))
    #: The alert's status right after this save: supporters saw this text while it was live.
    status: Mapped[str] = mapped_column(String(10))
    changed_fields: Mapped[list] = mapped_column(JSON, default=list)
    snapshot: Mapped[dict] = mapped_column(JSON, default=dict)

    alert: Mapped[Alert] = relationship(back_populates="revisions")
    user = relationship("User")

    def __repr__(self) -> str:
        return f"<AlertRevision {self.id} of alert {self.alert_id}: {self.event}>"


class MergeFieldDefault(db.Model):
    """The organization's default for one merge field in one language, set by staff: what a
    supporter we don't know reads (First_Name → Friend, Amigo/a) where a text in that language
    gives no `[[Field|fallback]]`. No row: the default language's, else the built-in one
    (alerts.defaults)."""

    __tablename__ = "merge_field_defaults"

    #: The field's lower-case key, e.g. 'first_name' (a key of text.merge.CATALOGUE).
    field: Mapped[str] = mapped_column(String(40), primary_key=True)
    #: The language the default is written in (one of LANGUAGES).
    language: Mapped[str] = mapped_column(String(8), primary_key=True)
    #: Plain text; empty means the field shows nothing.
    fallback: Mapped[str] = mapped_column(String(100), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    def __repr__(self) -> str:
        return f"<MergeFieldDefault {self.field} {self.language}={self.fallback!r}>"
