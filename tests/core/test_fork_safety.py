"""A forked child (a gunicorn worker under --preload) opens its own database connections
rather than sharing the parent's, and the parent's stay usable. On PostgreSQL, where a
connection is a server process whose id tells one from another."""

import os

import pytest
from sqlalchemy import text

from campaign_app.core.db import db


def _backend() -> int:
    return db.session.scalar(text("SELECT pg_backend_pid()"))


def test_a_forked_child_uses_its_own_connections(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("a connection's server process is PostgreSQL's")
        parents = {_backend()}
        db.session.commit()  # the connection goes back to the pool, as between requests
        reading, writing = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: report its connection, never run the parent's teardown
            try:
                os.write(writing, str(_backend()).encode())
                db.session.commit()
            finally:
                os._exit(0)
        os.close(writing)
        child = os.read(reading, 100).decode()
        os.waitpid(pid, 0)
        parents.add(_backend())  # the parent's pool still works after the child
        db.session.commit()
        assert child and int(child) not in parents
