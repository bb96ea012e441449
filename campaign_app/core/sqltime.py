"""Time buckets in SQL: text on SQLite ("2026-07-14 15:00"), a timestamp on PostgreSQL, where
date_trunc is much cheaper than formatting a million rows."""

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement
from sqlalchemy.types import NullType


class hour_bucket(FunctionElement):  # noqa: N801 (an SQL function, named like one)
    """The UTC hour a timestamp falls in."""

    type = NullType()
    inherit_cache = True


class day_bucket(FunctionElement):  # noqa: N801
    """The UTC day a timestamp falls in."""

    type = NullType()
    inherit_cache = True


@compiles(hour_bucket, "sqlite")
def _hour_sqlite(element, compiler, **kw):
    return f"strftime('%Y-%m-%d %H:00', {compiler.process(element.clauses, **kw)})"


@compiles(day_bucket, "sqlite")
def _day_sqlite(element, compiler, **kw):
    return f"strftime('%Y-%m-%d', {compiler.process(element.clauses, **kw)})"


@compiles(hour_bucket, "postgresql")
def _hour_postgresql(element, compiler, **kw):
    column = compiler.process(element.clauses, **kw)
    return f"date_trunc('hour', {column} AT TIME ZONE 'UTC')"


@compiles(day_bucket, "postgresql")
def _day_postgresql(element, compiler, **kw):
    column = compiler.process(element.clauses, **kw)
    return f"date_trunc('day', {column} AT TIME ZONE 'UTC')"
