"""Writes on supporters."""

import logging

from ..core.db import db, insert_for
from ..core.time import utcnow
from .models import Supporter

log = logging.getLogger(__name__)


def normalize_email(email: str) -> str:
    return email.strip().lower()


def upsert_supporter(*, email: str, first_name: str, last_name: str, zip_code: str,
                     state: str | None, district: int | None, district_source: str | None,
                     **extra) -> Supporter:
    """The supporter with this normalized email, created or updated, in one statement that
    settles a race between two first submissions (a double click, two tabs)."""
    email = normalize_email(email)
    fields = {"first_name": first_name, "last_name": last_name, "zip_code": zip_code,
              "state": state, "district": district, "district_source": district_source,
              **{key: value for key, value in extra.items() if value is not None}}
    statement = (insert_for(Supporter).values(email=email, **fields)
                 .on_conflict_do_update(index_elements=["email"],
                                        set_={**fields, "updated_at": utcnow()})
                 .returning(Supporter))
    supporter = db.session.scalars(
        statement, execution_options={"populate_existing": True}).one()
    log.info("supporter %s upserted", supporter.id)
    return supporter


def record_district(supporter: Supporter, district, source: str, *, street: str | None = None,
                    city: str | None = None, latitude: float | None = None,
                    longitude: float | None = None) -> None:
    """The supporter's district, once known, and how it was found (geocoder, self-selected)."""
    supporter.state = district.state
    supporter.district = district.number
    supporter.district_source = source
    # A choice by hand says nothing about where the supporter lives within the district.
    supporter.latitude, supporter.longitude = latitude, longitude
    if street:
        supporter.street = street
    if city:
        supporter.city = city
    db.session.flush()
    log.info("supporter %s placed in %s (%s)", supporter.id, district.label, source)
