"""The supporter record."""

from datetime import datetime

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from ..core.db import db
from ..core.mixins import TimestampMixin

#: How the supporter's district was found.
DISTRICT_SOURCES = ("zip-unique", "zip-ambiguous", "geocoder", "self-selected")


class Supporter(TimestampMixin, db.Model):
    __tablename__ = "supporters"
    __table_args__ = (
        CheckConstraint(
            "district_source IS NULL OR district_source IN "
            "('zip-unique', 'zip-ambiguous', 'geocoder', 'self-selected')",
            name="district_source",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Lower-cased, trimmed: the key that deduplicates supporters.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    #: Mr., Ms., Mx., Dr. …: Congress's message system requires one.
    prefix: Mapped[str | None] = mapped_column(String(10))
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    street: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(100))
    zip_code: Mapped[str] = mapped_column(String(5))
    phone: Mapped[str | None] = mapped_column(String(30))
    state: Mapped[str | None] = mapped_column(String(2), index=True)
    district: Mapped[int | None]
    district_source: Mapped[str | None] = mapped_column(String(20))
    #: Where the geocoder placed the supporter's street address: finds the nearest district
    #: office. None unless geocoded.
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    is_subscribed: Mapped[bool] = mapped_column(default=False)
    subscribed_at: Mapped[datetime | None]
    unsubscribed_at: Mapped[datetime | None]
    #: Carried by this supporter's share links, to count the actions they bring.
    referral_code: Mapped[str | None] = mapped_column(String(16), unique=True)
    #: Set by a bounce or complaint: no more mail, whatever the subscription says.
    is_undeliverable: Mapped[bool] = mapped_column(default=False)
    undeliverable_reason: Mapped[str | None] = mapped_column(String(200))

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def __repr__(self) -> str:
        return f"<Supporter {self.id}>"
