"""Loading the lookup data: an idempotent sync that updates, never duplicates."""

import logging
from datetime import date

from sqlalchemy import delete, insert, select

from ..core.db import db
from ..core.time import utcnow
from .index import TERRITORY_ZIP_PREFIXES
from .models import HOUSE, SENATE, CongressSync, DistrictOffice, Legislator, ZipDistrict, ZipPlace
from .places import zip_centroids
from .sources import CongressFiles, SourceError, load_records, load_zip_rows

log = logging.getLogger(__name__)


def _as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def parse_legislator(record: dict) -> dict:
    """One congress-legislators record → Legislator columns from its current term."""
    try:
        bioguide = record["id"]["bioguide"]
        name = record["name"]
        term = record["terms"][-1]
        chamber = {"rep": HOUSE, "sen": SENATE}[term["type"]]
    except (KeyError, IndexError, TypeError) as error:
        raise SourceError(f"member record without {error}: {str(record)[:200]}") from error
    return {
        "bioguide_id": str(bioguide),
        "first_name": name.get("nickname") or name.get("first") or "",
        "last_name": name.get("last") or "",
        "official_name": name.get("official_full"),
        "chamber": chamber,
        "state": term["state"],
        "district": int(term["district"]) if chamber == HOUSE else None,
        "senate_class": int(term["class"]) if chamber == SENATE and "class" in term else None,
        "party": term.get("party"),
        "phone": term.get("phone"),
        "website": term.get("url"),
        "contact_form_url": term.get("contact_form"),
        "term_start": _as_date(term.get("start")),
        "term_end": _as_date(term.get("end")),
        "gender": _gender(record.get("bio")),
        "is_current": True,
    }


def _gender(bio) -> str | None:
    """'F' or 'M' as the data gives it (Spanish titles agree with it), else None."""
    gender = bio.get("gender") if isinstance(bio, dict) else None
    return gender if gender in ("F", "M") else None


def parse_offices(records: list[dict], known: set[str]) -> list[dict]:
    offices = []
    for record in records:
        bioguide = (record.get("id") or {}).get("bioguide")
        if bioguide not in known:
            continue
        for office in record.get("offices") or []:
            if not office.get("id"):
                continue
            street = ", ".join(
                str(office[k]) for k in ("address", "suite", "building") if office.get(k)
            )
            offices.append({
                "source_id": str(office["id"]),
                "bioguide_id": bioguide,
                "address": street or None,
                "city": office.get("city"),
                "state": office.get("state"),
                "zip_code": str(office["zip"]) if office.get("zip") else None,
                "phone": office.get("phone"),
                "latitude": office.get("latitude"),
                "longitude": office.get("longitude"),
            })
    return offices


#: The territories' ZIP prefixes: their ZIPs are missing from the ZCTA file (index.py).
TERRITORY_PREFIXES = tuple(prefix for prefix, _ in TERRITORY_ZIP_PREFIXES)


def congress_number(term_end: date) -> int:
    """The Congress a term ending on `term_end` belongs to (119th ends January 2027)."""
    return (term_end.year - 1789) // 2


def sync_congress(files: CongressFiles) -> CongressSync:
    """Load members, offices and ZIP rows; flushes, the caller commits.

    Members missing from the new data are kept but marked not current, so that actions
    recorded for them stay readable.
    """
    sync = CongressSync(source=files.description)
    db.session.add(sync)

    members = [parse_legislator(r) for r in load_records(files.legislators)]
    if not members:
        raise SourceError(f"{files.legislators} lists no members")
    zip_rows = load_zip_rows(files.zips)
    if not zip_rows:
        raise SourceError(f"{files.zips} has no rows")
    incoming = {m["bioguide_id"]: m for m in members}
    offices = parse_offices(load_records(files.offices), set(incoming))

    existing = {leg.bioguide_id: leg for leg in db.session.scalars(select(Legislator))}
    for bioguide, columns in incoming.items():
        legislator = existing.get(bioguide)
        if legislator is None:
            db.session.add(Legislator(**columns))
            sync.added_count += 1
        else:
            for key, value in columns.items():
                if getattr(legislator, key) != value:
                    setattr(legislator, key, value)
    for bioguide, legislator in existing.items():
        if bioguide not in incoming and legislator.is_current:
            legislator.is_current = False
            sync.retired_count += 1
    db.session.flush()

    # Offices and ZIP rows have nothing pointing at them: replace them whole.
    db.session.execute(delete(DistrictOffice))
    if offices:
        db.session.execute(insert(DistrictOffice), offices)
    db.session.execute(delete(ZipDistrict))
    db.session.execute(insert(ZipDistrict),
                       [{"zcta": z, "state": s, "district": d} for z, s, d in zip_rows])
    # Places only for the ZIPs a supporter can be placed by: the others find no member.
    zctas = {z for z, _, _ in zip_rows}
    db.session.execute(delete(ZipPlace))
    db.session.execute(insert(ZipPlace),
                       [{"zip_code": z, "latitude": lat, "longitude": lon}
                        for z, lat, lon in zip_centroids()
                        if z in zctas or z.startswith(TERRITORY_PREFIXES)])

    term_ends = [m["term_end"] for m in members if m["term_end"] and m["chamber"] == HOUSE]
    sync.congress = congress_number(max(term_ends)) if term_ends else None
    sync.legislator_count = len(members)
    sync.office_count = len(offices)
    sync.zip_count = len({z for z, _, _ in zip_rows})
    sync.finished_at = utcnow()
    db.session.flush()
    log.info("congress sync from %s: %d members (%d new, %d retired), %d offices, %d ZIPs",
             files.description, sync.legislator_count, sync.added_count, sync.retired_count,
             sync.office_count, sync.zip_count)
    return sync
