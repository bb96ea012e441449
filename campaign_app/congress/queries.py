"""Reads of the lookup data: from a ZIP (or a resolved district) to the supporter's members."""

import re

from sqlalchemy import select

from ..core.db import db
from .index import District, Lookup, Member, current_index
from .models import CongressSync, Legislator

__all__ = ["District", "Lookup", "Member", "get_legislator", "latest_sync", "lookup_zip",
           "normalize_zip"]

ZIP_PATTERN = re.compile(r"^(\d{5})(?:-\d{4})?$")


def normalize_zip(value: str) -> str | None:
    match = ZIP_PATTERN.match((value or "").strip())
    return match.group(1) if match else None


def lookup_zip(zip_code: str, district: District | None = None) -> Lookup:
    """The members for a 5-digit ZIP: every district of the ZIP, or just `district` if known.

    Served from the in-memory index; what it returns is frozen and holds no database rows.
    """
    index = current_index()
    if district is None:
        return index.lookup_zip(zip_code)
    return index.lookup_district(zip_code, district)


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
    return [(m.bioguide_id, f"{m.state} · {m.titled_name} ({m.seat_label})")
            for m in members]
