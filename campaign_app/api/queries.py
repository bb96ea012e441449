"""Reads of the API: each collection's page as one Core select of the columns its resource
shows (plain rows, no ORM objects to build and track for a page of 100), and the counts,
members and identifiers the resources carry, each read once per page."""

from functools import lru_cache

from sqlalchemy import bindparam, func, literal, select, union_all

from ..actions.models import Action
from ..alerts.models import Alert
from ..alerts.signons import SignOn
from ..congress.models import Legislator
from ..core.db import db
from ..supporters.models import Supporter
from . import json_pages
from .models import PersonIdentifier
from .paging import KEPT_SHAPES, Listing, Page, PageRequest, filter_shape, page_of, where

#: Action kinds that are OSDI outreaches (a signature on the letter is not one).
OUTREACH_KINDS = ("call", "email", "thank")
#: The largest id a column holds (PostgreSQL's integer); a larger one names nothing.
MAX_ID = 2**31 - 1
#: Alerts with a letter to sign: the form asks for its text when sign-on is offered.
HAS_LETTER = Alert.letter_text != ""
#: Supporters' signatures come first (source 0), then organizations' and members' (1).
PERSON, SIGNON = 0, 1

PERSON_COLUMNS = (Supporter.id, Supporter.created_at, Supporter.updated_at, Supporter.state,
                  Supporter.zip_code, Supporter.district, Supporter.language,
                  Supporter.first_name, Supporter.last_name, Supporter.email,
                  Supporter.is_subscribed, Supporter.phone, Supporter.city, Supporter.street,
                  Supporter.source_code)
OUTREACH_COLUMNS = (Action.id, Action.created_at, Action.kind, Action.outcome, Action.status,
                    Action.channel, Action.referral_code, Action.source_code,
                    Action.message_subject, Action.alert_id, Action.supporter_id,
                    Action.bioguide_id)


#: The member each outreach reached, read with it (labelled member_<attribute>).
MEMBER_ATTRIBUTES = ("bioguide_id", "first_name", "last_name", "state", "chamber", "district")


def member_of(row) -> Legislator | None:
    """The member an outreach row carries (None for an action without one), as a detached
    Legislator of the columns a target shows (call once per member and page)."""
    if row.member_bioguide_id is None:
        return None
    return Legislator(**{name: getattr(row, f"member_{name}") for name in MEMBER_ATTRIBUTES})


def get_row(model, row_id: int):
    return db.session.get(model, row_id) if 0 < row_id <= MAX_ID else None


@lru_cache(maxsize=KEPT_SHAPES)
def _people(filters) -> Listing:
    return Listing(select(*PERSON_COLUMNS).where(*where(filters, {
        "modified_date": Supporter.updated_at, "created_date": Supporter.created_at})),
        (Supporter.id,))


def people_page(request: PageRequest) -> Page:
    return page_of(_people(filter_shape(request)), request)


#: The columns an outreach page may be narrowed to one value of (`outreaches_page`).
OUTREACH_SCOPES = {"alert_id": Action.alert_id, "supporter_id": Action.supporter_id}


@lru_cache(maxsize=KEPT_SHAPES)
def _outreaches(scope: str | None, filters, with_members: bool) -> Listing:
    query = select(*OUTREACH_COLUMNS).where(
        Action.kind.in_(OUTREACH_KINDS),
        *where(filters, {"modified_date": Action.created_at, "created_date": Action.created_at}))
    if with_members:
        query = query.add_columns(*[getattr(Legislator, name).label(f"member_{name}")
                                    for name in MEMBER_ATTRIBUTES]).outerjoin(
            Legislator, Legislator.bioguide_id == Action.bioguide_id)
    if scope is not None:
        query = query.where(OUTREACH_SCOPES[scope] == bindparam("scope"))
    return Listing(query, (Action.id,))


def outreaches_page(request: PageRequest, as_json: bool = False, **scope) -> Page:
    """Outreaches and the member each reached, in one query, all of them or those of one
    alert or person (`alert_id=…` or `supporter_id=…`); `as_json`: as JSON built by
    PostgreSQL (`json_pages`, which looks up each member itself)."""
    (column, value), = scope.items() or ((None, None),)
    return page_of(_outreaches(column, filter_shape(request), not as_json), request,
                   {"scope": value}, as_json=json_pages.page_json if as_json else None)


