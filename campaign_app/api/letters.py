"""The API's reads of sign-on letters: OSDI petitions and their signatures."""

from sqlalchemy import func, literal, select, union_all

from ..actions.models import Action
from ..alerts.models import Alert
from ..alerts.signons import SignOn
from ..core.db import db
from . import representations as osdi
from . import schemas
from .errors import ApiError
from .paging import page_of, page_request, where
from .views import (
    HAL,
    alerts_page,
    blp,
    collection,
    documented,
    found_or_404,
    get_row,
    hal,
    with_contacts,
)

#: Alerts with a letter to sign: the form asks for its text when sign-on is offered.
_HAS_LETTER = Alert.letter_text != ""


@blp.get("/petitions")
@blp.arguments(schemas.PageArgs, location="query")
@blp.response(200, schemas.PetitionCollection, content_type=HAL)
@documented
def list_petitions(args):
    """Alerts with a letter, as OSDI petitions."""
    page, alerts = alerts_page(args, _HAS_LETTER)
    return collection("petitions", page, [osdi.petition(alert) for alert in alerts])


def petition_or_404(petition_id: int) -> Alert:
    alert = get_row(Alert, petition_id)
    if alert is None or not alert.letter_text:
        raise ApiError(404, None, "no such petition")
    return alert


@blp.get("/petitions/<int:petition_id>")
@blp.response(200, schemas.Petition, content_type=HAL)
@documented
def get_petition(petition_id):
    """One letter, with the count of its supporters' signatures."""
    alert = petition_or_404(petition_id)
    total = db.session.scalar(select(func.count()).select_from(Action).where(
        Action.alert_id == alert.id, Action.kind == "signon"))
    return hal(osdi.petition(alert, total_signatures=total))


#: Supporters' signatures come first (source 0), then organizations' and members' (1).
PERSON, SIGNON = 0, 1


@blp.get("/petitions/<int:petition_id>/signatures")
@blp.arguments(schemas.PageArgs, location="query")
@blp.response(200, schemas.SignatureCollection, content_type=HAL)
@documented
def petition_signatures(args, petition_id):
    """Supporters' signatures, then organizations' and members' with their status."""
    petition_or_404(petition_id)
    page_args = page_request(args, key_parts=2)
    signon_modified = func.coalesce(SignOn.withdrawn_at, SignOn.reviewed_at, SignOn.created_at)
    both = union_all(
        select(literal(PERSON).label("source"), Action.id.label("row_id"),
               Action.created_at.label("modified"), Action.created_at.label("created"))
        .where(Action.alert_id == petition_id, Action.kind == "signon"),
        select(literal(SIGNON).label("source"), SignOn.id.label("row_id"),
               signon_modified.label("modified"), SignOn.signed_at.label("created"))
        .where(SignOn.alert_id == petition_id)).subquery()
    keys = select(both.c.source, both.c.row_id).where(*where(page_args, {
        "modified_date": both.c.modified, "created_date": both.c.created}))
    page = page_of(keys, [both.c.source, both.c.row_id], page_args)
    people = {row.id: row for row in db.session.scalars(select(Action).where(Action.id.in_(
        [row_id for source, row_id in page.keys if source == PERSON])))}
    signons = {row.id: row for row in db.session.scalars(select(SignOn).where(SignOn.id.in_(
        [row_id for source, row_id in page.keys if source == SIGNON])))}
    items = [osdi.supporter_signature(people[row_id]) if source == PERSON
             else osdi.signon_signature(signons[row_id], with_contacts=with_contacts())
             for source, row_id in page.keys]
    return collection("signatures", page, items)


@blp.get("/signatures/<string:signature_id>")
@blp.response(200, schemas.Signature, content_type=HAL)
@documented
def get_signature(signature_id):
    """One signature: `person-<n>` (a supporter's) or `signon-<n>` (an organization's or a
    member's)."""
    kind, _, number = signature_id.partition("-")
    if not number.isdigit() or len(number) > 18 or kind not in ("person", "signon"):
        raise ApiError(404, None, "no such signature")
    if kind == "person":
        action = get_row(Action, int(number))
        if action is None or action.kind != "signon":
            raise ApiError(404, None, "no such signature")
        return hal(osdi.supporter_signature(action))
    signon = found_or_404(get_row(SignOn, int(number)), "signature")
    return hal(osdi.signon_signature(signon, with_contacts=with_contacts()))
