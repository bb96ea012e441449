"""Concurrent inserts made deterministic: another transaction writes the same row between an
operation's lookup and its insert."""

from contextlib import contextmanager

from sqlalchemy import event


@contextmanager
def _just_before_the_insert(connection, statement, play):
    """Run `play` once, just before the operation writes `statement`'s table: before the
    savepoint it opens around its own ORM insert, or before its one-statement insert
    (INSERT … ON CONFLICT DO NOTHING)."""
    armed = {"on": True}
    own_insert = f"INSERT INTO {statement.table.name} "

    def _race(conn, cursor, sql, parameters, context, executemany):
        if armed["on"] and (sql.startswith("SAVEPOINT") or sql.startswith(own_insert)):
            armed["on"] = False
            play(conn)

    event.listen(connection, "before_cursor_execute", _race)
    try:
        yield
    finally:
        event.remove(connection, "before_cursor_execute", _race)
    assert not armed["on"], "the operation never tried to insert: no race was played"


def row_inserted_first(connection, statement):
    """Run `statement` (the other transaction's INSERT) just before the operation's insert,
    so its lookup found nothing and its insert collides.

    On SQLite, where BEGIN IMMEDIATE serializes writers, the same connection plays the other
    transaction; the code under test sees exactly what it would see on PostgreSQL: no row at
    the lookup, a unique key taken at the insert, the row at the second lookup."""
    return _just_before_the_insert(connection, statement, lambda conn: conn.execute(statement))


def row_committed_first(connection, engine, statement):
    """PostgreSQL: a real second session, on its own connection, inserts and commits
    `statement` just before the operation's own insert. The operation's lookup found
    nothing; its insert collides with a row another transaction committed, and its second
    lookup must see that row (READ COMMITTED). The rows the statement refers to must be
    committed too (`committed_data`)."""
    def commit_elsewhere(conn):
        with engine.begin() as other:
            other.execute(statement)
    return _just_before_the_insert(connection, statement, commit_elsewhere)


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
