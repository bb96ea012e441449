"""The SignOn: a member of Congress or an organization that signed an alert's letter.

It lives with the alert, below every package that reads it: whom an alert asks a supporter to
contact depends on the members who signed (thanked, or skipped), and the action page and the
dashboard show the count. Recording and reviewing sign-ons is signons/, above."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import db
from ..core.time import utcnow

MEMBER, ORGANIZATION = "member", "organization"
PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
#: Where staff learned of a member's signature, offered on the form; free text is allowed too.
MEMBER_SOURCES = ("Office confirmed by phone", "Office confirmed by email", "Letter text",
                  "Lead office's list", "Press release")

_ACTIVE = "withdrawn_at IS NULL"


class SignOn(db.Model):
    __tablename__ = "signons"
    __table_args__ = (
        CheckConstraint("kind IN ('member', 'organization')", name="kind"),
        CheckConstraint("status IN ('pending', 'approved', 'rejected')", name="status"),
        CheckConstraint("(kind = 'member' AND bioguide_id IS NOT NULL) OR "
                        "(kind = 'organization' AND organization_name IS NOT NULL)",
                        name="signer"),
        # One standing signature per signer: a withdrawn one may be followed by a new one.
        Index("uq_signons_alert_id_kind_signer_key_active", "alert_id", "kind", "signer_key",
              unique=True, sqlite_where=text(_ACTIVE), postgresql_where=text(_ACTIVE)),
        Index("ix_signons_alert_id_kind_status", "alert_id", "kind", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id"))
    kind: Mapped[str] = mapped_column(String(12))
    #: The bioguide id of a member, or the case-folded name of an organization.
    signer_key: Mapped[str] = mapped_column(String(200))
    bioguide_id: Mapped[str | None] = mapped_column(ForeignKey("legislators.bioguide_id"))
    organization_name: Mapped[str | None] = mapped_column(String(200))
    country: Mapped[str | None] = mapped_column(String(100))
    website: Mapped[str | None] = mapped_column(String(300))
    #: The organization's contact: private, never on a public page or a viewer's export.
    contact_name: Mapped[str | None] = mapped_column(String(100))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    #: Members recorded by staff are approved; organizations wait for review.
    status: Mapped[str] = mapped_column(String(10), default=APPROVED)
    #: Staff-chosen place in the published list of organizations.
    position: Mapped[int | None]
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: How staff know, e.g. 'Office confirmed by phone'; 'Public form' for organizations.
    source: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    legislator = relationship("Legislator")
    recorded_by = relationship("User", foreign_keys=[recorded_by_id])

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

    @property
    def display_name(self) -> str:
        if self.kind == MEMBER:
            return self.legislator.display_name if self.legislator else self.bioguide_id
        return self.organization_name or ""

    def __repr__(self) -> str:
        return f"<SignOn {self.id} {self.kind} {self.signer_key} {self.status}>"
