"""The API's reads: OSDI collections and resources under /api/v1/, as HAL+JSON."""

from functools import lru_cache
from urllib.parse import urlencode

import orjson
from flask import current_app, g, request, url_for
from flask_smorest import Blueprint
from sqlalchemy import Engine
from werkzeug.exceptions import HTTPException

from ..actions.models import Action
from ..alerts.models import Alert
from ..core.db import db
from ..supporters.models import Supporter
from . import json_pages, queries, schemas
from . import representations as osdi
from .errors import ApiError, http_error, respond
from .keys import HEADER, authenticate
from .paging import KEPT_SHAPES, Page, page_request
from .queries import get_row

HAL = "application/hal+json"
blp = Blueprint("api", __name__, url_prefix="/api/v1",
                description="OSDI resources: people, advocacy campaigns, outreaches, "
                            "petitions and signatures")
#: The errors every endpoint may answer, documented once.
ERRORS = {400: "Bad request: the field is named", 401: f"No valid {HEADER}",
          403: "The key's scope does not allow it", 404: "No such resource",
          413: "Body too large", 415: "Not JSON", 422: "Invalid fields, each named",
          429: "Rate limit of the key: see Retry-After"}
#: One instance for every request: given the class, webargs builds a schema per request.
PAGE_ARGS = schemas.PageArgs()


blp.register_error_handler(ApiError, respond)
blp.register_error_handler(HTTPException, http_error)


@blp.before_request
def _authenticate():
    if request.method in ("GET", "HEAD"):
        _statements_on_their_own()
    authenticate()


def _statements_on_their_own() -> None:
    """A read runs each statement in its own implicit transaction on PostgreSQL (autocommit):
    no BEGIN and ROLLBACK round trips around a page that is one statement. A read's one
    write, the key's last use, commits at once either way. (A session bound to a connection
    that is already in a transaction, as in the tests, stays as it is.)"""
    session = db.session()
    if not session.in_transaction() and isinstance(session.get_bind(), Engine) \
            and json_pages.in_database():
        session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


def documented(view):
    """The error answers, in the description too."""
    for code, text in ERRORS.items():
        view = blp.alt_response(code, schema=schemas.OsdiError, description=text)(view)
    return view


def hal(body: dict, status: int = 200):
    """The body as compact HAL+JSON (orjson: a page of 100 resources is most of a walk's
    time in the standard library's encoder), keys in the order the resource builds them."""
    return current_app.response_class(orjson.dumps(body), status=status, mimetype=HAL)


def _self_url(**overrides) -> str:
    """The URL of this request's view with its query arguments and `overrides` (None drops
    one), as url_for writes it: the path built once per host and view arguments, the query
    encoded as werkzeug's router encodes it (three url_for calls cost a page 0.1 ms)."""
    args = {**request.args.to_dict(), **overrides}
    query = urlencode([(k, v) for k, v in args.items() if v is not None], safe=QUERY_SAFE)
    path = _view_url(request.host_url, request.endpoint,
                     tuple(sorted((request.view_args or {}).items())))
    return f"{path}?{query}" if query else path


#: The characters werkzeug leaves as they are in a URL's query (werkzeug.urls._urlencode).
QUERY_SAFE = "!$'()*,/:;?@"


@lru_cache(maxsize=KEPT_SHAPES)
def _view_url(host_url: str, endpoint: str, view_args: tuple) -> str:
    return url_for(endpoint, _external=True, **dict(view_args))


def collection(name: str, page: Page, items: list[dict] | None = None):
    """The page as HAL: `items` built in Python, or the JSON the database built for it."""
    if page.json is not None:
        items, self_links = (orjson.Fragment(part) for part in page.json)
    else:
        self_links = [item["_links"]["self"] for item in items]
    links = {"self": {"href": _self_url()}, "curies": osdi.CURIES, f"osdi:{name}": self_links}
    if page.next_after:
        links["next"] = {"href": _self_url(page=page.request.page + 1,
                                           after=page.next_after)}
    if page.request.page > 1:
        links["previous"] = {"href": _self_url(page=page.request.page - 1, after=None)}
    return hal({"total_pages": page.total_pages, "per_page": page.request.per_page,
                "page": page.request.page, "total_records": page.total_records,
                "_links": links, "_embedded": {f"osdi:{name}": items}})


def found_or_404(row, what: str):
    if row is None:
        raise ApiError(404, None, f"no such {what}")
    return row


def with_contacts() -> bool:
    return g.api_key.sees_contacts


# --- people ----------------------------------------------------------------------------

