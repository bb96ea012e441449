"""Issue 16: webhooks signed per Standard Webhooks, retried with the same webhook-id, and
never sent to internal addresses in production."""

import http.server
import json
import threading
import time

import pytest
from sqlalchemy import select
from standardwebhooks.webhooks import Webhook

from campaign_app.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEvent
from campaign_app.webhooks.operations import register_endpoint
from campaign_app.webhooks.safety import UnsafeUrl, check_url
from campaign_app.webhooks.tasks import send_webhook
from tests.api.conftest import PERSON
from tests.factories import add_alert, add_user


class Receiver:
    """An application behind a webhook endpoint: verifies each delivery with the
    standardwebhooks library, answers 500 to the first `failures` tries, and applies each
    event once (deduplicated by webhook-id)."""

    def __init__(self, failures=2):
        self.secret = None
        self.failures = failures
        self.tries, self.applied, self.refused = [], {}, []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                try:
                    payload = Webhook(outer.secret).verify(body, dict(self.headers))
                except Exception as error:  # noqa: BLE001 - any failure is a refusal
                    outer.refused.append(str(error))
                    self.send_response(401)
                    self.end_headers()
                    return
                message_id = self.headers["webhook-id"]
                outer.tries.append(message_id)
                if len(outer.tries) <= outer.failures:
                    self.send_response(500)
                    self.end_headers()
                    return
                outer.applied.setdefault(message_id, payload)
                self.send_response(204)
                self.end_headers()

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(app, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE", True)
    monkeypatch.setitem(app.config, "WEBHOOK_RETRY_BASE_SECONDS", 0.05)
    made = Receiver()
    yield made
    made.stop()


@pytest.mark.parametrize("url", ["https://127.0.0.1/h", "https://10.0.0.1/h",
                                 "https://169.254.169.254/latest", "https://[::1]/h",
                                 "https://localhost/h", "http://example.org/h"])
def test_internal_addresses_and_plain_http_are_refused_in_production(url):
    with pytest.raises(UnsafeUrl):
        check_url(url, allow_private=False)


def test_the_send_goes_to_the_address_checked_not_a_rebound_one(monkeypatch):
    """DNS rebinding: the name resolves to a public address for the check, then inward; the
    request is pinned to the address checked, with the name kept for Host and TLS."""
    import socket

    from campaign_app.webhooks.safety import pin

    answers = iter([["93.184.215.14"], ["127.0.0.1"]])

    def resolve(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (ip, port)) for ip in next(answers)]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    url, host, extensions = pin("https://hooks.example.org:8443/in?x=1", allow_private=False)
    assert url == "https://93.184.215.14:8443/in?x=1"
    assert host == {"Host": "hooks.example.org:8443"}
    assert extensions == {"sni_hostname": "hooks.example.org"}
    with pytest.raises(UnsafeUrl, match="127.0.0.1"):
        pin("https://hooks.example.org/in", allow_private=False)


