"""Collection pages: page, per_page, OSDI's filter, and keyset pagination underneath.

A client asks for page N; the rows come from a seek on the key (`id > last key`), never an
OFFSET over the rows. Each `next` link carries the last key of its page and the total the
first page counted (`after=<key>-<total>`), so a client that follows the links reads every
page at the cost of the first, without counting the collection again; a client that jumps to
page N without one gets its first key from an index-only seek over the keys.
"""

import math
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache

from sqlalchemy import Integer, Select, and_, bindparam, func, literal_column, or_, select

from ..core.db import db
from .errors import ApiError

MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 25
#: The subset of OData that OSDI uses for incremental sync: modified_date gt '2026-11-01'.
_CONDITION = re.compile(r"\s*(modified_date|created_date)\s+(gt|ge|lt|le|eq)\s+"
                        r"'([0-9T:.+\-Z ]{10,35})'\s*")
OPERATORS = {"gt": "__gt__", "ge": "__ge__", "lt": "__lt__", "le": "__le__", "eq": "__eq__"}


@dataclass(frozen=True)
class Condition:
    field: str
    operator: str
    moment: datetime


@dataclass
class PageRequest:
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    #: The last key of the page before (from a next link), as its parts.
    after: tuple[int, ...] | None = None
    #: The total the first page counted, carried by the next links.
    total: int | None = None
    conditions: list[Condition] = field(default_factory=list)


def parse_filter(text: str) -> list[Condition]:
    """`modified_date gt '2026-11-01T00:00:00Z' and modified_date lt '…'` → conditions."""
    conditions = []
    for part in re.split(r"\s+and\s+", text.strip()):
        match = _CONDITION.fullmatch(part)
        if not match:
            raise ApiError(400, "filter", "use modified_date or created_date with gt, ge, lt, "
                           "le or eq and a quoted ISO 8601 time, joined by 'and': "
                           "modified_date gt '2026-11-01T00:00:00Z'")
        try:
            moment = datetime.fromisoformat(match.group(3).strip().replace("Z", "+00:00"))
        except ValueError:
            raise ApiError(400, "filter", f"'{match.group(3)}' is not an ISO 8601 time") \
                from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        conditions.append(Condition(match.group(1), match.group(2), moment))
    if len(conditions) > 4:
        raise ApiError(400, "filter", "at most 4 conditions")
    return conditions


def parse_after(text: str, parts: int) -> tuple[tuple[int, ...], int]:
    """`12.34-1000` → the key (12, 34) and the total 1000."""
    key, _, total = text.partition("-")
    pieces = key.split(".")
    if len(pieces) != parts or not all(p.isdigit() and len(p) < 19 for p in pieces) \
            or not total.isdigit() or len(total) > 12:
        raise ApiError(400, "after", "use the value from a next link")
    return tuple(int(p) for p in pieces), int(total)


def page_request(args: dict, key_parts: int = 1) -> PageRequest:
    request = PageRequest(page=args.get("page", 1), per_page=args.get("per_page",
                                                                      DEFAULT_PER_PAGE))
    if args.get("after"):
        request.after, request.total = parse_after(args["after"], key_parts)
    if args.get("filter"):
        request.conditions = parse_filter(args["filter"])
    return request


def filter_shape(request: PageRequest) -> tuple[tuple[str, str], ...]:
    """The filter's conditions without their times: the part of a page's SQL they decide."""
    return tuple((c.field, c.operator) for c in request.conditions)


def where(shape: tuple[tuple[str, str], ...], columns: dict) -> list:
    """The filter's conditions on the columns that hold modified_date and created_date, each
    time a parameter (`filter_values` gives them)."""
    return [getattr(columns[field], OPERATORS[operator])(bindparam(f"filter_{n}"))
            for n, (field, operator) in enumerate(shape)]


def filter_values(request: PageRequest) -> dict:
    return {f"filter_{n}": c.moment for n, c in enumerate(request.conditions)}


def _after(keys, after):
    """Rows after the key, ordered by the key's columns (a row-value comparison, written
    out so that it reads the same on every database)."""
    clauses = []
    for position in range(len(keys)):
        equal = [keys[i] == after[i] for i in range(position)]
        clauses.append(and_(*equal, keys[position] > after[position]))
    return or_(*clauses)


#: How many listings (and statements of each) a process keeps: a client's filters make a
#: shape each, so the number has a bound.
KEPT_SHAPES = 256


