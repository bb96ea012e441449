"""The supporter record."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import db
from ..core.mixins import TimestampMixin


def _district_source_check() -> CheckConstraint:
    return CheckConstraint(
        "district_source IS NULL OR district_source IN "
        "('zip-unique', 'zip-ambiguous', 'geocoder', 'self-selected')",
        name="district_source",
    )


class PersonFields:
    """Who a person says they are: the supporter as stored and each submission as typed
    share these columns, so what a form accepts fits both."""

    #: Mr., Ms., Mx., Dr. …: Congress's message system requires one.
    prefix: Mapped[str | None] = mapped_column(String(10))
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    street: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(100))
    zip_code: Mapped[str] = mapped_column(String(5))
    phone: Mapped[str | None] = mapped_column(String(30))

    def personal_values(self) -> tuple[str | None, ...]:
        """What names this person, for scrubbing texts that may quote it (core.scrub)."""
        return (getattr(self, "email", None), self.first_name, self.last_name,
                f"{self.first_name or ''} {self.last_name or ''}", self.phone, self.street,
                self.city)


class Supporter(PersonFields, TimestampMixin, db.Model):
    __tablename__ = "supporters"
    __table_args__ = (
        _district_source_check(),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Lower-cased, trimmed: the key that deduplicates supporters.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    state: Mapped[str | None] = mapped_column(String(2), index=True)
    district: Mapped[int | None]
    #: How the district was found: zip-unique, zip-ambiguous, geocoder or self-selected.
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
    #: The language the supporter last acted in ('en', 'es'): every later email to them is
    #: in it. None: never chosen (the organization's default applies).
    language: Mapped[str | None] = mapped_column(String(8))
    #: The source code (?source=, utm_*, a mailing's, an embed's host) the supporter first
    #: came with, when that visit added them.
    source_code: Mapped[str | None] = mapped_column(String(100))
    #: When an admin erased this supporter on request: what is left counts what they did
    #: (alert, kind, outcome, state and district, date) and names no one.
    erased_at: Mapped[datetime | None]

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def __repr__(self) -> str:
        return f"<Supporter {self.id}>"


class Submission(PersonFields, TimestampMixin, db.Model):
    """What one browser told us about its supporter for one alert, kept as submitted.

    A supporter is recognized by email, which anyone can type. A browser that has not proven
    who it is (by a personal link) never sees what was stored before and never replaces a
    stored identity field: what it typed is kept here, with the actions it makes, and its
    pages read this row (`profile`). A proven browser's submission updates the supporter,
    and its pages read the supporter. Later steps of the same visit (the address step, the
    email form, the signature) add what they ask for to the same row.
    """

    __tablename__ = "submissions"
    __table_args__ = (
        _district_source_check(),
        Index("ix_submissions_supporter_id_created_at", "supporter_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id"), index=True)
    supporter_id: Mapped[int] = mapped_column(ForeignKey("supporters.id"))
    #: The browser had proven it is this supporter (a personal link) when it submitted.
    is_proven: Mapped[bool] = mapped_column(default=False)
    #: This submission created the supporter: everything stored came from it.
    is_new_supporter: Mapped[bool] = mapped_column(default=False)
    email: Mapped[str] = mapped_column(String(254))
    #: Where this browser's own input placed it (ZIP, address step or its choice).
    state: Mapped[str | None] = mapped_column(String(2))
    district: Mapped[int | None]
    district_source: Mapped[str | None] = mapped_column(String(20))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    is_opt_in: Mapped[bool] = mapped_column(default=False)
    #: Stored fields this submission gave otherwise and did not replace, comma-separated:
    #: staff see on the supporter that a submission differed.
    differing_fields: Mapped[str] = mapped_column(String(200), default="")
    #: When this browser added the supporter's name to the letter (the one signature of the
    #: supporter may have come from another browser).
    signed_at: Mapped[datetime | None]
    #: The first source code this browser arrived with on the alert (supporters/sources.py).
    source_code: Mapped[str | None] = mapped_column(String(100))

    supporter = relationship("Supporter")

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def profile(self):
        """What the browser that made this submission may see: the stored supporter once it
        proved who it is, else only what it typed itself."""
        return self.supporter if self.is_proven else self

    def __repr__(self) -> str:
        return f"<Submission {self.id} supporter {self.supporter_id}>"
