"""Issue 16, with real parts: the API (test client), the database, the broker, a Celery
worker process and a receiver that verifies every delivery with the standardwebhooks
library. People arrive while the broker is down; nothing is lost, the receiver's first two
tries fail, and each event reaches the application exactly once."""

import os
import time

import pytest
from sqlalchemy import select

from campaign_app.api.operations import create_api_key
from campaign_app.auth.operations import create_user
from campaign_app.core.db import db
from campaign_app.webhooks.models import WebhookDelivery, WebhookEvent
from campaign_app.webhooks.operations import register_endpoint
from campaign_app.webhooks.tasks import sweep_webhooks
from tests.api.conftest import PERSON
from tests.services import WorkerProcess
from tests.webhooks.test_webhooks import Receiver

pytestmark = [pytest.mark.e2e, pytest.mark.full_data]
PEOPLE = 5
SETTINGS = {"WEBHOOK_ALLOW_PRIVATE": "true", "WEBHOOK_RETRY_BASE_SECONDS": "0.3"}


def _person(n: int) -> dict:
    return {**PERSON, "given_name": f"Ana{chr(65 + n)}",
            "email_addresses": [{"address": f"ana{n}@example.org", "status": "subscribed"}]}


def test_broker_outage_loses_no_event_and_retries_deliver_each_once(
        app, full_data, committed_data, other_app, monkeypatch, caplog):
    receiver = Receiver(failures=2)
    try:
        with app.app_context():
            admin = create_user("admin@example.org", "correct horse battery", "admin")
            monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE", True)
            _, receiver.secret = register_endpoint(receiver.url, ["person.created"], by=admin)
            _, token = create_api_key("CRM", "read_write", by=admin)
            db.session.commit()
        broker = os.environ["CELERY_BROKER_URL"]
        monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:1/0")
        outage = other_app({"WEBHOOK_ALLOW_PRIVATE": True})
        client = outage.test_client()
        for n in range(PEOPLE):
            answer = client.post("/api/v1/people", json={"person": _person(n)},
                                 headers={"OSDI-API-Token": token})
            assert answer.status_code == 201, answer.json
        monkeypatch.setenv("CELERY_BROKER_URL", broker)
        app.extensions["celery"].set_current()
        app.extensions["celery"].set_default()
        assert len([r for r in caplog.records
                    if "left for the sweep" in r.getMessage()]) == PEOPLE
        with app.app_context():
            assert len(db.session.scalars(select(WebhookDelivery)).all()) == PEOPLE

        worker = WorkerProcess(SETTINGS).start()
        try:
            with app.app_context():
                assert sweep_webhooks.run() == PEOPLE
                sweep_webhooks.run()  # a second beat while the first is being sent
            # the broker may hold what earlier tests queued: the worker drains that first
            deadline = time.monotonic() + 120
            while len(receiver.applied) < PEOPLE and time.monotonic() < deadline:
                time.sleep(0.2)
            time.sleep(1.5)  # room for a duplicate, were one sent
        finally:
            worker.stop()
        log = "".join(worker.output[-40:])
        with app.app_context():
            events = db.session.scalars(select(WebhookEvent)).all()
            statuses = db.session.scalars(select(WebhookDelivery.status)).all()
        assert receiver.refused == []
        assert sorted(receiver.applied) == sorted(e.message_id for e in events), log
        assert statuses == ["delivered"] * PEOPLE
        # the two failed tries were retried with the id they carried
        assert len(receiver.tries) == PEOPLE + 2
        assert set(receiver.tries[:2]) <= set(receiver.applied)
        emails = sorted(p["data"]["email_addresses"][0]["address"]
                        for p in receiver.applied.values())
        assert emails == sorted(f"ana{n}@example.org" for n in range(PEOPLE))
    finally:
        receiver.stop()
