"""A forked child (a gunicorn worker under --preload) opens its own database connections
rather than sharing the parent's, and the parent's stay usable."""

import os

from sqlalchemy import text

from campaign_app.core.db import db


def _connection_id() -> str:
    """What tells one database connection from another: the server process on PostgreSQL,
    the driver's connection object on SQLite."""
    if db.engine.dialect.name == "postgresql":
        return str(db.session.scalar(text("SELECT pg_backend_pid()")))
    return str(id(db.session.connection().connection.dbapi_connection))


def test_a_forked_child_uses_its_own_connections(app):
    with app.app_context():
        parent = _connection_id()
        db.session.commit()  # the connection goes back to the pool, as between requests
        reading, writing = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: report its connection, never run the parent's teardown
            try:
                os.write(writing, _connection_id().encode())
                db.session.commit()
            finally:
                os._exit(0)
        os.close(writing)
        child = os.read(reading, 100).decode()
        os.waitpid(pid, 0)
        assert child and child != parent
        assert _connection_id() == parent  # the parent's connection survived the child
        db.session.commit()
