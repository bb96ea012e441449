"""Time buckets in SQL that read alike on SQLite and PostgreSQL: "2026-07-14 15:00"."""

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement


class hour_bucket(FunctionElement):  # noqa: N801 (an SQL function, named like one)
    """The UTC hour a timestamp falls in, as text 'YYYY-MM-DD HH:00'."""

    type = String()
    inherit_cache = True


class day_bucket(FunctionElement):  # noqa: N801
    """The UTC day a timestamp falls in, as text 'YYYY-MM-DD'."""

    type = String()
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
    return f"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:00')"


@compiles(day_bucket, "postgresql")
def _day_postgresql(element, compiler, **kw):
    column = compiler.process(element.clauses, **kw)
    return f"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
