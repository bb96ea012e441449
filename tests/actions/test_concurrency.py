"""Two requests at once for the same new supporter: one row, no error page."""

import threading
import time

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from campaign_app.alerts.demo import demo_alert_data
from campaign_app.alerts.operations import create_alert
from campaign_app.core.db import db
from campaign_app.supporters.models import Submission, Supporter
from tests.helpers import submit_form

pytestmark = pytest.mark.full_data


def test_a_first_submission_racing_another_makes_one_supporter(app, committed_data, full_data):
    with app.app_context():
        slug = create_alert(demo_alert_data()).slug
        db.session.commit()
        engine = db.engine
    client = app.test_client()
    page = client.get(f"/a/{slug}")
    assert page.status_code == 200
    # Another request for the same email has inserted its row and not committed yet. On
    # PostgreSQL ours finds no supporter, inserts too, and waits on the unique email until the
    # other commits, then inserts nothing; SQLite's writers queue at BEGIN, so ours finds her.
    # (tests/supporters plays the race branch itself on both databases.)
    other = Session(bind=engine)
    other.add(Supporter(email="ana@example.org", first_name="Ana", last_name="Earlier",
                        zip_code="82001"))
    other.flush()
    result = {}

    def submit():
        result["response"] = submit_form(client, f"/a/{slug}", {
            "first_name": "Ana", "last_name": "Gómez", "email": "Ana@example.org",
            "zip_code": "82001"})

    thread = threading.Thread(target=submit)
    thread.start()
    time.sleep(1.0)
    other.commit()
    other.close()
    thread.join(timeout=30)
    assert result["response"].status_code == 302
    with app.app_context():
        [supporter] = db.session.scalars(
            select(Supporter).where(Supporter.email == "ana@example.org")).all()
        # The other request created her first: ours, unproven, keeps what it typed with its
        # submission and leaves the stored name (issue 12 item 1).
        assert supporter.last_name == "Earlier"
        submission = db.session.scalars(select(Submission)).one()
        assert submission.last_name == "Gómez" and not submission.is_new_supporter
        assert submission.differing_fields == "last_name"
