"""The in-memory index stays right when another process syncs."""

import time

from campaign_app.congress.index import IndexHolder
from campaign_app.congress.operations import sync_congress
from campaign_app.congress.queries import lookup_zip
from campaign_app.core.db import db
from tests.congress.test_resync import NINA, SENATORS, TESS, write_data


def test_a_sync_elsewhere_reaches_every_process_within_the_check_interval(db_session,
                                                                         tmp_path):
    # Another gunicorn or Celery process: its own index holder, checking every 0.3 s.
    other_process = IndexHolder(check_seconds=0.3)
    sync_congress(write_data(tmp_path / "first", TESS + SENATORS))
    assert _representative(other_process.get()) == "Tess Tester"

    # This process syncs new data; its own lookups (checking every time in tests) see it.
    sync_congress(write_data(tmp_path / "second", NINA + SENATORS))
    assert lookup_zip("82001").representatives[0].display_name == "Nina Newcomer"
    # Within the interval the other process keeps serving from memory, without a query…
    assert _representative(other_process.get()) == "Tess Tester"
    time.sleep(0.35)
    # …and after it, it notices the newer sync and rebuilds.
    assert _representative(other_process.get()) == "Nina Newcomer"


def _representative(index) -> str:
    return index.lookup_zip("82001").representatives[0].display_name


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
