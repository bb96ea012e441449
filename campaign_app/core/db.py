"""The declarative base, a naming convention so Alembic names constraints alike everywhere."""

import os
import select
import time
import weakref
from datetime import UTC, datetime

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import DateTime, MetaData, event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, registry
from sqlalchemy.sql.dml import Insert
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """A UTC timestamp that comes back time-zone aware on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime},
    )


db = SQLAlchemy(model_class=Base)

#: `session.info` key: rows inserted by `insert_unless_taken`, which the unit of work never
#: saw, for the listeners that watch what a transaction creates (the webhook outbox).
INSERTED = "rows_inserted_by_statement"


class _OnConflictDoNothing(ClauseElement):
    """`ON CONFLICT (key) DO NOTHING`, written alike by PostgreSQL and SQLite.

    SQLAlchemy's own (`postgresql.insert(…).on_conflict_do_nothing`) has no cache key, so
    every statement holding it was compiled again on every execution: a third of a form
    POST's statement work. This one has a key, and its statements are compiled once.
    """

    __visit_name__ = "alerta_on_conflict_do_nothing"
    _traverse_internals = [("key", InternalTraversal.dp_clauseelement)]

    def __init__(self, key):
        self.key = key


@compiles(_OnConflictDoNothing)
def _on_conflict_do_nothing(element, compiler, **kw):
    return f"ON CONFLICT ({compiler.preparer.quote(element.key.name)}) DO NOTHING"


class _InsertUnlessTaken(Insert):
    inherit_cache = True  # Insert's key covers the clause after VALUES

    def __init__(self, model, key):
        super().__init__(model)
        self._post_values_clause = _OnConflictDoNothing(key)


def insert_unless_taken(model, values: dict, key):
    """Insert a row unless another one already holds `key` (its unique column), in one round
    trip: INSERT … ON CONFLICT (key) DO NOTHING RETURNING, where the ORM's insert inside a
    savepoint takes three. Returns the new ORM object, persistent in the session, or None
    when the key was taken (another transaction got there first, or committed it before).
    The row is noted in `session.info[INSERTED]`, as a flush would show it in `session.new`.
    """
    session = db.session
    statement = _InsertUnlessTaken(model, key).values(**values).returning(model)
    row = session.scalars(statement).first()
    if row is not None:
        session.info.setdefault(INSERTED, []).append(row)
    return row


def init_sqlite(app) -> None:
    """Tune our SQLite engine: web, worker and beat write one file at once.

    WAL and a busy timeout let them share it; and the driver is told to leave transaction
    control to SQLAlchemy, so that SAVEPOINTs (begin_nested) behave as on PostgreSQL.
    """
    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, connection_record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection):
        # IMMEDIATE takes the write lock up front: a deferred transaction that reads, then
        # writes after another process committed, fails at once with "database is locked"
        # instead of waiting out the busy timeout.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


#: connection_record.info key: when the connection was last handed back to the pool.
_IDLE_SINCE = "idle_since"


def init_connection_checks(app) -> None:
    """Check a pooled PostgreSQL connection as it is checked out, in place of SQLAlchemy's
    pool_pre_ping, which costs a round trip on every checkout (0.7 ms of an API page).

    Between queries the server says nothing to a connection, except when it is closing it
    (a terminated backend, a shutdown or restart: the socket then holds the server's last
    message or its end) or, rarely, to report a changed setting. So a connection whose
    socket has nothing to read, and that was in use a moment ago, is handed out as it is;
    one whose socket has something, or that sat idle longer than the setting
    DATABASE_PING_AFTER_IDLE (seconds: a firewall or an idle timeout on the way may drop a
    connection without a word), is pinged; one that fails the ping is thrown away and the
    pool opens another, as with pool_pre_ping (a request never sees the dead connection).
    """
    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "postgresql":
        return
    ping_after_idle = app.config["DATABASE_PING_AFTER_IDLE"]

    @event.listens_for(engine, "connect")
    @event.listens_for(engine, "checkin")
    def _idle_from_now(dbapi_connection, connection_record):
        connection_record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _check(dbapi_connection, connection_record, connection_proxy):
        idle_since = connection_record.info.get(_IDLE_SINCE, float("-inf"))
        if time.monotonic() - idle_since < ping_after_idle \
                and not server_spoke(dbapi_connection):
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as exc:
            raise DisconnectionError(f"pooled connection failed its ping: {exc}") from exc


def server_spoke(dbapi_connection) -> bool:
    """Whether an idle psycopg connection's socket has something to read (or is closed)."""
    if dbapi_connection.closed or dbapi_connection.broken:
        return True
    poller = select.poll()
    poller.register(dbapi_connection.fileno(), select.POLLIN)
    return bool(poller.poll(0))


#: Engines of every app made in this process, for `_after_fork`.
_engines: "weakref.WeakSet" = weakref.WeakSet()


def _after_fork() -> None:
    """In a forked child (a gunicorn worker under --preload, a Celery pool process): drop
    the pooled connections inherited from the parent without closing them, since they are
    the parent's to use; the child opens its own. (Redis clients do the same by themselves:
    redis-py's pool checks the process id.)"""
    for engine in list(_engines):
        engine.dispose(close=False)


os.register_at_fork(after_in_child=_after_fork)


def init_fork_safety(app) -> None:
    """The app's engine forgets the parent's connections in a forked child."""
    with app.app_context():
        _engines.add(db.engine)
