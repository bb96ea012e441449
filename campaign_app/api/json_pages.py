"""Outreach pages whose JSON PostgreSQL builds, for long walks of the collection.

Building a page of 100 outreaches in Python means decoding 100 rows, building 100 resources
and encoding them again, and that was most of a page's time. Here PostgreSQL builds the
page's resources and their self links with json_build_object, and returns each as one text.
The response carries those texts as they are.

The SQL that builds them is compiled once per process: building and hashing its expression
tree on each request cost as much as the Python resources did. What varies per request, the
links' scheme and host, comes in as columns of a one-row `links` subquery.

SQLite still builds the resources in Python (`representations.outreach`). The two must
agree: tests/api/test_json_pages.py compares them field by field.
"""

from functools import cache

import orjson
from sqlalchemy import (
    JSON,
    Text,
    case,
    cast,
    column,
    func,
    literal,
    literal_column,
    select,
    table,
    true,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import aggregate_order_by

from ..congress.models import SENATE, Legislator
from ..core.db import db
from . import representations as osdi

#: to_char's pattern for `representations.iso` (UTC, truncated to the second).
ISO_PATTERN = 'YYYY-MM-DD"T"HH24:MI:SS"Z"'


def in_database() -> bool:
    """Whether this database builds JSON (PostgreSQL); SQLite pages are built in Python."""
    return db.session.get_bind().dialect.name == "postgresql"


def text(value: str):
    return cast(literal(value), Text)


def obj(*pairs):
    """json_build_object of (key, SQL expression) pairs, in their order (the json type keeps
    it, as the Python resources do)."""
    return func.json_build_object(*[part for key, value in pairs for part in (text(key), value)])


def iso(column):
    return func.to_char(func.timezone("UTC", column), text(ISO_PATTERN))


#: The links a resource carries: (name in `links`, endpoint, its argument).
LINKS = (("outreach", "get_outreach", "outreach_id"),
         ("campaign", "get_advocacy_campaign", "campaign_id"),
         ("person", "get_person", "person_id"))
OUTREACH_COLUMNS = ("id", "created_at", "kind", "outcome", "status", "channel",
                    "referral_code", "source_code", "message_subject", "alert_id",
                    "supporter_id", "member_bioguide_id", "member_first_name",
                    "member_last_name", "member_state", "member_chamber", "member_district")


def links_row():
    """This request's link templates, split around the id (so the scheme and host are the
    request's, as in `representations.link`), as a one-row subquery `links`."""
    values = []
    for name, endpoint, argument in LINKS:
        template = osdi.templates()[endpoint, (argument,)]
        prefix, suffix = (part.replace("{{", "{").replace("}}", "}")
                          for part in template.split("{" + argument + "}"))
        values += [literal(prefix, Text).label(f"{name}_prefix"),
                   literal(suffix, Text).label(f"{name}_suffix")]
    return select(*values).subquery("links")


def href(links, name: str, column):
    return obj(("href", func.concat(links.c[f"{name}_prefix"], cast(column, Text),
                                    links.c[f"{name}_suffix"])))


def _target(page):
    """`representations.target` of the member the row carries."""
    state, district = page.c.member_state, page.c.member_district
    ocdid = func.concat(text("ocd-division/country:us/state:"), func.lower(state), case(
        (page.c.member_chamber == SENATE, text("")),
        else_=func.concat(text("/cd:"), func.coalesce(cast(func.nullif(district, 0), Text),
                                                      text("at-large")))))
    return obj(("title", Legislator.title_expression(page.c.member_chamber, district, state)),
               ("given_name", page.c.member_first_name),
               ("family_name", page.c.member_last_name),
               ("ocdid", ocdid),
               ("identifiers", func.json_build_array(
                   func.concat(text("bioguide:"), page.c.member_bioguide_id))))


def outreach(page, links):
    """`representations.outreach` of each row of `page` (the columns of
    `queries.outreaches_page`), and its self link."""
    created = iso(page.c.created_at)
    kind = page.c.kind
    targets = case((page.c.member_bioguide_id.is_(None), cast(text("[]"), JSON)),
                   else_=func.json_build_array(_target(page)))
    head = [
        ("identifiers", func.json_build_array(
            func.concat(text("alerta:outreach-"), cast(page.c.id, Text)))),
        ("created_date", created),
        ("modified_date", created),
        ("type", case(*[(kind == name, text(osdi_name))
                        for name, osdi_name in osdi.OUTREACH_TYPES.items()], else_=kind)),
        ("targets", targets),
        ("custom_fields", obj(("kind", kind), ("outcome", page.c.outcome),
                              ("status", page.c.status), ("channel", page.c.channel))),
        ("referrer_data", obj(("referrer", page.c.referral_code),
                              ("source", page.c.source_code))),
    ]
    self_link = href(links, "outreach", page.c.id)
    tail = [("_links", obj(
        ("self", self_link),
        ("osdi:advocacy_campaign", href(links, "campaign", page.c.alert_id)),
        ("osdi:person", href(links, "person", page.c.supporter_id)),
        ("curies", cast(text(orjson.dumps(osdi.CURIES).decode()), JSON))))]
    resource = case((kind == "email", obj(*head, ("subject", page.c.message_subject), *tail)),
                    else_=obj(*head, *tail))
    return resource, self_link


@cache
def _aggregates(resource) -> tuple[str, ...]:
    """The SQL of a page's resources (a JSON array, as text), their self links, its last
    key and its length, over the subqueries `page` (ordered by its `id`) and `links`:
    compiled once, its constants written in."""
    page = table("page", *[column(name) for name in OUTREACH_COLUMNS])
    links = table("links", *[column(f"{name}_{part}") for name, _, _ in LINKS
                             for part in ("prefix", "suffix")])
    item, self_link = resource(page, links)
    empty = cast(text("[]"), JSON)
    expressions = [
        cast(func.coalesce(func.json_agg(aggregate_order_by(item, page.c.id)), empty), Text),
        cast(func.coalesce(func.json_agg(aggregate_order_by(self_link, page.c.id)), empty),
             Text),
        func.max(page.c.id), func.count()]
    return tuple(str(expression.compile(dialect=postgresql.dialect(),
                                        compile_kwargs={"literal_binds": True}))
                 for expression in expressions)


def page_json(rows_query, resource=outreach) -> tuple[str, str, int | None, int]:
    """The page `rows_query` selects (ordered by id, limited) as JSON: its resources' array
    and their self links' array (texts), its last id and its length, in one statement."""
    statement = select(*[literal_column(sql) for sql in _aggregates(resource)]).select_from(
        rows_query.subquery("page")).join(links_row(), true())
    return tuple(db.session.execute(statement).one())
