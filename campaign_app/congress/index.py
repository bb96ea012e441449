"""The in-memory lookup index: ZIP → districts → members, rebuilt when a new sync lands."""

import logging
import math
import sys
import threading
import time
from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from sqlalchemy import select

from ..core.db import db
from .models import (
    DELEGATE_STATES,
    HOUSE,
    SENATE,
    CongressSync,
    DistrictOffice,
    Legislator,
    MemberLabels,
    ZipDistrict,
    ZipPlace,
    district_label,
)

log = logging.getLogger(__name__)

#: Where the app keeps its index holder (one per app, so one per process).
EXTENSION_KEY = "congress_index"


@dataclass(frozen=True)
class District:
    state: str
    number: int  # 0 = at-large or delegate

    @property
    def label(self) -> str:
        return district_label(self.state, self.number)

    @classmethod
    def parse(cls, label: str) -> "District | None":
        """'NY-12' or 'WY-AL' → District; None when it is not one."""
        state, _, seat = (label or "").partition("-")
        if len(state) != 2 or not state.isalpha() or not state.isupper():
            return None
        if seat == "AL":
            return cls(state, 0)
        if seat.isdigit() and len(seat) <= 2:
            return cls(state, int(seat))
        return None


#: USPS ZIP ranges of the territories missing from the ZCTA file.
TERRITORY_ZIP_PREFIXES = (("96799", "AS"), ("9691", "GU"), ("9692", "GU"), ("9693", "GU"),
                          ("9695", "MP"), ("008", "VI"))


@dataclass(frozen=True)
class Office:
    """A district office of a member: the second number a supporter can call."""

    city: str | None
    state: str | None
    zip_code: str | None
    address: str | None
    phone: str | None
    latitude: float | None
    longitude: float | None


@dataclass(frozen=True)
class Member(MemberLabels):
    """A current member of Congress, copied out of the database: safe to keep across requests."""

    bioguide_id: str
    first_name: str
    last_name: str
    official_name: str | None
    chamber: str
    state: str
    district: int | None
    senate_class: int | None
    party: str | None
    phone: str | None
    website: str | None
    contact_form_url: str | None
    term_end: date | None
    offices: tuple[Office, ...] = ()
    gender: str | None = None

    def nearest_office(self, *, zip_code: str | None = None, city: str | None = None,
                       latitude: float | None = None,
                       longitude: float | None = None) -> Office | None:
        """The district office to offer as a second number: the one nearest the supporter.

        The supporter's place is their geocoded address when we have it, else the centroid of
        their ZIP code; the offices carry coordinates in the data. Without coordinates on
        either side: one in the supporter's ZIP, in their city, or in their ZIP's first three
        digits (the same mail-sorting area); else the first listed (the page names its city,
        so nobody is misled).
        """
        offices = [o for o in self.offices if o.phone]
        if latitude is None or longitude is None:
            latitude, longitude = current_index().places.get(zip_code) or (None, None)
        if latitude is not None and longitude is not None:
            placed = [o for o in offices if o.latitude is not None and o.longitude is not None]
            if placed:
                return min(placed, key=lambda o: _distance_km(latitude, longitude,
                                                              o.latitude, o.longitude))
        wanted_city = (city or "").strip().casefold()
        for matches in (lambda o: zip_code and o.zip_code == zip_code,
                        lambda o: wanted_city and (o.city or "").casefold() == wanted_city,
                        lambda o: zip_code and (o.zip_code or "")[:3] == zip_code[:3]):
            for office in offices:
                if matches(office):
                    return office
        return offices[0] if offices else None


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12742 * math.asin(math.sqrt(a))


@dataclass(frozen=True)
class Lookup:
    """What a ZIP (or a resolved district) tells about who represents a supporter."""

    zip_code: str
    districts: tuple[District, ...] = ()
    representatives: tuple[Member, ...] = ()
    senators: tuple[Member, ...] = ()
    #: Districts of this ZIP whose seat has no current member.
    vacant: tuple[District, ...] = ()
    #: The states of these districts, sorted.
    states: tuple[str, ...] = ()

    @property
    def found(self) -> bool:
        return bool(self.districts)

    @property
    def is_ambiguous(self) -> bool:
        return len(self.districts) > 1

    @property
    def members(self) -> tuple[Member, ...]:
        return self.representatives + self.senators

    @property
    def has_no_senators(self) -> bool:
        """DC and the territories elect a delegate (or resident commissioner) and no senators."""
        return self.found and all(state in DELEGATE_STATES for state in self.states)


