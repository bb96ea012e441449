"""Liveness and readiness probes (issue 19 item 1): /readyz names what is down, /healthz
answers whatever is down, and neither leaks settings nor sets a cookie."""

import socket

import pytest
from alembic.script import ScriptDirectory
from flask_migrate import upgrade
from sqlalchemy import text

from campaign_app.core.db import db
from campaign_app.health.checks import shipped_revisions
from campaign_app.health.tasks import beat_heartbeat
from tests.conftest import REPO, TMP

pytestmark = pytest.mark.full_data


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens once the socket closes


def _probe(app, path):
    response = app.test_client().get(path)
    assert "Set-Cookie" not in response.headers, path
    return response


def _assert_no_settings(app, response):
    """Nothing the operator configured shows: URLs, ports, keys."""
    body = response.get_data(as_text=True)
    for value in (app.config["SQLALCHEMY_DATABASE_URI"], app.config["CELERY"]["broker_url"],
                  app.config["SECRET_KEY"], "127.0.0.1", "sqlite", "redis", "postgresql"):
        assert value not in body


def test_ready_when_everything_answers(app, client, full_data):
    """Item 1: 200 with every check ok; beat's heartbeat is reported once it ran."""
    response = _probe(app, "/readyz")
    assert response.status_code == 200, response.json
    report = response.json
    assert report["status"] == "ok" and report["failing"] == []
    assert {name for name, check in report["checks"].items() if check["ok"]} == {
        "database", "migrations", "broker", "congress_data", "beat"}
    assert report["checks"]["congress_data"]["age_days"] >= 0
    assert response.headers["Cache-Control"] == "no-store"
    _assert_no_settings(app, response)

    beat_heartbeat()  # as beat would: twice is the same as once
    beat_heartbeat()
    beat = _probe(app, "/readyz").json["checks"]["beat"]
    assert beat["stale"] is False and 0 <= beat["last_beat_seconds_ago"] < 60
    assert _probe(app, "/healthz").json == {"status": "ok"}


def test_a_stopped_beat_is_a_warning_not_a_failure(app, client, monkeypatch):
    """Item 1: a web process stays in the load balancer while beat is down."""
    beat_heartbeat()
    monkeypatch.setitem(app.config, "HEARTBEAT_STALE_SECONDS", -1)
    response = _probe(app, "/readyz")
    assert response.status_code == 200
    assert response.json["warnings"] == ["beat"]
    assert response.json["checks"]["beat"]["stale"] is True


def test_unready_when_the_database_is_unreachable(app, other_app):
    """Item 1: the database at a closed port: 503 naming it; liveness still 200."""
    down = other_app({"SQLALCHEMY_DATABASE_URI":
                      f"postgresql+psycopg://alerta:secret@127.0.0.1:{_closed_port()}/alerta"})
    response = _probe(down, "/readyz")
    assert response.status_code == 503
    assert response.json["failing"] == ["database"]
    assert response.json["checks"]["migrations"]["skipped"] is True
    _assert_no_settings(down, response)
    assert "secret" not in response.get_data(as_text=True)
    assert _probe(down, "/healthz").status_code == 200


def test_unready_when_a_migration_is_pending(app, other_app):
    """Item 1: a database one revision behind the code: 503 naming migrations."""
    path = TMP / "readiness-behind.sqlite"
    path.unlink(missing_ok=True)
    behind = other_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    scripts = ScriptDirectory(str(REPO / "migrations"))
    (head,) = scripts.get_heads()
    with behind.app_context():
        upgrade(revision=scripts.get_revision(head).down_revision)
        db.session.remove()
    response = _probe(behind, "/readyz")
    assert response.status_code == 503
    assert response.json["failing"] == ["migrations"]
    assert response.json["checks"]["migrations"]["error"] == "migration pending"
    assert _probe(behind, "/healthz").status_code == 200

    with behind.app_context():
        upgrade()
        db.session.remove()
    assert _probe(behind, "/readyz").json["checks"]["migrations"]["ok"] is True


def test_unready_when_the_broker_is_unreachable(app, other_app, monkeypatch):
    """Item 1: the broker at a closed port: 503 naming it, quickly; liveness still 200."""
    # Celery prefers CELERY_BROKER_URL from the environment over its settings; the
    # settings hold the same URL (config.py reads it), so only the closed port changes.
    monkeypatch.delenv("CELERY_BROKER_URL")
    down = other_app({"CELERY": {**app.config["CELERY"], "broker_transport_options": {},
                                 "broker_url": f"redis://127.0.0.1:{_closed_port()}/0"}})
    response = _probe(down, "/readyz")
    assert response.status_code == 503
    assert response.json["failing"] == ["broker"]
    _assert_no_settings(down, response)
    assert _probe(down, "/healthz").status_code == 200


def test_readiness_reads_the_revisions_as_alembic_does():
    """Issue 20, item 4: readiness reads the migrations' revisions without Alembic; its
    reading must be Alembic's (every revision, and the heads a database must be at)."""
    scripts = ScriptDirectory(str(REPO / "migrations"))
    revisions, heads = shipped_revisions()
    assert heads == set(scripts.get_heads())
    assert revisions == {script.revision for script in scripts.walk_revisions()}


def test_unknown_revision_when_the_database_is_ahead_of_the_code(app, other_app):
    """A database upgraded by newer code (a revision this code doesn't ship): not ready."""
    path = TMP / "readiness-ahead.sqlite"
    path.unlink(missing_ok=True)
    ahead = other_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with ahead.app_context():
        upgrade()
        db.session.execute(text("UPDATE alembic_version SET version_num = 'from_the_future'"))
        db.session.commit()
        db.session.remove()
    response = _probe(ahead, "/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["migrations"]["error"] == "unknown revision"
