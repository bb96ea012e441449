"""The double-submit guard of the action writes: a form sent twice, or two requests racing
with the same form, record one action.

The race tests kill the mutants of the IntegrityError branches in
campaign_app/actions/operations.py (bench/mutation.py): another request inserted the action
between our lookup and our insert."""

from sqlalchemy import func, insert, select

from campaign_app.actions.models import Action
from campaign_app.actions.operations import record_call, record_signature
from campaign_app.core.db import db
from campaign_app.core.time import utcnow
from tests.factories import add_alert, add_submission, add_supporter
from tests.races import row_inserted_first

KEY = "k" * 24


def _actions(**where):
    return db.session.scalar(select(func.count()).select_from(Action).filter_by(**where))


def test_a_call_report_sent_twice_is_recorded_once(db_session, full_data):
    alert = add_alert()
    submission = add_submission(alert, add_supporter(state="WY", district=0, zip_code="82001"))
    first, _, created = record_call(alert, submission, bioguide_id="H001096", outcome="talked",
                                    note=None, submission_key=KEY)
    again, _, created_again = record_call(alert, submission, bioguide_id="H001096",
                                          outcome="busy", note=None, submission_key=KEY)
    assert (created, created_again) == (True, False)
    assert again.id == first.id and again.outcome == "talked"
    assert _actions(submission_key=KEY) == 1


def test_a_call_report_racing_its_twin_returns_the_twins_action(db_session, full_data):
    alert = add_alert()
    supporter = add_supporter(state="WY", district=0, zip_code="82001")
    submission = add_submission(alert, supporter)
    twin = insert(Action).values(alert_id=alert.id, supporter_id=supporter.id,
                                 bioguide_id="H001096", kind="call", outcome="voicemail",
                                 submission_key=KEY, created_at=utcnow())
    with row_inserted_first(db.session.connection(), twin):
        action, delivery, created = record_call(alert, submission, bioguide_id="H001096",
                                                outcome="talked", note=None,
                                                submission_key=KEY)
    assert created is False and action.outcome == "voicemail"
    assert _actions(submission_key=KEY) == 1
    assert delivery.kind == "confirmation"  # the confirmation is still queued, once


def test_a_signature_racing_another_of_the_same_supporter_is_one_signature(db_session):
    alert = add_alert(channels=["signon"])
    supporter = add_supporter(state="WY", district=0, zip_code="82001")
    submission = add_submission(alert, supporter)
    other = insert(Action).values(alert_id=alert.id, supporter_id=supporter.id, kind="signon",
                                  submission_key="other-tab-key-000000", created_at=utcnow())
    with row_inserted_first(db.session.connection(), other):
        signature, _, created = record_signature(alert, submission, submission_key=KEY)
    assert created is False and signature.submission_key == "other-tab-key-000000"
    assert _actions(alert_id=alert.id, supporter_id=supporter.id, kind="signon") == 1