def test_registering_an_internal_url_is_refused(app, db_session, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOK_ALLOW_PRIVATE", False)
    with pytest.raises(UnsafeUrl):
        register_endpoint("https://127.0.0.1/hooks", ["person.created"],
                          by=add_user(role="admin"))


def test_a_signed_event_is_retried_with_the_same_id_and_applied_once(
        api, receiver, db_session, full_data):
    endpoint, receiver.secret = register_endpoint(receiver.url, ["person.created"],
                                                  by=add_user(role="admin"))
    db_session.commit()
    assert api("read_write")("POST", "/api/v1/people", json={"person": PERSON}).status_code == 201
    delivery = db_session.scalars(select(WebhookDelivery)).one()
    for _ in range(3):
        deadline = time.monotonic() + 5
        while send_webhook(delivery.id) == "skipped":  # not due yet: backoff
            assert time.monotonic() < deadline
            time.sleep(0.05)
    assert receiver.refused == []
    assert len(receiver.tries) == 3 and len(set(receiver.tries)) == 1
    event = db_session.scalars(select(WebhookEvent)).one()
    assert list(receiver.applied) == [event.message_id]
    payload = receiver.applied[event.message_id]
    assert payload["type"] == "person.created"
    assert payload["data"]["email_addresses"][0]["address"] == "ana@example.org"
    attempts = db_session.scalars(select(WebhookAttempt).order_by(WebhookAttempt.id)).all()
    assert [a.status_code for a in attempts] == [500, 500, 204]
    db_session.refresh(delivery)
    assert delivery.status == "delivered"
    assert send_webhook(delivery.id) == "skipped"  # done: never sent again


def test_events_roll_back_with_the_change(db_session, receiver):
    from campaign_app.supporters.operations import upsert_supporter

    register_endpoint(receiver.url, ["person.created"], by=add_user(role="admin"))
    db_session.commit()
    upsert_supporter(email="x@example.org", first_name="X", last_name="Y", zip_code="82001",
                     state="WY", district=0, district_source="zip-unique")
    db_session.rollback()
    assert db_session.scalars(select(WebhookEvent)).all() == []


def test_an_endpoint_failing_for_a_day_is_disabled_and_admins_told(app, db_session, receiver, smtp):
    from datetime import timedelta

    from campaign_app.core.time import utcnow

    receiver.failures = 1000
    endpoint, receiver.secret = register_endpoint(receiver.url, ["test"],
                                                  by=add_user(role="admin"))
    from campaign_app.webhooks.operations import send_test_event

    delivery = send_test_event(endpoint)[0]
    endpoint.failing_since = utcnow() - timedelta(hours=25)
    db_session.commit()
    assert send_webhook(delivery.id) == "pending"
    db_session.refresh(endpoint)
    assert not endpoint.is_active and endpoint.disabled_at is not None
    assert json.dumps(endpoint.events) == '["test"]'
    recipients, message = smtp.wait_for(1)[0]
    assert recipients == ["staff@example.org"] and "disabled" in message["Subject"]


def test_each_change_writes_its_event_with_the_osdi_resource(app, db_session, receiver, full_data):
    """The changes the issue names each leave one event in the outbox, in their own
    transaction: person created, updated and unsubscribed; signature added and withdrawn;
    an email to Congress failed."""
    from campaign_app.delivery.operations import enqueue_delivery, mark_failed
    from campaign_app.signons.operations import record_member_signon, withdraw_signon
    from campaign_app.supporters.operations import unsubscribe, upsert_supporter
    from campaign_app.webhooks.models import EVENT_TYPES

    admin = add_user(role="admin")
    register_endpoint(receiver.url, [name for name in EVENT_TYPES if name != "test"], by=admin)
    alert = add_alert()
    db_session.commit()

    def events_of(step):
        before = set(db_session.scalars(select(WebhookEvent.id)))
        step()
        db_session.commit()
        return [(e.type, e.payload["data"]["identifiers"][0]) for e in db_session.scalars(
            select(WebhookEvent).order_by(WebhookEvent.id)) if e.id not in before]

    def create():
        holder["supporter"] = upsert_supporter(
            email="bo@example.org", first_name="Bo", last_name="Diaz", zip_code="82001",
            state="WY", district=0, district_source="zip-unique", is_subscribed=True)

    holder = {}
    created = events_of(create)
    person = f"alerta:person-{holder['supporter'].id}"
    assert created == [("person.created", person)]
    assert events_of(lambda: upsert_supporter(
        email="bo@example.org", first_name="Bo", last_name="Díaz", zip_code="82001",
        state="WY", district=0, district_source="zip-unique", is_proven=True)) == [
        ("person.updated", person)]
    assert events_of(lambda: unsubscribe(holder["supporter"])) == [
        ("person.unsubscribed", person)]
    signon = {}
    added = events_of(lambda: signon.setdefault("row", record_member_signon(
        alert, "H001096", by=admin)))
    name = f"alerta:signature-signon-{signon['row'].id}"
    assert added == [("signature.created", name)]
    assert events_of(lambda: withdraw_signon(signon["row"], by=admin)) == [
        ("signature.withdrawn", name)]

    def fail():
        delivery = enqueue_delivery(key="congress:1", kind="congress_email", alert_id=alert.id,
                                    supporter_id=holder["supporter"].id,
                                    bioguide_id="H001096")
        mark_failed(delivery, "CWC 400: bad", retry=False)
        holder["delivery"] = delivery

    failed = events_of(fail)
    assert failed == [("delivery.failed", f"alerta:delivery-{holder['delivery'].id}")]
    deliveries = db_session.scalars(select(WebhookDelivery)).all()
    assert len(deliveries) == 6 and {d.status for d in deliveries} == {"pending"}
