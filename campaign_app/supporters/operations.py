"""Writes on supporters."""

import logging

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..core.db import db
from .models import Supporter

log = logging.getLogger(__name__)


def normalize_email(email: str) -> str:
    return email.strip().lower()


def upsert_supporter(*, email: str, first_name: str, last_name: str, zip_code: str,
                     state: str | None, district: int | None, district_source: str | None,
                     **extra) -> Supporter:
    """Find the supporter by normalized email and update them, or create one. Flushes."""
    email = normalize_email(email)
    fields = {"first_name": first_name, "last_name": last_name, "zip_code": zip_code,
              "state": state, "district": district, "district_source": district_source,
              **{key: value for key, value in extra.items() if value is not None}}
    supporter = db.session.scalars(select(Supporter).where(Supporter.email == email)).first()
    if supporter is None:
        # Two first submissions at once (a double click, two tabs): one insert wins, the
        # other updates the row it created.
        try:
            with db.session.begin_nested():
                supporter = Supporter(email=email, **fields)
                db.session.add(supporter)
            log.info("supporter %s created", supporter.id)
            return supporter
        except IntegrityError:
            supporter = db.session.scalars(
                select(Supporter).where(Supporter.email == email)).one()
    for key, value in fields.items():
        setattr(supporter, key, value)
    db.session.flush()
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