@lru_cache(maxsize=KEPT_SHAPES)
def _alerts(letters_only: bool, filters) -> Listing:
    """Alerts as ORM rows: a page holds few, and their resources read many columns."""
    query = select(Alert).where(*where(filters, {
        "modified_date": Alert.updated_at, "created_date": Alert.created_at}))
    return Listing(query.where(HAS_LETTER) if letters_only else query, (Alert.id,))


def alerts_page(request: PageRequest, letters_only: bool = False) -> Page:
    """Alerts, or only those with a letter to sign."""
    return page_of(_alerts(letters_only, filter_shape(request)), request)


@lru_cache(maxsize=KEPT_SHAPES)
def _signature_keys(filters) -> Listing:
    petition = bindparam("petition_id")
    signon_modified = func.coalesce(SignOn.withdrawn_at, SignOn.reviewed_at, SignOn.created_at)
    both = union_all(
        select(literal(PERSON).label("source"), Action.id.label("row_id"),
               Action.created_at.label("modified"), Action.created_at.label("created"))
        .where(Action.alert_id == petition, Action.kind == "signon"),
        select(literal(SIGNON).label("source"), SignOn.id.label("row_id"),
               signon_modified.label("modified"), SignOn.signed_at.label("created"))
        .where(SignOn.alert_id == petition)).subquery()
    keys = select(both.c.source, both.c.row_id).where(*where(filters, {
        "modified_date": both.c.modified, "created_date": both.c.created}))
    return Listing(keys, (both.c.source, both.c.row_id))


def signatures_page(petition_id: int, request: PageRequest) -> tuple[Page, dict, dict]:
    """Supporters' signatures, then organizations' and members': the page's keys, and the
    rows of each source by id."""
    page = page_of(_signature_keys(filter_shape(request)), request,
                   {"petition_id": petition_id})
    people = {row.id: row for row in db.session.execute(select(
        Action.id, Action.created_at, Action.alert_id, Action.supporter_id).where(
        Action.id.in_([row_id for source, row_id in page.keys if source == PERSON])))}
    signons = {row.id: row for row in db.session.scalars(select(SignOn).where(SignOn.id.in_(
        [row_id for source, row_id in page.keys if source == SIGNON])))}
    return page, people, signons


def members(bioguide_ids) -> dict[str, Legislator]:
    """The members named, by bioguide id, in one query."""
    wanted = set(bioguide_ids) - {None}
    if not wanted:
        return {}
    return {member.bioguide_id: member for member in db.session.scalars(
        select(Legislator).where(Legislator.bioguide_id.in_(wanted)))}


def identifiers_of(supporter_ids) -> dict[int, list[str]]:
    """The identifiers clients gave these people, oldest first, by supporter id."""
    found: dict[int, list[str]] = {}
    ids = list(supporter_ids)
    if not ids:
        return found
    for supporter_id, identifier in db.session.execute(
            select(PersonIdentifier.supporter_id, PersonIdentifier.identifier)
            .where(PersonIdentifier.supporter_id.in_(ids)).order_by(PersonIdentifier.id)):
        found.setdefault(supporter_id, []).append(identifier)
    return found


def identifier_owner(identifiers: list[str]) -> dict[str, int]:
    """Which person each of these identifiers already names."""
    if not identifiers:
        return {}
    return dict(db.session.execute(select(PersonIdentifier.identifier,
                                          PersonIdentifier.supporter_id)
                                   .where(PersonIdentifier.identifier.in_(identifiers))).all())


def supporter_by_email(email: str) -> Supporter | None:
    return db.session.scalars(select(Supporter).where(Supporter.email == email)).first()


def outreach_count(alert_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(Action).where(
        Action.alert_id == alert_id, Action.kind.in_(OUTREACH_KINDS)))


def email_to(alert_id: int, supporter_id: int, bioguide_id: str) -> Action | None:
    """The person's email to this office in this alert (one at most: a unique index)."""
    return db.session.scalars(select(Action).where(
        Action.alert_id == alert_id, Action.supporter_id == supporter_id,
        Action.bioguide_id == bioguide_id, Action.kind == "email")).first()
