"""Retention (issue 19 item 6): call notes, "as submitted" copies and delivery payloads go
a set number of days after their alert closed; the actions and every count stay."""

from datetime import timedelta

from sqlalchemy import func, select

from campaign_app.actions.models import Action
from campaign_app.alerts.operations import close_alert
from campaign_app.core.db import db
from campaign_app.core.time import utcnow
from campaign_app.dashboard.queries import alert_counts
from campaign_app.delivery.models import Delivery
from campaign_app.privacy.retention import purge_expired
from campaign_app.privacy.tasks import purge_retained_data
from campaign_app.supporters.models import Submission
from tests.factories import add_action, add_alert, add_delivery, add_submission, add_supporter


def _traces(*, closed_days_ago=None):
    alert = add_alert()
    ana = add_supporter(state="WY", district=0)
    submission = add_submission(alert, ana, street="1 Main St")
    call = add_action(alert, ana, "H001096")
    call.note, call.submission_id = "Spoke with Maria about Ana's visa", submission.id
    email = add_action(alert, ana, "B001261", kind="email", status="delivered")
    email.message_subject, email.message_body = "Please sign", "Dear Senator, … Ana Gómez"
    queued = add_action(alert, ana, "L000571", kind="email", status="queued")
    queued.message_body = "Still to be sent"
    add_delivery(alert, ana, status="delivered", last_error="451 greylisted, retried")
    if closed_days_ago is not None:
        close_alert(alert)
        alert.closed_at = utcnow() - timedelta(days=closed_days_ago)
    db.session.commit()
    return alert


def _left(alert):
    actions = db.session.scalars(select(Action).where(Action.alert_id == alert.id)
                                 .order_by(Action.id)).all()
    return {"notes": [a.note for a in actions if a.note],
            "bodies": [a.message_body for a in actions if a.message_body],
            "submissions": db.session.scalar(select(func.count()).select_from(Submission)
                                             .where(Submission.alert_id == alert.id)),
            "errors": db.session.scalars(select(Delivery.last_error).where(
                Delivery.alert_id == alert.id, Delivery.last_error.is_not(None))).all()}


def test_what_is_past_retention_goes_and_the_counts_stay(app, db_session):
    old = _traces(closed_days_ago=181)
    recent = _traces(closed_days_ago=179)
    live = _traces()
    before = alert_counts(old.id)
    kept = {alert.id: _left(alert) for alert in (recent, live)}

    assert purge_expired() == {"call_notes": 1, "submissions": 1, "delivery_payloads": 2}
    db.session.expire_all()
    assert _left(old) == {"notes": [], "bodies": ["Still to be sent"], "submissions": 0,
                          "errors": []}
    assert {alert.id: _left(alert) for alert in (recent, live)} == kept
    assert alert_counts(old.id) == before
    assert purge_expired() == {"call_notes": 0, "submissions": 0, "delivery_payloads": 0}


def test_each_kind_has_its_own_setting(app, db_session, monkeypatch):
    alert = _traces(closed_days_ago=40)
    monkeypatch.setitem(app.config, "RETENTION_CALL_NOTES_DAYS", 30)
    assert purge_expired() == {"call_notes": 1, "submissions": 0, "delivery_payloads": 0}
    monkeypatch.setitem(app.config, "RETENTION_SUBMISSIONS_DAYS", 30)
    monkeypatch.setitem(app.config, "RETENTION_DELIVERY_PAYLOADS_DAYS", 30)
    assert purge_expired() == {"call_notes": 0, "submissions": 1, "delivery_payloads": 2}
    db.session.expire_all()
    assert _left(alert)["submissions"] == 0


def test_the_beat_task_purges_and_counts_in_its_log_line(app, db_session, caplog):
    _traces(closed_days_ago=365)
    with caplog.at_level("INFO", logger="campaign_app.privacy.retention"):
        assert purge_retained_data.apply().get() == {
            "call_notes": 1, "submissions": 1, "delivery_payloads": 2}
    [record] = [r for r in caplog.records if r.name == "campaign_app.privacy.retention"]
    assert record.getMessage() == \
        "retention purge: 1 call notes, 1 submissions, 2 delivery payloads"
    assert (record.call_notes, record.submissions, record.delivery_payloads) == (1, 1, 2)
