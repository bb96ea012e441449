"""Pooled PostgreSQL connections are checked on checkout without a round trip when nothing
says they died (core.db.init_connection_checks, in place of pool_pre_ping): one whose
backend the server ended is replaced, so a request never fails on it; one handed back a
moment ago is used without a ping."""

import time

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from campaign_app.api.operations import create_api_key
from campaign_app.auth.operations import create_user
from campaign_app.core.db import db


@pytest.fixture
def postgresql(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite has no server to close a connection")
        return db.engine.url


def _pooled_backends(engine) -> list[int]:
    """The server process ids of the connections the pool holds (all checked out at once,
    then handed back)."""
    connections = [engine.connect() for _ in range(max(engine.pool.checkedin(), 1))]
    try:
        return [c.exec_driver_sql("SELECT pg_backend_pid()").scalar() for c in connections]
    finally:
        for connection in connections:
            connection.close()


def _terminate(url, pids: list[int]) -> None:
    """End these backends from a connection of our own, as an administrator or a restart
    would, and wait until they are gone."""
    # Autocommit: pg_stat_activity is a snapshot kept for the rest of a transaction, so a
    # loop inside one never saw the backends go (the CI failure of 01:19).
    other = create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with other.connect() as connection:
        for pid in pids:
            assert connection.execute(text("SELECT pg_terminate_backend(:pid)"),
                                      {"pid": pid}).scalar()
        deadline = time.monotonic() + 10
        while connection.execute(text("SELECT count(*) FROM pg_stat_activity WHERE pid = "
                                      "ANY(:pids)"), {"pids": pids}).scalar():
            assert time.monotonic() < deadline, "the backends did not end"
            time.sleep(0.05)
    other.dispose()


def test_a_request_after_the_server_ended_every_pooled_connection_succeeds(
        app, postgresql, committed_data, other_app):
    """Fails (500, 'terminating connection due to administrator command') when a checked-in
    connection is handed out unchecked, as it is without pool_pre_ping or these checks."""
    web = other_app({"DATABASE_PING_AFTER_IDLE": 3600})  # only the socket can tell
    with web.app_context():
        admin = create_user("admin@example.org", "correct horse battery", "admin")
        _, token = create_api_key("CRM", "read", by=admin)
        db.session.commit()
        engine = db.engine
    client = web.test_client()
    headers = {"OSDI-API-Token": token}
    assert client.get("/api/v1/outreaches", headers=headers).status_code == 200
    ended = _pooled_backends(engine)
    _terminate(postgresql, ended)
    response = client.get("/api/v1/outreaches", headers=headers)
    assert response.status_code == 200, response.text[:500]
    assert not set(_pooled_backends(engine)) & set(ended)


def _pings(engine, monkeypatch) -> list:
    """The pings the engine's dialect makes from now on (SQLAlchemy's do_ping, counted)."""
    made = []
    original = engine.dialect.do_ping

    def counted(dbapi_connection):
        made.append(dbapi_connection)
        return original(dbapi_connection)

    monkeypatch.setattr(engine.dialect, "do_ping", counted)
    return made


def test_a_connection_just_handed_back_is_used_without_a_ping(app, postgresql, other_app,
                                                               monkeypatch):
    """The round trip this saves is the point: fails if every checkout pings."""
    web = other_app({"DATABASE_PING_AFTER_IDLE": 3600})
    with web.app_context():
        engine = db.engine
    first = _pooled_backends(engine)
    pings = _pings(engine, monkeypatch)
    assert _pooled_backends(engine) == first and pings == []


def test_a_connection_idle_longer_than_the_setting_is_pinged(app, postgresql, other_app,
                                                             monkeypatch):
    """An idle connection may have been dropped silently on the way (a firewall): pinged."""
    web = other_app({"DATABASE_PING_AFTER_IDLE": 0})
    with web.app_context():
        engine = db.engine
    first = _pooled_backends(engine)
    pings = _pings(engine, monkeypatch)
    assert _pooled_backends(engine) == first and len(pings) == len(first)