@dataclass(frozen=True, eq=False)
class Listing:
    """A collection's rows as one query (its columns and conditions, each condition's value
    a bound parameter) and the keys it is ordered by. Build it once per shape of conditions
    (`functools.lru_cache` on the function that builds it): each page then runs statements
    that SQLAlchemy compiled, and PostgreSQL planned, before; only the values change.
    `keys_only` selects just the keys under the same conditions (default: `query` narrowed
    to them): the total counts it, and a page asked for by number alone finds its first key
    in it (an index-only scan)."""

    query: Select
    keys: tuple
    keys_only: Select | None = None

    @property
    def key_rows(self) -> Select:
        return self.keys_only if self.keys_only is not None else \
            self.query.with_only_columns(*self.keys)


@lru_cache(maxsize=KEPT_SHAPES)
def _count(listing: Listing) -> Select:
    return select(func.count()).select_from(listing.key_rows.subquery())


@lru_cache(maxsize=KEPT_SHAPES)
def _first_key(listing: Listing) -> Select:
    """The first key of a page asked for by number alone."""
    return listing.key_rows.order_by(*listing.keys).offset(bindparam("skipped")).limit(1)


@lru_cache(maxsize=KEPT_SHAPES)
def _rows(listing: Listing, start: str, per_page: int) -> Select:
    """The page's rows from the start ("after" the key `after_<n>`, "from" the key
    `from_<n>`, or the collection's first), ordered by the keys."""
    keys = listing.keys
    ordered = listing.query.order_by(*keys)
    if start == "after":
        ordered = ordered.where(_after(keys, [bindparam(f"after_{n}") for n in range(len(keys))]))
    elif start == "from":
        first = [bindparam(f"from_{n}") for n in range(len(keys))]
        ordered = ordered.where(or_(_after(keys, first),
                                    and_(*[k == v for k, v in zip(keys, first, strict=True)])))
    # The limit is written into the SQL, not sent as a parameter: PostgreSQL then keeps one
    # generic plan of the prepared statement (psycopg prepares a statement run five times).
    # With a parameter it assumes a tenth of the rows and plans each page again (~1.3 ms).
    return ordered.limit(literal_column(str(int(per_page)), Integer))


@dataclass
class Page:
    #: The page's rows (Core rows, or ORM objects for a select of one entity).
    rows: list
    keys: list[tuple]
    total_records: int
    request: PageRequest
    #: The page's resources and their self links as JSON texts, when the database built
    #: them (then `rows` is empty).
    json: tuple[str, str] | None = None

    @property
    def total_pages(self) -> int:
        return max(1, math.ceil(self.total_records / self.request.per_page))

    @property
    def next_after(self) -> str | None:
        if self.request.page >= self.total_pages or not self.keys:
            return None
        return ".".join(str(part) for part in self.keys[-1]) + f"-{self.total_records}"


def page_of(listing: Listing, request: PageRequest, values: dict | None = None, *,
            as_json=None) -> Page:
    """The requested page of `listing` (`values`: its parameters, the filter's times added
    here), in one seek on its keys. `as_json(statement, values)`, if given, runs the page's
    statement and returns its resources' JSON, their self links' JSON, its last key and its
    length (`json_pages.page_json`)."""
    values = {**(values or {}), **filter_values(request)}
    total = request.total if request.total is not None else db.session.scalar(
        _count(listing), values)
    start = "first"
    if request.after is not None:
        start = "after"
        values.update({f"after_{n}": part for n, part in enumerate(request.after)})
    elif request.page > 1:
        first = db.session.execute(_first_key(listing), {
            **values, "skipped": (request.page - 1) * request.per_page}).first()
        if first is None:
            return Page(rows=[], keys=[], total_records=total, request=request,
                        json=("[]", "[]") if as_json is not None else None)
        start = "from"
        values.update({f"from_{n}": part for n, part in enumerate(first)})
    statement = _rows(listing, start, request.per_page)
    if as_json is not None:
        items, links, last, length = as_json(statement, values)
        return Page(rows=[], keys=[(last,)] if length else [], total_records=total,
                    request=request, json=(items, links))
    result = db.session.execute(statement, values)
    query = listing.query
    entity = len(query.column_descriptions) == 1 and \
        isinstance(query.column_descriptions[0]["type"], type)
    rows = result.scalars().all() if entity else result.all()
    names = [key.key for key in listing.keys]
    return Page(rows=rows, keys=[tuple(getattr(row, name) for name in names) for row in rows],
                total_records=total, request=request)
