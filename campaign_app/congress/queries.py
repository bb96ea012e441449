"""Reads of the lookup data: from a ZIP to the supporter's members of Congress."""

import re
from dataclasses import dataclass, field

from sqlalchemy import select

from ..core.db import db
from .models import HOUSE, SENATE, CongressSync, Legislator, ZipDistrict

ZIP_PATTERN = re.compile(r"^(\d{5})(?:-\d{4})?$")


@dataclass(frozen=True)
class District:
    state: str
    number: int  # 0 = at-large or delegate

    @property
    def label(self) -> str:
        return f"{self.state}-{'AL' if self.number == 0 else self.number}"


@dataclass
class Lookup:
    """What a ZIP tells about who represents a supporter."""

    zip_code: str
    districts: list[District] = field(default_factory=list)
    representatives: list[Legislator] = field(default_factory=list)
    senators: list[Legislator] = field(default_factory=list)
    #: Districts of this ZIP whose seat has no current member.
    vacant: list[District] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.districts)

    @property
    def is_ambiguous(self) -> bool:
        return len(self.districts) > 1

    @property
    def states(self) -> list[str]:
        return sorted({d.state for d in self.districts})

    @property
    def members(self) -> list[Legislator]:
        return [*self.representatives, *self.senators]


def normalize_zip(value: str) -> str | None:
    match = ZIP_PATTERN.match((value or "").strip())
    return match.group(1) if match else None


def lookup_zip(zip_code: str) -> Lookup:
    """The districts of a 5-digit ZIP and their current members (empty when unknown)."""
    rows = db.session.execute(
        select(ZipDistrict.state, ZipDistrict.district)
        .where(ZipDistrict.zcta == zip_code)
        .order_by(ZipDistrict.state, ZipDistrict.district)
    ).all()
    result = Lookup(zip_code=zip_code, districts=[District(s, d) for s, d in rows])
    if not rows:
        return result
    states = result.states
    members = db.session.scalars(
        select(Legislator)
        .where(Legislator.is_current.is_(True), Legislator.state.in_(states))
        .order_by(Legislator.chamber, Legislator.state, Legislator.district,
                  Legislator.senate_class)
    ).all()
    seats = {(m.state, m.district): m for m in members if m.chamber == HOUSE}
    for district in result.districts:
        member = seats.get((district.state, district.number))
        if member is None:
            result.vacant.append(district)
        else:
            result.representatives.append(member)
    result.senators = [m for m in members if m.chamber == SENATE]
    return result


def latest_sync() -> CongressSync | None:
    return db.session.scalars(
        select(CongressSync).where(CongressSync.finished_at.is_not(None))
        .order_by(CongressSync.id.desc()).limit(1)
    ).first()


def get_legislator(bioguide_id: str) -> Legislator | None:
    return db.session.get(Legislator, bioguide_id)


def member_choices() -> list[tuple[str, str]]:
    """(bioguide id, 'Name (D-NY-12)') for every current member, by state then seat."""
    members = db.session.scalars(
        select(Legislator).where(Legislator.is_current.is_(True))
        .order_by(Legislator.state, Legislator.chamber.desc(), Legislator.district,
                  Legislator.last_name)
    )
    return [(m.bioguide_id, f"{m.state} · {m.title} {m.display_name} ({m.seat_label})")
            for m in members]
