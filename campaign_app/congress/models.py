"""Legislators, their district offices, ZIP→district rows and the record of each data sync."""

import re
from datetime import date, datetime
from functools import lru_cache

from flask_babel import get_locale, gettext, pgettext
from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    and_,
    case,
    func,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import db
from ..core.mixins import TimestampMixin
from ..core.time import utcnow

HOUSE, SENATE = "house", "senate"
#: A bioguide id, e.g. 'H001096': what a member's id must look like wherever one is typed.
BIOGUIDE_ID = re.compile(r"\A[A-Z]\d{6}\Z")


def district_label(state: str, number: int | None) -> str:
    """'NY-12'; 'WY-AL' for an at-large seat (0); 'NY-?' when the district is unknown."""
    if number is None:
        return f"{state}-?"
    return f"{state}-{'AL' if number == 0 else number}"


def local_title(title: str, gender: str | None) -> str:
    """A member's title in the current language. Spanish writes it out, as U.S. Spanish-
    language media do, and makes it agree with the member ('Senadora'); the catalog says
    how, each title in the context of the member's gender as the data gives it."""
    return _titles(str(get_locale()))[_gender_context(gender)][title]


@lru_cache(maxsize=16)
def _titles(language: str) -> dict[str, dict[str, str]]:
    """Every title in `language` (the current locale's), translated once per process: a page
    names each member several times, and each lookup in the catalog is not free."""
    return {
        "woman": {"Sen.": pgettext("woman", "Sen."), "Rep.": pgettext("woman", "Rep."),
                  "Del.": pgettext("woman", "Del."),
                  "Res. Comm.": pgettext("woman", "Res. Comm.")},
        "man": {"Sen.": pgettext("man", "Sen."), "Rep.": pgettext("man", "Rep."),
                "Del.": pgettext("man", "Del."), "Res. Comm.": pgettext("man", "Res. Comm.")},
        "unknown": {"Sen.": pgettext("unknown", "Sen."), "Rep.": pgettext("unknown", "Rep."),
                    "Del.": pgettext("unknown", "Del."),
                    "Res. Comm.": pgettext("unknown", "Res. Comm.")},
    }


def _gender_context(gender: str | None) -> str:
    return {"F": "woman", "M": "man"}.get(gender or "", "unknown")


def with_article(titled_name: str, gender: str | None) -> str:
    """A titled name as running text reads it, after 'with' or 'for' or as a subject: Spanish
    puts the article before the title ('la Senadora …', 'el Senador …'), English none."""
    context = _gender_context(gender)
    if context == "woman":
        return pgettext("woman, with article", "%(member)s", member=titled_name)
    if context == "man":
        return pgettext("man, with article", "%(member)s", member=titled_name)
    return pgettext("unknown, with article", "%(member)s", member=titled_name)


def as_object(titled_name: str, gender: str | None) -> str:
    """A titled name as the person a sentence's action reaches ('Called …', 'Wrote to …'):
    Spanish writes the personal 'a' with the article, contracted ('al Senador …', 'a la
    Senadora …'), so the sentence's own translation leaves its 'a' out."""
    context = _gender_context(gender)
    if context == "woman":
        return pgettext("woman, reached by the action", "%(member)s", member=titled_name)
    if context == "man":
        return pgettext("man, reached by the action", "%(member)s", member=titled_name)
    return pgettext("unknown, reached by the action", "%(member)s", member=titled_name)


class MemberLabels:
    """How a member is named on pages: shared by the ORM row and the in-memory index's copy."""

    @property
    def display_name(self) -> str:
        return self.official_name or f"{self.first_name} {self.last_name}"

    @property
    def title(self) -> str:
        """The English title, as data (the API's 'title')."""
        if self.chamber == SENATE:
            return "Sen."
        if self.district == 0 and self.state in DELEGATE_STATES:
            return "Del." if self.state != "PR" else "Res. Comm."
        return "Rep."

    @staticmethod
    def title_expression(chamber, district, state):
        """`title` as an SQL expression of the member's columns (for JSON built in the
        database): the same rule."""
        return case((chamber == SENATE, "Sen."),
                    (and_(district == 0, state.in_(sorted(DELEGATE_STATES))),
                     case((state == "PR", "Res. Comm."), else_="Del.")),
                    else_="Rep.")

    @property
    def titled_name(self) -> str:
        """How a letter or a page addresses the member: 'Rep. Harriet M. Hageman', with the
        title in the page's or the email's language."""
        return f"{local_title(self.title, self.gender)} {self.display_name}"

    @property
    def titled_name_with_article(self) -> str:
        """titled_name in running text: 'la Representante Harriet M. Hageman' in Spanish."""
        return with_article(self.titled_name, self.gender)

    @property
    def titled_name_as_object(self) -> str:
        """titled_name as whom an action reaches: 'Called al Senador John Barrasso' reads
        'Llamó al Senador John Barrasso' (the sentence's Spanish has no 'a' of its own)."""
        return as_object(self.titled_name, self.gender)

    @property
    def party_initial(self) -> str:
        return (self.party or "?")[0]

    @property
    def seat(self) -> str:
        """'NY-12', 'WY-AL', 'CA, Senate'."""
        if self.chamber == SENATE:
            return f"{self.state}, Senate"
        return district_label(self.state, self.district)

    @property
    def seat_label(self) -> str:
        """'D-NY-12', 'R-WY-AL', 'D-CA, Senate'."""
        return f"{self.party_initial}-{self.seat}"

    @property
    def local_seat_label(self) -> str:
        """seat_label in the page's language, for supporter pages ('R-WY, Senado'); the
        letter, exports and staff pages keep `seat_label`."""
        if self.chamber == SENATE:
            return gettext("%(party)s-%(state)s, Senate", party=self.party_initial,
                           state=self.state)
        return self.seat_label


