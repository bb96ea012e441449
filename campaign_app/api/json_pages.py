"""Outreach pages whose JSON PostgreSQL builds, for long walks of the collection.

Building a page of 100 outreaches in Python means decoding 100 rows, building 100 resources
and encoding them again, and that was most of a page's time. Here PostgreSQL writes the
page's resources and their self links as JSON text, and the response carries those texts
as they are.

Each resource is one concat of constant JSON pieces and its columns: only the texts that
anyone may have typed (codes, the subject, members' names) go through to_json for their
escaping; ids, times and the kinds the table's check constraint allows need none. Nested
json_build_object calls per row, with their keys escaped again on each row, cost three
times as much. Each member's target is built once per page and member (`_compiled`).

The SQL is compiled once per process, and each page statement built once per shape
(`paging`): building and hashing its expression tree on each request cost as much as the
Python resources did. What varies per request, the links' scheme and host, comes in as
columns of a one-row `links` subquery, JSON-escaped in Python (once per host).

SQLite still builds the resources in Python (`representations.outreach`). The two must
agree: tests/api/test_json_pages.py compares them field by field.
"""

from functools import cache, lru_cache

import orjson
from flask import request
from sqlalchemy import (
    Select,
    Text,
    case,
    cast,
    column,
    func,
    literal_column,
    select,
    table,
)
from sqlalchemy import text as sql_text
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.sql.elements import TextClause

from ..congress.models import SENATE, Legislator
from ..core.db import db
from . import representations as osdi
from .paging import KEPT_SHAPES

#: to_char's pattern for `representations.iso` (UTC, truncated to the second).
ISO_PATTERN = 'YYYY-MM-DD"T"HH24:MI:SS"Z"'


def in_database() -> bool:
    """Whether this database builds JSON (PostgreSQL); SQLite pages are built in Python."""
    return db.session.get_bind().dialect.name == "postgresql"


def text(value: str):
    """A constant text, written into the SQL as a plain literal: PostgreSQL takes it as text
    in concat, the JSON functions, CASE and coalesce. (CAST('…' AS TEXT) around each of the
    50 made the statement longer than the 4,096 characters of psycopg's cache of parsed
    statements, so each page parsed it again: 0.1 ms.)"""
    return literal_column("'" + value.replace("'", "''") + "'", Text)


def obj(*pairs):
    """json_build_object of (key, SQL expression) pairs, in their order (the json type keeps
    it, as the Python resources do)."""
    return func.json_build_object(*[part for key, value in pairs for part in (text(key), value)])


def string(value):
    """A text column as a JSON value: a string escaped by to_json, or null."""
    return func.coalesce(cast(func.to_json(value), Text), text("null"))


def iso(column):
    return func.to_char(func.timezone("UTC", column), text(ISO_PATTERN))


#: The links a resource carries: (name in `links`, endpoint, its argument).
LINKS = (("outreach", "get_outreach", "outreach_id"),
         ("campaign", "get_advocacy_campaign", "campaign_id"),
         ("person", "get_person", "person_id"))
OUTREACH_COLUMNS = ("id", "created_at", "kind", "outcome", "status", "channel",
                    "referral_code", "source_code", "message_subject", "alert_id",
                    "supporter_id", "bioguide_id")


def _escaped(text: str) -> str:
    """`text` as the inside of a JSON string."""
    return orjson.dumps(text).decode()[1:-1]


def link_values() -> dict[str, str]:
    """This request's links as JSON texts split around the id, `{"href":"…/` and `"}` (so
    the scheme and host are the request's, as in `representations.link`): the values of
    the one-row subquery `links`."""
    return _link_values(request.host_url)


@lru_cache(maxsize=KEPT_SHAPES)
def _link_values(host_url: str) -> dict[str, str]:
    """`link_values` for the requests to `host_url` (scheme, host and root: all that the
    links take from a request), built once: six url_for calls cost a page 0.1 ms."""
    values = {}
    for name, endpoint, argument in LINKS:
        template = osdi.templates()[endpoint, (argument,)]
        prefix, suffix = (part.replace("{{", "{").replace("}}", "}")
                          for part in template.split("{" + argument + "}"))
        values[f"{name}_prefix"] = '{"href":"' + _escaped(prefix)
        values[f"{name}_suffix"] = _escaped(suffix) + '"}'
    return values


def href_parts(links, name: str, column) -> list:
    """The parts of {"href": …}, the link `name` to the row whose id is `column`, for a
    concat: a resource's concat takes them as they are, not as a concat of their own."""
    return [links.c[f"{name}_prefix"], column, links.c[f"{name}_suffix"]]


def href(links, name: str, column):
    """{"href": …} of the link `name` to the row whose id is `column`, as JSON text."""
    return func.concat(*href_parts(links, name, column))


def _target(member):
    """`representations.target` of a member (a row of legislators), as JSON text."""
    state, district = member.c.state, member.c.district
    ocdid = func.concat(text("ocd-division/country:us/state:"), func.lower(state), case(
        (member.c.chamber == SENATE, text("")),
        else_=func.concat(text("/cd:"), func.coalesce(cast(func.nullif(district, 0), Text),
                                                      text("at-large")))))
    return cast(obj(
        ("title", Legislator.title_expression(member.c.chamber, district, state)),
        ("given_name", member.c.first_name),
        ("family_name", member.c.last_name),
        ("ocdid", ocdid),
        ("identifiers", func.json_build_array(
            func.concat(text("bioguide:"), member.c.bioguide_id)))), Text)


