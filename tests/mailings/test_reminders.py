"""Reminders with a frozen clock: once per offset, only to those who haven't acted, never
after the deadline, rescheduled when the deadline moves."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from campaign_app.core.db import db
from campaign_app.core.time import utcnow
from campaign_app.mailings import batches, operations, reminders
from campaign_app.mailings.models import Mailing, MailingRecipient
from campaign_app.supporters.models import Supporter
from tests.factories import add_alert, add_supporters

DEADLINE = utcnow().replace(microsecond=0) + timedelta(days=10)


@pytest.fixture
def alert_sent(db_session):
    """A live alert (reminders 48 h and 3 h before) whose alert email reached 5 supporters."""
    alert = add_alert(deadline_at=DEADLINE, reminder_offsets=[48, 3])
    add_supporters(5)
    mailing = operations.create_mailing(alert, {"type": "all"})
    for row in db.session.scalars(select(MailingRecipient).where(
            MailingRecipient.mailing_id == mailing.id)):
        row.status = "sent"
    db.session.flush()
    return alert


def _reminders(alert):
    return list(db.session.scalars(select(Mailing).where(
        Mailing.alert_id == alert.id, Mailing.kind == "reminder").order_by(Mailing.id)))


def test_nothing_before_the_first_offset(alert_sent):
    assert reminders.schedule_reminders(now=DEADLINE - timedelta(hours=49)) == []


def test_each_offset_fires_once(alert_sent):
    at_48 = DEADLINE - timedelta(hours=48)
    [first] = reminders.schedule_reminders(now=at_48)
    assert reminders.schedule_reminders(now=at_48 + timedelta(minutes=1)) == []
    assert reminders.schedule_reminders(now=at_48 + timedelta(hours=20)) == []
    [second] = reminders.schedule_reminders(now=DEADLINE - timedelta(hours=3))
    assert reminders.schedule_reminders(now=DEADLINE - timedelta(hours=2)) == []
    made = _reminders(alert_sent)
    assert [(m.reminder_offset, m.recipient_count) for m in made] == [(48, 5), (3, 5)]
    assert {first, second} == {m.id for m in made}


def test_reminder_skips_supporters_who_acted(alert_sent, db_session):
    from campaign_app.actions.models import Action
    from campaign_app.congress.models import Legislator

    member = db.session.scalars(select(Legislator.bioguide_id).limit(1)).first()
    if member is None:
        pytest.skip("needs congress data")
    acted = db.session.scalars(select(Supporter).order_by(Supporter.id)).first()
    db.session.add(Action(alert_id=alert_sent.id, supporter_id=acted.id, bioguide_id=member,
                          kind="call", outcome="voicemail", submission_key="x" * 20))
    add_supporters(3, prefix="never-mailed")  # never got the alert: no reminder either
    db.session.flush()
    [mailing_id] = reminders.schedule_reminders(now=DEADLINE - timedelta(hours=47))
    recipients = set(db.session.scalars(select(MailingRecipient.supporter_id).where(
        MailingRecipient.mailing_id == mailing_id)))
    assert acted.id not in recipients and len(recipients) == 4


def test_no_reminder_after_the_deadline_or_for_a_closed_alert(alert_sent):
    assert reminders.schedule_reminders(now=DEADLINE + timedelta(minutes=1)) == []
    alert_sent.status = "closed"
    db.session.flush()
    assert reminders.schedule_reminders(now=DEADLINE - timedelta(hours=2)) == []


def test_late_beat_sends_only_the_latest_due_reminder(alert_sent):
    [only] = reminders.schedule_reminders(now=DEADLINE - timedelta(hours=2))
    by_offset = {m.reminder_offset: m for m in _reminders(alert_sent)}
    assert by_offset[3].id == only and by_offset[3].status == "sending"
    assert by_offset[48].status == "cancelled" and by_offset[48].recipient_count == 0


def test_deadline_change_reschedules_reminders_not_yet_sent(alert_sent):
    reminders.schedule_reminders(now=DEADLINE - timedelta(hours=48))  # 48 h fired
    new_deadline = DEADLINE + timedelta(days=2)
    alert_sent.deadline_at = new_deadline
    db.session.flush()
    # The old 3-hour point passes quietly; the new one fires.
    assert reminders.schedule_reminders(now=DEADLINE - timedelta(hours=3)) == []
    assert len(reminders.schedule_reminders(now=new_deadline - timedelta(hours=3))) == 1
    # 48 h fired before the change: it does not fire again.
    assert [m.reminder_offset for m in _reminders(alert_sent)] == [48, 3]


def test_pending_reminder_is_stopped_at_the_deadline(alert_sent):
    [mailing_id] = reminders.schedule_reminders(now=DEADLINE - timedelta(hours=3))
    assert reminders.stop_expired_reminders(now=DEADLINE + timedelta(seconds=1)) == 1
    mailing = db.session.get(Mailing, mailing_id)
    assert mailing.status == "cancelled"
    statuses = set(db.session.scalars(select(MailingRecipient.status).where(
        MailingRecipient.mailing_id == mailing_id)))
    assert statuses == {"skipped"}


def test_quiet_hours_hold_reminders_until_morning(db_session):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    # 23:30 in New York, 20:30 in California.
    now = datetime(2099, 3, 10, 23, 30, tzinfo=ZoneInfo("America/New_York")).astimezone(
        ZoneInfo("UTC"))
    alert = add_alert(deadline_at=now + timedelta(hours=2), reminder_offsets=[3],
                      reminders_respect_quiet_hours=True)
    add_supporters(2, state="NY", prefix="ny")
    add_supporters(2, state="CA", prefix="ca")
    first = operations.create_mailing(alert, {"type": "all"})
    db.session.execute(MailingRecipient.__table__.update().where(
        MailingRecipient.mailing_id == first.id).values(status="sent"))
    [mailing_id] = reminders.schedule_reminders(now=now)
    rows = db.session.execute(select(Supporter.state, MailingRecipient.not_before).join(
        Supporter, Supporter.id == MailingRecipient.supporter_id).where(
        MailingRecipient.mailing_id == mailing_id)).all()
    held = {state: not_before for state, not_before in rows}
    assert held["CA"] is None
    assert held["NY"].astimezone(ZoneInfo("America/New_York")).hour == 8
    assert batches.claim_batch(mailing_id, 10, now=now) and \
        len(batches.claim_batch(mailing_id, 10, now=now)) == 0