class Legislator(MemberLabels, TimestampMixin, db.Model):
    __tablename__ = "legislators"
    __table_args__ = (
        CheckConstraint("chamber IN ('house', 'senate')", name="chamber"),
        Index("ix_legislators_chamber_state_district", "chamber", "state", "district"),
    )

    bioguide_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    #: The name the member uses officially; some new members lack one in the data.
    official_name: Mapped[str | None] = mapped_column(String(200))
    chamber: Mapped[str] = mapped_column(String(8))
    state: Mapped[str] = mapped_column(String(2))
    #: House district; 0 = at-large or delegate; None for senators.
    district: Mapped[int | None]
    senate_class: Mapped[int | None]
    party: Mapped[str | None] = mapped_column(String(40))
    #: 'F' or 'M' from the data: a Spanish title agrees with it ('Senadora'). None: unknown.
    gender: Mapped[str | None] = mapped_column(String(1))
    phone: Mapped[str | None] = mapped_column(String(20))
    website: Mapped[str | None] = mapped_column(String(300))
    contact_form_url: Mapped[str | None] = mapped_column(String(300))
    term_start: Mapped[date | None]
    term_end: Mapped[date | None]
    #: False once a sync no longer lists the member; old actions still point at the row.
    is_current: Mapped[bool] = mapped_column(default=True)

    offices: Mapped[list["DistrictOffice"]] = relationship(
        back_populates="legislator", cascade="all, delete-orphan", order_by="DistrictOffice.id"
    )

    @hybrid_property
    def display_name(self) -> str:
        return MemberLabels.display_name.fget(self)

    @display_name.inplace.expression
    @classmethod
    def _display_name_expression(cls):
        """The same name in SQL, for queries that sort or export by it."""
        return func.coalesce(cls.official_name, cls.first_name + " " + cls.last_name)

    def __repr__(self) -> str:
        return f"<Legislator {self.bioguide_id} {self.display_name} {self.seat_label}>"


#: States and territories represented by a non-voting delegate (or PR's resident commissioner).
DELEGATE_STATES = frozenset({"AS", "DC", "GU", "MP", "PR", "VI"})


class DistrictOffice(db.Model):
    __tablename__ = "district_offices"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The office id of the upstream data, e.g. 'A000055-cullman'.
    source_id: Mapped[str] = mapped_column(String(80), unique=True)
    bioguide_id: Mapped[str] = mapped_column(
        ForeignKey("legislators.bioguide_id", ondelete="CASCADE"), index=True
    )
    address: Mapped[str | None] = mapped_column(String(300))
    city: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str | None] = mapped_column(String(2))
    zip_code: Mapped[str | None] = mapped_column(String(10))
    phone: Mapped[str | None] = mapped_column(String(20))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]

    legislator: Mapped[Legislator] = relationship(back_populates="offices")

    def __repr__(self) -> str:
        return f"<DistrictOffice {self.source_id}>"


class ZipDistrict(db.Model):
    """One row per (ZCTA, state, district); a ZIP area can lie in several districts."""

    __tablename__ = "zip_districts"
    __table_args__ = (UniqueConstraint("zcta", "state", "district"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    zcta: Mapped[str] = mapped_column(String(5), index=True)
    state: Mapped[str] = mapped_column(String(2))
    district: Mapped[int]

    def __repr__(self) -> str:
        return f"<ZipDistrict {self.zcta} {self.state}-{self.district}>"


class ZipPlace(db.Model):
    """Where a ZIP code lies (its centroid), for the district office nearest a supporter.
    Copied from the `zipcodes` package at each sync (congress/places.py)."""

    __tablename__ = "zip_places"

    zip_code: Mapped[str] = mapped_column(String(5), primary_key=True)
    latitude: Mapped[float]
    longitude: Mapped[float]


class CongressSync(db.Model):
    """When, from where and with what result the lookup data was loaded."""

    __tablename__ = "congress_syncs"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(500))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    #: The Congress the loaded terms belong to, e.g. 119.
    congress: Mapped[int | None]
    legislator_count: Mapped[int] = mapped_column(default=0)
    office_count: Mapped[int] = mapped_column(default=0)
    zip_count: Mapped[int] = mapped_column(default=0)
    added_count: Mapped[int] = mapped_column(default=0)
    retired_count: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<CongressSync {self.id} {self.source} at {self.finished_at}>"
