"""Creating a mailing writes one recipient row per supporter of the segment, in SQL."""

import pytest
from sqlalchemy import func, select

from campaign_app.core.db import db
from campaign_app.mailings import operations, queries
from campaign_app.mailings.models import MailingRecipient, SupporterTag
from campaign_app.supporters.models import Supporter
from campaign_app.supporters.operations import mark_undeliverable
from tests.factories import add_alert, add_supporters


def _recipient_emails(mailing):
    return set(db.session.scalars(
        select(Supporter.email).join(MailingRecipient,
                                     MailingRecipient.supporter_id == Supporter.id)
        .where(MailingRecipient.mailing_id == mailing.id)))


def test_all_subscribed_and_deliverable_supporters_get_one_row(db_session):
    alert = add_alert()
    wanted = add_supporters(30)
    add_supporters(5, subscribed=False, prefix="unsub")
    bounced = add_supporters(3, prefix="bounced")
    for email in bounced:
        mark_undeliverable(email, "bounce: 550 no such user")
    mailing = operations.create_mailing(alert, {"type": "all"})
    assert mailing.recipient_count == 30
    assert _recipient_emails(mailing) == set(wanted)
    assert queries.count_audience({"type": "all"}) == 30


@pytest.mark.parametrize("segment,expected", [
    ({"type": "state", "states": ["VT"]}, "vt"),
    ({"type": "district", "districts": ["NY-12"]}, "ny12"),
    ({"type": "tag", "tag": "volunteer"}, "tagged"),
])
def test_segments_choose_their_supporters(segment, expected, db_session):
    alert = add_alert()
    groups = {
        "vt": add_supporters(4, state="VT", prefix="vt"),
        "ny12": add_supporters(3, state="NY", district=12, prefix="ny12"),
        "ny10": add_supporters(2, state="NY", district=10, prefix="ny10"),
        "tagged": add_supporters(2, prefix="tagged"),
    }
    for email in groups["tagged"]:
        supporter = db.session.scalars(select(Supporter).where(Supporter.email == email)).one()
        db.session.add(SupporterTag(supporter_id=supporter.id, tag="volunteer"))
    db.session.flush()
    mailing = operations.create_mailing(alert, segment)
    assert _recipient_emails(mailing) == set(groups[expected])


def test_acted_and_not_acted_segments(db_session):
    from campaign_app.actions.models import Action

    alert = add_alert()
    emails = add_supporters(4)
    acted = db.session.scalars(select(Supporter).where(Supporter.email == emails[0])).one()
    db.session.add(Action(alert_id=alert.id, supporter_id=acted.id, bioguide_id=_any_member(),
                          kind="call", outcome="talked", submission_key="k" * 20))
    db.session.flush()
    assert _recipient_emails(operations.create_mailing(
        alert, {"type": "acted", "alert_id": alert.id})) == {emails[0]}
    assert _recipient_emails(operations.create_mailing(
        alert, {"type": "not_acted", "alert_id": alert.id})) == set(emails[1:])


def test_uploaded_emails_segment(db_session):
    alert = add_alert()
    emails = add_supporters(5)
    mailing = operations.create_mailing(alert, {"type": "emails",
                                                "emails": [emails[1], "stranger@example.org"]})
    assert _recipient_emails(mailing) == {emails[1]}


def test_a_supporter_is_never_twice_in_one_mailing(db_session):
    from sqlalchemy.exc import IntegrityError

    alert = add_alert()
    add_supporters(2)
    mailing = operations.create_mailing(alert, {"type": "all"})
    row = db.session.scalars(select(MailingRecipient)).first()
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(MailingRecipient(mailing_id=mailing.id, supporter_id=row.supporter_id))
    assert db.session.scalar(select(func.count()).select_from(MailingRecipient)) == 2


def test_mailing_needs_the_alert_email_text(db_session):
    alert = add_alert(alert_email_subject="", alert_email_body="")
    with pytest.raises(operations.MailingError, match="alert email"):
        operations.create_mailing(alert, {"type": "all"})


def _any_member():
    from campaign_app.congress.models import Legislator

    member = db.session.scalars(select(Legislator.bioguide_id).limit(1)).first()
    if member is None:
        pytest.skip("needs congress data")
    return member
