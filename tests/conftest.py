"""Test set-up: one app for the session, a migrated database, a rollback per test.

The suite runs on the embedded default (SQLite files, kombu's SQLAlchemy broker) unless
DATABASE_URL and CELERY_BROKER_URL point at PostgreSQL and Redis, as in the second CI run.
Settings are read from the environment at import, so the worker subprocess of the end-to-end
tests, started with the same environment, sees the same database, broker and SMTP server.
"""

import os
import re
import shutil
import socket
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TMP = Path(tempfile.mkdtemp(prefix="alerta-tests-"))


def pytest_sessionfinish(session, exitstatus):
    """The temporary directory goes once the session is over: by then the session fixtures
    (the worker processes that use it, the database engines) have been torn down."""
    shutil.rmtree(TMP, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


SMTP_PORT = _free_port()
os.environ.update({
    "ALERTA_ENV": "testing",
    "ALERTA_INSTANCE_DIR": str(TMP / "instance"),
    "MAIL_SERVER": "127.0.0.1",
    "MAIL_PORT": str(SMTP_PORT),
    "MAIL_TIMEOUT": "10",
})
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP / 'alerta-test.sqlite'}")
os.environ.setdefault("CELERY_BROKER_URL", f"sqla+sqlite:///{TMP / 'broker.sqlite'}")


def _hypothesis_profiles() -> None:
    """Property tests explore new inputs on each developer run; CI replays a fixed set, so
    that a run is repeatable (set HYPOTHESIS_PROFILE=explore to search longer)."""
    from hypothesis import settings

    settings.register_profile("dev", max_examples=150)
    settings.register_profile("ci", max_examples=150, derandomize=True, print_blob=True)
    settings.register_profile("explore", max_examples=3000)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE")
                          or ("ci" if os.environ.get("CI") else "dev"))


_hypothesis_profiles()


def congress_data_dir() -> Path | None:
    configured = os.environ.get("ALERTA_CONGRESS_DATA")
    path = Path(configured) if configured else REPO.parent / "shared" / "data"
    return path if (path / "zccd" / "zccd.csv").exists() or path.is_dir() and any(
        path.rglob("zccd.csv")) else None