@dataclass(frozen=True)
class ZipAreas:
    """ZIP → its districts and members, compact: 33,000 ZIP areas share about 1,200 sets of
    districts, so each ZIP is a number in one sorted array and its set's number in another,
    and a Lookup is made when asked for. (A dict of a Lookup per ZIP took ~38 MB a process.)"""

    zips: array  # 'I': the ZIP codes as numbers, sorted
    shapes: array  # 'H': for each ZIP, its set of districts (an index into `fields`)
    fields: tuple[dict, ...]  # per set: the Lookup's fields but the ZIP code

    @classmethod
    def build(cls, fields_by_zip: dict[str, dict]) -> "ZipAreas":
        numbers: dict[int, int] = {}
        shapes: list[dict] = []
        seen: dict[int, int] = {}
        for zcta in sorted(fields_by_zip):
            fields = fields_by_zip[zcta]
            shape = seen.get(id(fields))
            if shape is None:
                shape = seen[id(fields)] = len(shapes)
                shapes.append(fields)
            numbers[int(zcta)] = shape
        return cls(zips=array("I", numbers), shapes=array("H", numbers.values()),
                   fields=tuple(shapes))

    def get(self, zip_code: str) -> Lookup | None:
        if len(zip_code) != 5 or not zip_code.isdigit():
            return None
        number = int(zip_code)
        at = bisect_left(self.zips, number)
        if at == len(self.zips) or self.zips[at] != number:
            return None
        return Lookup(zip_code=zip_code, **self.fields[self.shapes[at]])

    def __len__(self) -> int:
        return len(self.zips)

    def __iter__(self) -> Iterator[str]:
        return (f"{number:05d}" for number in self.zips)

    def items(self) -> Iterator[tuple[str, Lookup]]:
        return ((zip_code, self.get(zip_code)) for zip_code in self)

    @property
    def nbytes(self) -> int:
        """Memory of the arrays and the shared sets (the members are counted apart)."""
        return (self.zips.itemsize * len(self.zips) + self.shapes.itemsize * len(self.shapes)
                + sum(sys.getsizeof(fields) for fields in self.fields))


@dataclass(frozen=True)
class ZipPlaces:
    """ZIP → its centroid (zip_places): three parallel arrays, ZIPs sorted, coordinates as
    32-bit floats (a metre's precision, ample for picking the nearest office)."""

    zips: array  # 'I'
    latitudes: array  # 'f'
    longitudes: array  # 'f'

    @classmethod
    def build(cls, rows) -> "ZipPlaces":
        """From (zip_code, latitude, longitude) rows in ZIP order."""
        places = cls(array("I"), array("f"), array("f"))
        for zip_code, latitude, longitude in rows:
            places.zips.append(int(zip_code))
            places.latitudes.append(latitude)
            places.longitudes.append(longitude)
        return places

    def get(self, zip_code: str | None) -> tuple[float, float] | None:
        """(latitude, longitude) of a five-digit ZIP code; None when it is not one we know."""
        if not zip_code or len(zip_code) != 5 or not zip_code.isdigit():
            return None
        number = int(zip_code)
        at = bisect_left(self.zips, number)
        if at == len(self.zips) or self.zips[at] != number:
            return None
        return self.latitudes[at], self.longitudes[at]

    def __len__(self) -> int:
        return len(self.zips)

    @property
    def nbytes(self) -> int:
        return sum(a.itemsize * len(a) for a in (self.zips, self.latitudes, self.longitudes))


@dataclass
class CongressIndex:
    """Everything the hot path needs; built whole and never changed afterwards."""

    #: (sync id, finished_at) of the sync it was built from; None when nothing is loaded.
    version: tuple[int, datetime] | None
    by_zip: ZipAreas
    places: ZipPlaces
    seats: dict[District, Member]
    senators: dict[str, tuple[Member, ...]]
    members: dict[str, Member]

    def lookup_zip(self, zip_code: str) -> Lookup:
        return self.by_zip.get(zip_code) or self._territory_lookup(zip_code)

    def _territory_lookup(self, zip_code: str) -> Lookup:
        """The ZCTA file leaves out AS, GU, MP and VI; each is one delegate's district."""
        for prefix, territory in TERRITORY_ZIP_PREFIXES:
            if zip_code.startswith(prefix):
                return self.lookup_district(zip_code, District(territory, 0))
        return Lookup(zip_code=zip_code)

    def lookup_district(self, zip_code: str, district: District) -> Lookup:
        """A supporter whose district is known: just their seat and their state's senators."""
        member = self.seats.get(district)
        return Lookup(zip_code=zip_code, districts=(district,),
                      representatives=(member,) if member else (),
                      senators=self.senators.get(district.state, ()),
                      vacant=() if member else (district,), states=(district.state,))


def _member(row, offices: dict[str, list[Office]]) -> Member:
    return Member(
        bioguide_id=row.bioguide_id, first_name=row.first_name, last_name=row.last_name,
        official_name=row.official_name, chamber=row.chamber, state=row.state,
        district=row.district, senate_class=row.senate_class, party=row.party,
        phone=row.phone, website=row.website, contact_form_url=row.contact_form_url,
        term_end=row.term_end, offices=tuple(offices.get(row.bioguide_id, ())),
        gender=row.gender,
    )


