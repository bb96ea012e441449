"""The whip list: per targeted member, signed or not and the constituent pressure, in one query."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, distinct, func, select

from ..actions.models import Action
from ..alerts.models import Alert
from ..congress.models import HOUSE, SENATE, Legislator
from ..core.db import db
from .models import MEMBER, SignOn

#: Sortable columns: the query string's name → what orders the rows.
SORTS = ("pressure", "name", "state", "party", "signed", "calls", "emails", "last_contact")


@dataclass
class WhipRow:
    bioguide_id: str
    name: str
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
        if self.chamber == SENATE:
            return f"{self.state} Senate"
        return f"{self.state}-{'AL' if self.district == 0 else self.district}"


def _target_condition(alert: Alert):
    rule = alert.target_rule
    if rule == "house":
        return Legislator.chamber == HOUSE
    if rule == "senate":
        return Legislator.chamber == SENATE
    if rule == "listed":
        return Legislator.bioguide_id.in_(alert.target_ids or [])
    return Legislator.is_current.is_(True)


def whip_list(alert: Alert, *, state: str = "", party: str = "", signed: str = "",
              sort: str = "pressure", descending: bool = True) -> list[WhipRow]:
    """Aggregated in the database: one row per target, never one per action."""
    pressure = (
        select(Action.bioguide_id,
               func.count(distinct(Action.supporter_id)).label("constituents"),
               func.sum(case((Action.kind == "call", 1), else_=0)).label("calls"),
               func.sum(case((Action.kind == "email", 1), else_=0)).label("emails"),
               func.max(Action.created_at).label("last_contact"))
        .where(Action.alert_id == alert.id)
        .group_by(Action.bioguide_id)
        .subquery()
    )
    signatures = (
        select(SignOn.bioguide_id, SignOn.signed_at)
        .where(SignOn.alert_id == alert.id, SignOn.kind == MEMBER,
               SignOn.withdrawn_at.is_(None))
        .subquery()
    )
    constituents = func.coalesce(pressure.c.constituents, 0)
    calls = func.coalesce(pressure.c.calls, 0)
    emails = func.coalesce(pressure.c.emails, 0)
    name = func.coalesce(Legislator.official_name,
                         Legislator.first_name + " " + Legislator.last_name)
    query = (
        select(Legislator.bioguide_id, name, Legislator.chamber, Legislator.state,
               Legislator.district, Legislator.party, Legislator.phone, signatures.c.signed_at,
               constituents, calls, emails, pressure.c.last_contact)
        .outerjoin(pressure, pressure.c.bioguide_id == Legislator.bioguide_id)
        .outerjoin(signatures, signatures.c.bioguide_id == Legislator.bioguide_id)
        .where(Legislator.is_current.is_(True), _target_condition(alert))
    )
    if state:
        query = query.where(Legislator.state == state)
    if party:
        query = query.where(Legislator.party == party)
    if signed == "yes":
        query = query.where(signatures.c.signed_at.is_not(None))
    elif signed == "no":
        query = query.where(signatures.c.signed_at.is_(None))
    order = {
        "pressure": constituents, "name": Legislator.last_name, "state": Legislator.state,
        "party": Legislator.party, "signed": signatures.c.signed_at.is_not(None),
        "calls": calls, "emails": emails, "last_contact": pressure.c.last_contact,
    }.get(sort, constituents)
    query = query.order_by(order.desc() if descending else order.asc(), Legislator.state,
                           Legislator.district, Legislator.last_name)
    return [WhipRow(*row) for row in db.session.execute(query)]


def whip_filters() -> tuple[list[str], list[str]]:
    """The states and parties that current members have, for the filter menus."""
    states = db.session.scalars(select(Legislator.state).where(
        Legislator.is_current.is_(True)).distinct().order_by(Legislator.state))
    parties = db.session.scalars(select(Legislator.party).where(
        Legislator.is_current.is_(True), Legislator.party.is_not(None)).distinct()
        .order_by(Legislator.party))
    return list(states), list(parties)