def _reset_database(url: str) -> None:
    """An empty database, so that the migrations run from nothing."""
    from sqlalchemy import create_engine, text

    if url.startswith("sqlite"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        return
    database = re.sub(r"\?.*$", "", url).rsplit("/", 1)[-1]
    if "test" not in database:
        raise pytest.UsageError(f"refusing to wipe {database!r}: a test database's name "
                                "must contain 'test'")
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _own_csrf_client_class():
    from flask import g, has_app_context
    from flask.testing import FlaskClient

    class OwnCsrfClient(FlaskClient):
        """Flask-WTF caches the CSRF token in `g`; a test that keeps one app context open
        across several clients (browsers) must not hand one client's token to another."""

        def open(self, *args, **kwargs):
            if has_app_context():
                g.pop("csrf_token", None)
            return super().open(*args, **kwargs)

    return OwnCsrfClient


_OwnCsrfClient = _own_csrf_client_class()


@pytest.fixture(scope="session")
def app():
    from flask_migrate import upgrade

    from campaign_app import create_app
    from campaign_app.core.db import db

    _reset_database(os.environ["DATABASE_URL"])
    app = create_app()
    with app.app_context():
        upgrade()
        data = congress_data_dir()
        if data is not None:
            from campaign_app.congress.operations import sync_congress
            from campaign_app.congress.sources import CongressFiles

            sync_congress(CongressFiles.from_location(str(data)))
            db.session.commit()
        SEEDED_TABLES.update(_tables_with_rows())
        db.session.remove()
    app.config["CONGRESS_DATA_LOADED"] = data is not None
    app.test_client_class = _OwnCsrfClient
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def full_data(app):
    if not app.config["CONGRESS_DATA_LOADED"]:
        if os.environ.get("CI"):
            pytest.fail("CI must provide the congress data (ALERTA_CONGRESS_DATA)")
        pytest.skip("no congress data: set ALERTA_CONGRESS_DATA or put shared/data beside")
    return congress_data_dir()


@pytest.fixture
def geocoder(app, monkeypatch):
    """A local stand-in for the Census Geocoder, configured as the app's geocoder."""
    from tests.services import GeocoderStub

    stub = GeocoderStub()
    monkeypatch.setitem(app.config, "GEOCODER", "census")
    monkeypatch.setitem(app.config, "GEOCODER_URL", stub.url)
    monkeypatch.setitem(app.config, "GEOCODER_TIMEOUT", 0.5)
    yield stub
    stub.stop()


def _connection_bound_session_class():
    from flask_sqlalchemy.session import Session

    class ConnectionBoundSession(Session):
        """Flask-SQLAlchemy picks the engine per table; a test wants its one connection."""

        def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
            return bind or self.bind

    return ConnectionBoundSession


_ConnectionBoundSession = _connection_bound_session_class()


def _session_on(connection):
    """A scoped session like Flask-SQLAlchemy's own (one per app context), made with public
    API only, on the test's connection: a commit releases a savepoint, the test's
    transaction stays open."""
    from flask import g
    from sqlalchemy.orm import scoped_session, sessionmaker

    from campaign_app.core.db import db

    factory = sessionmaker(class_=_ConnectionBoundSession, db=db, query_cls=db.Query,
                           bind=connection, join_transaction_mode="create_savepoint")
    # `g` is one object per app context: the key Flask-SQLAlchemy scopes its sessions by.
    return scoped_session(factory, scopefunc=lambda: id(g._get_current_object()))


@pytest.fixture
def db_session(app):
    """The test's session: everything it writes is rolled back at the end."""
    from campaign_app.core.db import db

    with app.app_context():
        connection = db.engine.connect()
        transaction = connection.begin()
        original = db.session
        db.session = _session_on(connection)
        try:
            yield db.session
        finally:
            db.session.remove()
            db.session = original
            transaction.rollback()
            connection.close()


@pytest.fixture
def client(app, db_session):
    return app.test_client()


@pytest.fixture
def login(client):
    from tests.factories import add_user
    from tests.helpers import submit_form

    def log_in(role="viewer", email=None):
        email = email or f"{role}@example.org"
        add_user(email=email, role=role, password="correct horse battery")  # noqa: S106
        response = submit_form(client, "/login", {"email": email,
                                                  "password": "correct horse battery"})
        assert response.status_code == 302, response.text
        return client

    return log_in


@pytest.fixture
def cwc_server(app, monkeypatch):
    """The strict CWC stand-in, configured as the app's CWC with settings CWC accepts."""
    from campaign_app.delivery import cwc
    from tests.services import CWC_SETTINGS, CwcServer

    with CwcServer(offices={"HWY00", "SWY01", "SWY02"}) as server:
        for key, value in {**CWC_SETTINGS, "CWC_BASE_URL": server.url}.items():
            monkeypatch.setitem(app.config, key, value)
        cwc._offices_cache.clear()
        yield server
    cwc._offices_cache.clear()


@pytest.fixture
def smtp():
    """A real SMTP server (aiosmtpd) on the port the app sends to."""
    from tests.services import start_smtp

    controller, sink = start_smtp(SMTP_PORT)
    yield sink
    controller.stop()


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (CI installs it; see .ci/run)."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI must provide {CHROMIUM}")
        pytest.skip(f"no {CHROMIUM}: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def live_server(app):
    """The app served over HTTP on a free port, in a thread, for the browser tests."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def other_app(app):
    """A second app on the same database with some settings changed (a broker at a closed
    port, a proxy in front). Creating it makes its Celery app the default; the test's app
    gets that back afterwards, so later tasks run with the test's settings."""
    from campaign_app import create_app
    from campaign_app.core.db import db

    made = []

    def make(settings: dict):
        made.append(create_app(settings))
        return made[-1]

    yield make
    app.extensions["celery"].set_current()
    app.extensions["celery"].set_default()
    for other in made:
        with other.app_context():
            db.engine.dispose()


@pytest.fixture
def scratch_database_url(app):
    """The URL of a second, empty database to migrate (a file on SQLite, a schema on
    PostgreSQL), removed afterwards: give it to `other_app`."""
    import sqlalchemy as sa

    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("sqlite"):
        path = TMP / "migration-scratch.sqlite"
        path.unlink(missing_ok=True)
        yield f"sqlite:///{path}"
        return
    schema = "migration_scratch"
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in url else "?"
    yield f"{url}{separator}options=-csearch_path%3D{schema}"
    with engine.begin() as connection:
        connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    engine.dispose()


#: Tables filled before the first test, which every test reads: the congress data the `app`
#: fixture loads and any rows the migrations seed. Filled in by `app`.
SEEDED_TABLES: set[str] = set()


def _tables_with_rows() -> set[str]:
    from sqlalchemy import exists, select

    from campaign_app.core.db import db

    return {table.name for table in db.metadata.sorted_tables
            if db.session.scalar(select(exists().select_from(table)))}


def delete_test_data() -> list[str]:
    """Delete every row a test committed, children before parents, from every table but the
    seeded ones: a new table is cleaned without being listed (issue 14, item 8). Returns the
    names of the tables emptied."""
    from campaign_app.core.db import db

    emptied = []
    for table in reversed(db.metadata.sorted_tables):
        if table.name not in SEEDED_TABLES:
            db.session.execute(table.delete())
            emptied.append(table.name)
    db.session.commit()
    return emptied


@pytest.fixture
def committed_data(app):
    """For tests whose data other threads or processes must see: committed, then removed."""
    yield
    with app.app_context():
        delete_test_data()