@blp.get("/people")
@blp.arguments(PAGE_ARGS, location="query")
@blp.response(200, schemas.PersonCollection, content_type=HAL)
@documented
def list_people(args):
    """People (supporters), oldest first; `filter` selects those changed since a time."""
    page = queries.people_page(page_request(args))
    identifiers = queries.identifiers_of(row.id for row in page.rows)
    contacts = with_contacts()
    return collection("people", page, [
        osdi.person(row, with_contacts=contacts, identifiers=identifiers.get(row.id, ()))
        for row in page.rows])


@blp.get("/people/<int:person_id>")
@blp.response(200, schemas.Person, content_type=HAL)
@documented
def get_person(person_id):
    """One person."""
    supporter = found_or_404(get_row(Supporter, person_id), "person")
    return hal(osdi.person(supporter, with_contacts=with_contacts(),
                           identifiers=queries.identifiers_of([supporter.id]).get(
                               supporter.id, ())))


# --- outreaches ------------------------------------------------------------------------

def _outreaches(args, **scope):
    if json_pages.in_database():
        return collection("outreaches", queries.outreaches_page(
            page_request(args), as_json=True, **scope))
    page = queries.outreaches_page(page_request(args), **scope)
    return collection("outreaches", page, outreach_items(page.rows))


def outreach_items(rows) -> list[dict]:
    """The resources of a page's outreach rows, built in Python (SQLite's way)."""
    targets: dict[str | None, list] = {}  # each member's target, built once per page
    items = []
    for row in rows:
        if row.bioguide_id not in targets:
            member = queries.member_of(row)
            targets[row.bioguide_id] = [osdi.target(member)] if member else []
        items.append(osdi.outreach(row, targets[row.bioguide_id]))
    return items


@blp.get("/outreaches")
@blp.arguments(PAGE_ARGS, location="query")
@blp.response(200, schemas.OutreachCollection, content_type=HAL)
@documented
def list_outreaches(args):
    """Every outreach (a call or an email to a member of Congress), oldest first."""
    return _outreaches(args)


@blp.get("/outreaches/<int:outreach_id>")
@blp.response(200, schemas.Outreach, content_type=HAL)
@documented
def get_outreach(outreach_id):
    """One outreach."""
    action = found_or_404(get_row(Action, outreach_id), "outreach")
    if action.kind not in queries.OUTREACH_KINDS:
        raise ApiError(404, None, "no such outreach")
    return hal(osdi.outreach(action, [osdi.target(action.legislator)]
                             if action.legislator else []))


@blp.get("/people/<int:person_id>/outreaches")
@blp.arguments(PAGE_ARGS, location="query")
@blp.response(200, schemas.OutreachCollection, content_type=HAL)
@documented
def person_outreaches(args, person_id):
    """The outreaches of one person."""
    found_or_404(get_row(Supporter, person_id), "person")
    return _outreaches(args, supporter_id=person_id)


# --- advocacy campaigns ----------------------------------------------------------------

def _campaign_targets(alert: Alert) -> list[dict]:
    """The members the alert names, or none when each supporter's own members are asked."""
    named = queries.members(alert.target_ids or ())
    return [osdi.target(named[bioguide_id]) for bioguide_id in alert.target_ids or ()
            if bioguide_id in named]


@blp.get("/advocacy_campaigns")
@blp.arguments(PAGE_ARGS, location="query")
@blp.response(200, schemas.AdvocacyCampaignCollection, content_type=HAL)
@documented
def list_advocacy_campaigns(args):
    """Alerts, as OSDI advocacy campaigns."""
    page = queries.alerts_page(page_request(args))
    return collection("advocacy_campaigns", page, [
        osdi.advocacy_campaign(alert, targets=_campaign_targets(alert)) for alert in page.rows])


@blp.get("/advocacy_campaigns/<int:campaign_id>")
@blp.response(200, schemas.AdvocacyCampaign, content_type=HAL)
@documented
def get_advocacy_campaign(campaign_id):
    """One alert, with its targets and the count of its outreaches."""
    alert = found_or_404(get_row(Alert, campaign_id), "advocacy campaign")
    return hal(osdi.advocacy_campaign(alert, total_outreaches=queries.outreach_count(alert.id),
                                      targets=_campaign_targets(alert)))


@blp.get("/advocacy_campaigns/<int:campaign_id>/outreaches")
@blp.arguments(PAGE_ARGS, location="query")
@blp.response(200, schemas.OutreachCollection, content_type=HAL)
@documented
def campaign_outreaches(args, campaign_id):
    """The outreaches of one alert."""
    found_or_404(get_row(Alert, campaign_id), "advocacy campaign")
    return _outreaches(args, alert_id=campaign_id)
