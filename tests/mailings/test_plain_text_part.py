"""The plain-text part of every email reads as text, not as Markdown (issue 12, item 15)."""

import re
from datetime import timedelta
from email import message_from_bytes, policy

from sqlalchemy import select

from campaign_app.actions.confirmation import build_confirmation
from campaign_app.core.db import db
from campaign_app.core.time import utcnow
from campaign_app.mailings import operations, reminders
from campaign_app.mailings.messages import MailingRenderer, Recipient
from campaign_app.mailings.models import Mailing, MailingRecipient
from tests.factories import add_action, add_alert, add_delivery, add_supporter, add_supporters
from tests.helpers import form_for

#: What Markdown looks like when it is left as written.
RAW_MARKDOWN = re.compile(r"\]\(|\*\*|^#+ |\[\[", re.M)


def _assert_plain(text: str) -> None:
    assert not RAW_MARKDOWN.search(text), text


def test_the_alert_email_test_send_has_readable_text(client, login, smtp):
    login("organizer")
    alert = add_alert()
    add_supporters(1)
    page = client.get(f"/staff/alerts/{alert.id}/mailings")
    form = form_for(page.text, containing="segment_type")
    client.post(f"/staff/alerts/{alert.id}/mailings",
                data={**form["fields"], "segment_type": "all", "action": "create"},
                content_type="multipart/form-data")
    mailing = db.session.scalars(select(Mailing)).one()
    page = client.get(f"/staff/mailings/{mailing.id}")
    form = form_for(page.text, action=f"/staff/mailings/{mailing.id}/test")
    client.post(form["action"], data=form["fields"])
    [(_, message)] = smtp.wait_for(1)
    text = message.get_body(("plain",)).get_content()
    _assert_plain(text)
    assert re.search(rf"Call your member now: http://\S+/a/{alert.slug}\?t=\S+ — we give",
                     text)
    assert re.search(r"^Unsubscribe: http://\S+/u/\S+$", text, re.M)


def test_a_reminder_has_readable_text(db_session):
    deadline = utcnow().replace(microsecond=0) + timedelta(days=10)
    alert = add_alert(deadline_at=deadline, reminder_offsets=[48])
    add_supporters(1)
    sent = operations.create_mailing(alert, {"type": "all"})
    for row in db.session.scalars(select(MailingRecipient).where(
            MailingRecipient.mailing_id == sent.id)):
        row.status = "sent"
    db.session.flush()
    [reminder_id] = reminders.schedule_reminders(now=deadline - timedelta(hours=48))
    reminder = db.session.get(Mailing, reminder_id)
    assert reminder.kind == "reminder"
    person = Recipient(recipient_id=1, supporter_id=1, email="ana@example.org",
                       first_name="Ana", last_name="Ríos", zip_code="82001", city=None,
                       state="WY", district=0)
    rendered = MailingRenderer(reminder, alert).render(person)
    text = message_from_bytes(rendered.data, policy=policy.default).get_body(
        ("plain",)).get_content()
    _assert_plain(text)
    assert text.startswith("Ana, can you take five minutes today")
    assert re.search(rf"Call your member now: http://\S+/a/{alert.slug}\?t=", text)


def test_the_confirmation_has_readable_text(app, full_data, db_session):
    """The confirmation is written as text in templates/email/confirmation.txt: it carries no
    organizer Markdown (this guards that it stays so)."""
    alert = add_alert()
    supporter = add_supporter(first_name="Ana")
    add_action(alert, supporter, "O000172")
    delivery = add_delivery(alert, supporter, status="pending")
    message = build_confirmation(delivery)
    text = message.get_body(("plain",)).get_content()
    _assert_plain(text)
    assert "Dear Ana," in text and "Alexandria Ocasio-Cortez — Talked to staff" in text