def latest_version() -> tuple[int, datetime] | None:
    row = db.session.execute(
        select(CongressSync.id, CongressSync.finished_at)
        .where(CongressSync.finished_at.is_not(None))
        .order_by(CongressSync.id.desc()).limit(1)
    ).first()
    # The finish time too: SQLite hands out a rolled-back sync's id again.
    return (row[0], row[1]) if row else None


def build_index(version: tuple[int, datetime] | None) -> CongressIndex:
    """Read the lookup tables once into an index."""
    # Core rows, not ORM objects: nothing is left in the caller's session (a mailing worker
    # commits after every message, and each commit would expire hundreds of loaded rows).
    connection = db.session.connection()
    offices: dict[str, list[Office]] = defaultdict(list)
    for office in connection.execute(select(DistrictOffice.__table__)
                                     .order_by(DistrictOffice.id)):
        offices[office.bioguide_id].append(Office(
            city=office.city, state=office.state, zip_code=(office.zip_code or "")[:5] or None,
            address=office.address, phone=office.phone,
            latitude=office.latitude, longitude=office.longitude))
    legislators = connection.execute(
        select(Legislator.__table__).where(Legislator.is_current.is_(True))
        .order_by(Legislator.state, Legislator.senate_class, Legislator.bioguide_id)
    ).all()
    members = {row.bioguide_id: _member(row, offices) for row in legislators}
    seats = {District(m.state, m.district): m for m in members.values() if m.chamber == HOUSE}
    senators_lists: dict[str, list[Member]] = defaultdict(list)
    for member in members.values():
        if member.chamber == SENATE:
            senators_lists[member.state].append(member)
    senators = {state: tuple(found) for state, found in senators_lists.items()}

    districts_by_zip: dict[str, list[District]] = defaultdict(list)
    # Core, not ORM, execution: 42,000 plain tuples come back several times faster.
    rows = connection.execute(
        select(ZipDistrict.zcta, ZipDistrict.state, ZipDistrict.district)
        .order_by(ZipDistrict.zcta, ZipDistrict.state, ZipDistrict.district)
    ).tuples()
    interned: dict[tuple[str, int], District] = {}
    for zcta, state, number in rows:
        district = interned.get((state, number))
        if district is None:
            district = interned[(state, number)] = District(state, number)
        districts_by_zip[zcta].append(district)
    # Most ZIPs share their set of districts with others: work each set out once.
    shared: dict[tuple[District, ...], dict] = {}
    fields_by_zip = {}
    for zcta, district_list in districts_by_zip.items():
        districts = tuple(district_list)
        fields = shared.get(districts)
        if fields is None:
            states = tuple(sorted({d.state for d in districts}))
            fields = shared[districts] = {
                "districts": districts,
                "representatives": tuple(seats[d] for d in districts if d in seats),
                "senators": tuple(s for state in states for s in senators.get(state, ())),
                "vacant": tuple(d for d in districts if d not in seats),
                "states": states,
            }
        fields_by_zip[zcta] = fields
    by_zip = ZipAreas.build(fields_by_zip)
    places = ZipPlaces.build(connection.execute(
        select(ZipPlace.zip_code, ZipPlace.latitude, ZipPlace.longitude)
        .order_by(ZipPlace.zip_code)).tuples())
    log.info("congress index built: %d ZIP areas in %d KB, %d ZIP places in %d KB, "
             "%d members", len(by_zip), by_zip.nbytes // 1024, len(places),
             places.nbytes // 1024, len(members))
    return CongressIndex(version=version, by_zip=by_zip, places=places, seats=seats,
                         senators=senators, members=members)


class IndexHolder:
    """One process's index, checked against the latest sync at most every few seconds.

    Each process (web worker, Celery worker) holds its own copy; comparing the latest sync's
    id is what keeps them all right after `flask congress sync` runs somewhere else.
    """

    def __init__(self, check_seconds: float):
        self.check_seconds = check_seconds
        self.index: CongressIndex | None = None
        #: The index before the last rebuild: a sync rolled back returns to it for free.
        self.previous: CongressIndex | None = None
        self.checked_at = -math.inf
        self._lock = threading.Lock()

    def get(self) -> CongressIndex:
        index = self.index
        if index is not None and time.monotonic() - self.checked_at < self.check_seconds:
            return index
        with self._lock:
            version = latest_version()
            if self.index is None or self.index.version != version:
                if self.previous is not None and self.previous.version == version:
                    self.index, self.previous = self.previous, self.index
                else:
                    self.index, self.previous = build_index(version), self.index
            self.checked_at = time.monotonic()
            return self.index


def current_index() -> CongressIndex:
    """The index of the current app, rebuilt first if a newer sync has landed."""
    return current_app.extensions[EXTENSION_KEY].get()


def init_index(app) -> None:
    app.extensions[EXTENSION_KEY] = IndexHolder(app.config["CONGRESS_INDEX_CHECK_SECONDS"])


def warm_index(app) -> None:
    """Load the app's index now (a server's master before it forks its workers)."""
    with app.app_context():
        current_index()
        db.session.remove()
