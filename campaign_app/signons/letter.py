"""The supporters' letter for delivery: its signers grouped by the offices that represent them.

A signature is an action of kind 'signon' naming no member (see actions/models.py). Which
offices receive it follows the alert's target rule, applied to the signer's state and district
as they stand now: the House member of each district with signers, the senators of each state
with signers, or both; for 'listed', those of the listed members who represent signers. When a
House seat is vacant under the 'house' rule, the senators receive the letter in its place, as
the action page asks those supporters to contact them.

Signers are read in batches from a server-side cursor, so a CSV of any size streams in flat
memory; each office's PDF is built in memory, one office's constituents at a time.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import and_, func, select

from ..actions.models import Action
from ..alerts.models import Alert
from ..congress.models import HOUSE, SENATE, Legislator
from ..core.csvfile import iso_datetime
from ..core.db import db
from ..supporters.models import Supporter

BATCH = 1000


@dataclass
class Office:
    """One office the letter goes to, and whose signers it lists."""

    member: Legislator
    #: House districts of the member's state whose signers this office gets; None: all of them.
    districts: frozenset[int] | None
    signer_count: int = 0

    @property
    def bioguide_id(self) -> str:
        return self.member.bioguide_id

    @property
    def seat(self) -> str:
        return self.member.seat

    @property
    def addressee(self) -> str:
        return self.member.titled_name


@dataclass
class Signer:
    first_name: str
    last_name: str
    city: str | None
    zip_code: str
    state: str | None
    district: int | None
    signed_at: object = field(default=None)

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


def signatures_by_place(alert_id: int) -> dict[tuple[str | None, int | None], int]:
    """(state, district) → signers: the few dozen rows the grouping needs, counted in SQL."""
    rows = db.session.execute(
        select(Supporter.state, Supporter.district, func.count())
        .select_from(Action).join(Supporter, Supporter.id == Action.supporter_id)
        .where(Action.alert_id == alert_id, Action.kind == "signon")
        .group_by(Supporter.state, Supporter.district))
    return {(state, district): count for state, district, count in rows}


def letter_offices(alert: Alert) -> list[Office]:
    """Each office the letter goes to, in state order (House seats, then senators), with the
    number of its constituents who signed."""
    places = signatures_by_place(alert.id)
    states = sorted({state for state, _ in places if state})
    if not states:
        return []
    rule = alert.target_rule
    members = db.session.scalars(
        select(Legislator).where(Legislator.is_current.is_(True), Legislator.state.in_(states))
        .order_by(Legislator.state, Legislator.chamber, Legislator.district,
                  Legislator.last_name)).all()
    house = {(m.state, m.district): m for m in members if m.chamber == HOUSE}
    senators = defaultdict(list)
    for member in members:
        if member.chamber == SENATE:
            senators[member.state].append(member)
    listed = set(alert.target_ids or ()) if rule == "listed" else None

    offices: list[Office] = []
    for state in states:
        districts = sorted(d for s, d in places if s == state and d is not None)
        if rule in ("house", "all", "listed"):
            for district in districts:
                member = house.get((state, district))
                if member is not None and (listed is None or member.bioguide_id in listed):
                    offices.append(Office(member, frozenset({district})))
        vacant = frozenset(d for d in districts if (state, d) not in house)
        if rule in ("senate", "all", "listed"):
            reach = None
        elif vacant:
            reach = vacant  # 'house' rule, vacant seats: the senators speak for them
        else:
            continue
        for member in senators.get(state, ()):
            if listed is None or member.bioguide_id in listed:
                offices.append(Office(member, reach))
    for office in offices:
        state = office.member.state
        office.signer_count = sum(count for (s, d), count in places.items() if s == state and (
            office.districts is None or d in office.districts))
    return offices


def find_office(alert: Alert, bioguide_id: str) -> Office | None:
    return next((o for o in letter_offices(alert) if o.bioguide_id == bioguide_id), None)


def _office_condition(office: Office):
    condition = Supporter.state == office.member.state
    if office.districts is not None:
        condition = and_(condition, Supporter.district.in_(sorted(office.districts)))
    return condition


def office_signers(alert_id: int, office: Office) -> Iterator[Signer]:
    """The office's constituents who signed, by name: read in batches."""
    query = (select(Supporter.first_name, Supporter.last_name, Supporter.city,
                    Supporter.zip_code, Supporter.state, Supporter.district, Action.created_at)
             .select_from(Action).join(Supporter, Supporter.id == Action.supporter_id)
             .where(Action.alert_id == alert_id, Action.kind == "signon",
                    Supporter.erased_at.is_(None), _office_condition(office))
             .order_by(func.lower(Supporter.last_name), func.lower(Supporter.first_name),
                       Action.id)
             .execution_options(yield_per=BATCH))
    for row in db.session.execute(query):
        yield Signer(*row)


SIGNER_HEADER = ["signed_at_utc", "first_name", "last_name", "city", "zip_code", "state",
                 "district", "house_member", "house_bioguide_id"]


def signer_rows(alert_id: int) -> tuple[list[str], Iterator]:
    """Every signer, with the House member of their district: no email, no phone, ever."""
    member = Legislator.display_name
    query = (select(Action.created_at, Supporter.first_name, Supporter.last_name,
                    Supporter.city, Supporter.zip_code, Supporter.state, Supporter.district,
                    member, Legislator.bioguide_id)
             .select_from(Action).join(Supporter, Supporter.id == Action.supporter_id)
             .outerjoin(Legislator, and_(Legislator.chamber == HOUSE,
                                         Legislator.is_current.is_(True),
                                         Legislator.state == Supporter.state,
                                         Legislator.district == Supporter.district))
             .where(Action.alert_id == alert_id, Action.kind == "signon",
                    Supporter.erased_at.is_(None))  # counted by office, never named
             .order_by(Supporter.state, Supporter.district, Action.id)
             .execution_options(yield_per=BATCH))

    def rows():
        for row in db.session.execute(query):
            yield [iso_datetime(row[0]), *row[1:]]

    return SIGNER_HEADER, rows()


OFFICE_HEADER = ["office_bioguide_id", "office", "seat", "first_name", "last_name", "city",
                 "zip_code", "state", "district", "signed_at_utc"]


def office_rows(alert_id: int, office: Office) -> tuple[list[str], Iterator]:
    """The office's constituents who signed, for a mail merge or the office's own records."""

    def rows():
        for signer in office_signers(alert_id, office):
            yield [office.bioguide_id, office.addressee, office.seat, signer.first_name,
                   signer.last_name, signer.city, signer.zip_code, signer.state,
                   signer.district, iso_datetime(signer.signed_at)]

    return OFFICE_HEADER, rows()
