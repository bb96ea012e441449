"""The in-memory index stays right when another process syncs."""

import time

import pytest

from campaign_app.congress.operations import sync_congress
from campaign_app.congress.queries import lookup_zip
from campaign_app.core.db import db
from tests.congress.test_resync import NINA, SENATORS, TESS, write_data


@pytest.fixture
def other_process(db_session):
    """A second app, as in another gunicorn or Celery process: its own index, same database."""
    from campaign_app import create_app

    other = create_app({"CONGRESS_INDEX_CHECK_SECONDS": 0.3})
    yield other
    with other.app_context():
        db.engine.dispose()


def test_a_sync_elsewhere_reaches_every_process_within_the_check_interval(
        app, other_process, db_session, tmp_path):
    sync_congress(write_data(tmp_path / "first", TESS + SENATORS))
    with other_process.app_context():
        assert lookup_zip("82001").representatives[0].display_name == "Tess Tester"

    # Another process (here: the tests' app) syncs new data.
    sync_congress(write_data(tmp_path / "second", NINA + SENATORS))
    assert lookup_zip("82001").representatives[0].display_name == "Nina Newcomer"
    with other_process.app_context():
        # Within the interval the process keeps serving from memory, without a query…
        assert lookup_zip("82001").representatives[0].display_name == "Tess Tester"
        time.sleep(0.35)
        # …and after it, it notices the newer sync and rebuilds.
        assert lookup_zip("82001").representatives[0].display_name == "Nina Newcomer"


def test_no_data_loaded_gives_empty_lookups_not_errors(app, db_session):
    from sqlalchemy import delete

    from campaign_app.congress.models import (
        CongressSync,
        DistrictOffice,
        Legislator,
        ZipDistrict,
    )

    for model in (CongressSync, DistrictOffice, ZipDistrict, Legislator):
        db.session.execute(delete(model))
    result = lookup_zip("82001")
    assert not result.found and result.members == ()
