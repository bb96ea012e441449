"""The delivery task against a real SMTP server: once, retried when refused for now, failed
for good when refused for good."""

import pytest

from campaign_app.core.db import db
from campaign_app.delivery.operations import enqueue_delivery
from campaign_app.delivery.tasks import send_delivery
from campaign_app.supporters.operations import upsert_supporter
from tests.factories import add_alert


@pytest.fixture
def delivery(db_session):
    alert = add_alert()
    supporter = upsert_supporter(email="ana@example.org", first_name="Ana", last_name="Gómez",
                                 zip_code="82001", state="WY", district=0,
                                 district_source="zip-unique")
    return enqueue_delivery(key=f"confirmation:{alert.id}:{supporter.id}", kind="confirmation",
                            alert_id=alert.id, supporter_id=supporter.id)


def test_delivery_is_sent_once_even_when_the_task_runs_twice(app, smtp, delivery):
    assert send_delivery.apply(args=[delivery.id]).get() == "delivered"
    assert send_delivery.apply(args=[delivery.id]).get() == "skipped"
    [(recipients, message)] = smtp.wait_for(1)
    assert recipients == ["ana@example.org"]
    assert message["Date"] and message["Message-ID"].endswith("@localhost>")
    db.session.refresh(delivery)
    assert (delivery.status, delivery.attempt_count) == ("delivered", 1)


def test_key_makes_a_second_enqueue_return_the_same_delivery(delivery):
    again = enqueue_delivery(key=delivery.idempotency_key, kind="confirmation",
                             alert_id=delivery.alert_id, supporter_id=delivery.supporter_id)
    assert again.id == delivery.id


def test_temporary_refusal_is_retried_then_fails_after_the_last_attempt(app, smtp, delivery):
    smtp.refuse_code = 451
    app.config["DELIVERY_MAX_ATTEMPTS"] = 3
    try:
        send_delivery.apply(args=[delivery.id])
    finally:
        app.config["DELIVERY_MAX_ATTEMPTS"] = 8
    db.session.refresh(delivery)
    assert (delivery.status, delivery.attempt_count) == ("failed", 3)
    assert "451" in delivery.last_error
    assert smtp.messages == []


def test_permanent_refusal_fails_at_once(app, smtp, delivery):
    smtp.refuse_code = 550
    assert send_delivery.apply(args=[delivery.id]).get() == "failed"
    db.session.refresh(delivery)
    assert (delivery.status, delivery.attempt_count) == ("failed", 1)
    assert "550" in delivery.last_error


def test_a_refusal_quoting_the_supporter_is_stored_and_logged_scrubbed(app, smtp, db_session,
                                                                       caplog):
    alert = add_alert()
    supporter = upsert_supporter(email="lupe.ruiz@example.org", first_name="Guadalupe",
                                 last_name="Ruiz-Esparza", zip_code="82001", state="WY",
                                 district=0, district_source="zip-unique",
                                 phone="(307) 555-0199", street="4417 Larkspur Terrace")
    delivery = enqueue_delivery(key=f"confirmation:{alert.id}:{supporter.id}",
                                kind="confirmation", alert_id=alert.id,
                                supporter_id=supporter.id)
    smtp.refuse_code = 550
    smtp.refuse_text = ("5.1.1 <lupe.ruiz@example.org>: mailbox of GUADALUPE  Ruiz-Esparza "
                        "(3075550199, 4417 Larkspur Terrace) disabled")
    with caplog.at_level("INFO"):
        assert send_delivery.apply(args=[delivery.id]).get() == "failed"
    db.session.refresh(delivery)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "550" in delivery.last_error and \
        "5.1.1 <[email]>: mailbox of [redacted] ([redacted], [redacted]) disabled" \
        in delivery.last_error
    for text in (delivery.last_error, logged):
        for value in ("lupe.ruiz", "Guadalupe", "GUADALUPE", "Esparza", "555", "Larkspur"):
            assert value not in text
