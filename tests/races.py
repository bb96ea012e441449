"""Concurrent inserts made deterministic: another transaction writes the same row between an
operation's lookup and its insert."""

from contextlib import contextmanager

from sqlalchemy import event


@contextmanager
def row_inserted_first(connection, statement):
    """Run `statement` (the other transaction's INSERT) just before the operation writes the
    same table: before the savepoint it opens around its own insert, or before its one-
    statement insert (INSERT … ON CONFLICT DO NOTHING). Its lookup found nothing and its
    insert collides.

    On SQLite, where BEGIN IMMEDIATE serializes writers, the same connection plays the other
    transaction; the code under test sees exactly what it would see on PostgreSQL: no row at
    the lookup, a unique key taken at the insert, the row at the second lookup."""
    armed = {"on": True}
    own_insert = f"INSERT INTO {statement.table.name} "

    def _race(conn, cursor, sql, parameters, context, executemany):
        if armed["on"] and (sql.startswith("SAVEPOINT") or sql.startswith(own_insert)):
            armed["on"] = False
            conn.execute(statement)

    event.listen(connection, "before_cursor_execute", _race)
    try:
        yield
    finally:
        event.remove(connection, "before_cursor_execute", _race)
    assert not armed["on"], "the operation never tried to insert: no race was played"


@contextmanager
def statements_seen(connection):
    """The first word of every statement run on `connection` inside the block (INSERT,
    SAVEPOINT, …): shows that an operation found a row without trying to write it."""
    seen: list[str] = []

    def _seen(conn, cursor, sql, parameters, context, executemany):
        seen.append(sql.split()[0].upper())

    event.listen(connection, "before_cursor_execute", _seen)
    try:
        yield seen
    finally:
        event.remove(connection, "before_cursor_execute", _seen)
