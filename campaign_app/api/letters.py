"""The API's reads of sign-on letters: OSDI petitions and their signatures."""

from ..actions.models import Action
from ..actions.queries import signature_count
from ..alerts.models import Alert
from ..alerts.signons import SignOn
from . import queries, schemas
from . import representations as osdi
from .errors import ApiError
from .paging import page_request
from .queries import PERSON, get_row
from .views import HAL, PAGE_ARGS, blp, collection, documented, found_or_404, hal, with_contacts


@blp.get("/petitions")
@blp.arguments(PAGE_ARGS, location="query")
@blp.response(200, schemas.PetitionCollection, content_type=HAL)
@documented
def list_petitions(args):
    """Alerts with a letter, as OSDI petitions."""
    page = queries.alerts_page(page_request(args), letters_only=True)
    return collection("petitions", page, [osdi.petition(alert) for alert in page.rows])


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
    return hal(osdi.petition(alert, total_signatures=signature_count(alert.id)))


@blp.get("/petitions/<int:petition_id>/signatures")
@blp.arguments(PAGE_ARGS, location="query")
@blp.response(200, schemas.SignatureCollection, content_type=HAL)
@documented
def petition_signatures(args, petition_id):
    """Supporters' signatures, then organizations' and members' with their status."""
    petition_or_404(petition_id)
    page, people, signons = queries.signatures_page(petition_id, page_request(args,
                                                                              key_parts=2))
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
