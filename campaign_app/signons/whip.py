"""The whip list: per targeted member, signed or not and the constituent pressure, in one query."""

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from ..actions.queries import member_pressure
from ..alerts.models import Alert
from ..alerts.signons import MEMBER, SignOn
from ..congress.models import HOUSE, SENATE, Legislator, MemberLabels
from ..core.db import db

#: Sortable columns: the query string's name → what orders the rows.
SORTS = ("pressure", "name", "state", "party", "signed", "calls", "emails", "last_contact")


@dataclass
class WhipRow:
    bioguide_id: str
    name: str
    last_name: str
    chamber: str
    state: str
    district: int | None
    party: str | None
    phone: str | None
    signed_at: datetime | None
    constituent_count: int
    call_count: int
    email_count: int
    last_contact_at: datetime | None

    @property
    def seat(self) -> str:
        return MemberLabels.seat.fget(self)


def _target_condition(alert: Alert):
    rule = alert.target_rule
    if rule == "house":
        return Legislator.chamber == HOUSE
    if rule == "senate":
        return Legislator.chamber == SENATE
    if rule == "listed":
        return Legislator.bioguide_id.in_(alert.target_ids or [])
    return Legislator.is_current.is_(True)


_NEVER = datetime.min.replace(tzinfo=UTC)
_SORT_KEYS = {
    "pressure": lambda row: row.constituent_count,
    "name": lambda row: row.last_name.casefold(),
    "state": lambda row: (row.state, row.district or 0),
    "party": lambda row: row.party or "",
    "signed": lambda row: row.signed_at is not None,
    "calls": lambda row: row.call_count,
    "emails": lambda row: row.email_count,
    "last_contact": lambda row: row.last_contact_at or _NEVER,
}


def whip_list(alert: Alert, *, state: str = "", party: str = "", signed: str = "",
              sort: str = "pressure", descending: bool = True,
              pressure: dict[str, list] | None = None) -> list[WhipRow]:
    """One row per targeted member. `pressure` comes from the dashboard snapshot of a big
    alert; without it, it is counted now. Sorting a few hundred rows happens here."""
    if pressure is None:
        pressure = member_pressure(alert.id)
    signatures = (
        select(SignOn.bioguide_id, SignOn.signed_at)
        .where(SignOn.alert_id == alert.id, SignOn.kind == MEMBER,
               SignOn.withdrawn_at.is_(None))
        .subquery()
    )
    name = Legislator.display_name
    query = (
        select(Legislator.bioguide_id, name, Legislator.last_name, Legislator.chamber,
               Legislator.state, Legislator.district, Legislator.party, Legislator.phone,
               signatures.c.signed_at)
        .outerjoin(signatures, signatures.c.bioguide_id == Legislator.bioguide_id)
        .where(Legislator.is_current.is_(True), _target_condition(alert))
        .order_by(Legislator.state, Legislator.district, Legislator.last_name)
    )
    if state:
        query = query.where(Legislator.state == state)
    if party:
        query = query.where(Legislator.party == party)
    if signed == "yes":
        query = query.where(signatures.c.signed_at.is_not(None))
    elif signed == "no":
        query = query.where(signatures.c.signed_at.is_(None))
    rows = []
    for bioguide, *member in db.session.execute(query):
        constituents, calls, emails, last = pressure.get(bioguide, (0, 0, 0, None))
        rows.append(WhipRow(bioguide, *member, constituents, calls, emails,
                            datetime.fromisoformat(last) if last else None))
    # Python's sort is stable, also reversed: ties keep the state-and-district order.
    rows.sort(key=_SORT_KEYS.get(sort, _SORT_KEYS["pressure"]), reverse=descending)
    return rows


def whip_filters() -> tuple[list[str], list[str]]:
    """The states and parties that current members have, for the filter menus."""
    states = db.session.scalars(select(Legislator.state).where(
        Legislator.is_current.is_(True)).distinct().order_by(Legislator.state))
    parties = db.session.scalars(select(Legislator.party).where(
        Legislator.is_current.is_(True), Legislator.party.is_not(None)).distinct()
        .order_by(Legislator.party))
    return list(states), list(parties)