def outreach(page, links, target):
    """`representations.outreach` of each row of `page` (the columns of
    `queries.outreaches_page`) as JSON text, `target` being its member's target (JSON text,
    or null), and its self link."""
    created = iso(page.c.created_at)
    kind = page.c.kind
    osdi_type = case(*[(kind == name, text(osdi_name))
                       for name, osdi_name in osdi.OUTREACH_TYPES.items()], else_=kind)
    # One flat concat: each nested one cost a call and a copy of its text per row.
    parts = [
        '{"identifiers":["alerta:outreach-', page.c.id, '"],"created_date":"', created,
        '","modified_date":"', created, '","type":"', osdi_type, '","targets":[',
        target, "]",  # concat skips a null: []
        ',"custom_fields":{"kind":"', kind, '","outcome":', string(page.c.outcome),
        ',"status":', string(page.c.status), ',"channel":', string(page.c.channel),
        '},"referrer_data":{"referrer":', string(page.c.referral_code),
        ',"source":', string(page.c.source_code), "}",
        case((kind == "email", func.concat(text(',"subject":'),
                                           string(page.c.message_subject))), else_=text("")),
        ',"_links":{"self":', *href_parts(links, "outreach", page.c.id),
        ',"osdi:advocacy_campaign":', *href_parts(links, "campaign", page.c.alert_id),
        ',"osdi:person":', *href_parts(links, "person", page.c.supporter_id),
        ',"curies":' + orjson.dumps(osdi.CURIES).decode() + "}}"]
    return func.concat(*[text(part) if isinstance(part, str) else part for part in parts]), \
        href(links, "outreach", page.c.id)


def _array(element, order):
    """The JSON array of `element` (JSON texts) over the page's rows, in `order`, as text."""
    return func.concat(text("["), func.string_agg(element, aggregate_order_by(text(","), order)),
                       text("]"))


@cache
def _compiled(resource) -> tuple[str, TextClause]:
    """The SQL of a page's resources (a JSON array, as text), their self links, its last key
    and its length; and of what they are selected from: the rows of the CTE `page` (ordered
    by `id`), each with its member's target and the one-row subquery `links` (bound per
    request). Compiled once, the constants written in: building SQLAlchemy's expressions
    and column collections for these subqueries on each request cost more than the
    database's work.

    Each row's target comes from a lateral subquery on its member's row (the page's rows
    carry no member columns: `queries.outreaches_page` as JSON), fenced by OFFSET 0 so that
    PostgreSQL builds the JSON under the Memoize node of the lookup: once per member and
    page, as a join to the page's distinct members did, without that join's DISTINCT and
    hash join (a third of the statement's time). With the member's columns in the page's
    rows, PostgreSQL plans no Memoize, and builds the target once per row."""
    page = table("page", *[column(name) for name in OUTREACH_COLUMNS])
    member = Legislator.__table__.alias("member")
    targets = table("targets", column("json"))
    links = table("links", *[column(f"{name}_{part}") for name, _, _ in LINKS
                             for part in ("prefix", "suffix")])
    item, self_link = resource(page, links, targets.c.json)
    aggregates = ", ".join(_sql(expression) for expression in (
        _array(item, page.c.id), _array(self_link, page.c.id), func.max(page.c.id),
        func.count()))
    link_columns = ", ".join(f"CAST(:{link.key} AS TEXT) AS {link.key}" for link in links.c)
    # Our own SQL, compiled above; the request's values are bound (:outreach_prefix …)
    sources = (f"page LEFT OUTER JOIN LATERAL (SELECT {_sql(_target(member))} AS json "  # noqa: S608
               f"FROM legislators AS member "
               f"WHERE member.bioguide_id = page.bioguide_id OFFSET 0) AS targets ON true "
               f"CROSS JOIN (SELECT {link_columns}) AS links")
    return aggregates, sql_text(sources)


def _sql(expression) -> str:
    return str(expression.compile(dialect=postgresql.dialect(),
                                  compile_kwargs={"literal_binds": True}))


@lru_cache(maxsize=KEPT_SHAPES)
def _page_statement(rows_query, resource) -> Select:
    """The statement of `page_json`, built once per page statement (`paging` keeps those):
    executing the same statement object again spares SQLAlchemy its cache key."""
    aggregates, sources = _compiled(resource)
    return select(literal_column(aggregates)).select_from(sources).add_cte(
        rows_query.cte("page"))


def page_json(rows_query, values: dict, resource=outreach) -> tuple[str, str, int | None, int]:
    """The page `rows_query` selects (ordered by id, limited; `values` its parameters) as
    JSON: its resources' array and their self links' array (texts), its last id and its
    length, in one statement."""
    return tuple(db.session.execute(_page_statement(rows_query, resource),
                                    {**values, **link_values()}).one())
