"""Reads of sign-ons: counts in SQL, lists for the staff and public pages."""


from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from ..alerts.signons import APPROVED, MEMBER, ORGANIZATION, SignOn
from ..congress.models import Legislator
from ..core.db import db
from ..i18n.staff import lazy_staff_gettext

#: How the published list of organizations can be ordered.
ORGANIZATION_ORDERS = {
    "position": lazy_staff_gettext("Staff's order"),
    "name": lazy_staff_gettext("Alphabetical"),
    "signed": lazy_staff_gettext("Order of signing"),
}


def active_signon(alert_id: int, kind: str, signer_key: str) -> SignOn | None:
    return db.session.scalars(select(SignOn).where(
        SignOn.alert_id == alert_id, SignOn.kind == kind, SignOn.signer_key == signer_key,
        SignOn.withdrawn_at.is_(None))).first()


def member_signons(alert_id: int) -> list[SignOn]:
    return list(db.session.scalars(
        select(SignOn).options(joinedload(SignOn.legislator), joinedload(SignOn.recorded_by))
        .where(SignOn.alert_id == alert_id, SignOn.kind == MEMBER,
               SignOn.withdrawn_at.is_(None))
        .order_by(SignOn.signed_at.desc(), SignOn.id.desc())))


def search_members(query: str, limit: int = 60) -> list[Legislator]:
    """Current members whose name contains `query`, or whose state or id is `query`."""
    query = query.strip()
    if not query:
        return []
    needle = query.lower()
    if len(query) == 2 and query.isalpha():
        # 'NY' means the state, not every name containing 'ny'.
        matches = Legislator.state == query.upper()
    else:
        matches = or_(func.lower(Legislator.last_name).contains(needle, autoescape=True),
                      func.lower(Legislator.first_name).contains(needle, autoescape=True),
                      func.lower(Legislator.official_name).contains(needle, autoescape=True),
                      Legislator.bioguide_id == query.upper())
    return list(db.session.scalars(
        select(Legislator)
        .where(Legislator.is_current.is_(True), matches)
        .order_by(Legislator.state, Legislator.chamber, Legislator.district,
                  Legislator.last_name)
        .limit(limit)))


def organization_signons(alert_id: int, status: str | None = None) -> list[SignOn]:
    query = select(SignOn).where(SignOn.alert_id == alert_id, SignOn.kind == ORGANIZATION,
                                 SignOn.withdrawn_at.is_(None))
    if status is not None:
        query = query.where(SignOn.status == status)
    return list(db.session.scalars(query.order_by(SignOn.created_at.desc(), SignOn.id.desc())))


def approved_organizations(alert_id: int, order: str = "position") -> list[SignOn]:
    """The public list; staff's order puts unplaced names last, alphabetically."""
    query = select(SignOn).where(SignOn.alert_id == alert_id, SignOn.kind == ORGANIZATION,
                                 SignOn.status == APPROVED, SignOn.withdrawn_at.is_(None))
    name = func.lower(SignOn.organization_name)
    if order == "name":
        query = query.order_by(name, SignOn.id)
    elif order == "signed":
        query = query.order_by(SignOn.created_at, SignOn.id)
    else:
        query = query.order_by(SignOn.position.is_(None), SignOn.position, name, SignOn.id)
    return list(db.session.scalars(query))


def get_signon(alert_id: int, signon_id: int) -> SignOn | None:
    signon = db.session.get(SignOn, signon_id)
    return signon if signon is not None and signon.alert_id == alert_id else None
