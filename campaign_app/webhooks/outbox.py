"""Events written to the outbox in the transaction of the change they report.

Changes are noticed where every feature's writes meet, the ORM's flush, rather than in each
operation: the supporters, actions, sign-on and delivery packages sit below this one and do
not know webhooks exist. What a flush changed is noted; just before the commit, the events
and one delivery per subscribed endpoint are added, so they commit (or roll back) with the
change. After the commit the deliveries are queued; the sweep re-queues any a broker outage
left behind.
"""

import logging
import secrets
from collections.abc import Collection
from contextlib import nullcontext

from flask import current_app, has_app_context, has_request_context
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from ..actions.models import Action
from ..alerts.signons import SignOn
from ..api import queries as api_queries
from ..api import representations as osdi
from ..api.models import PersonIdentifier
from ..core.db import INSERTED
from ..core.time import utcnow
from ..delivery.models import Delivery
from ..supporters.models import Supporter
from .models import WebhookDelivery, WebhookEndpoint, WebhookEvent

log = logging.getLogger(__name__)
NOTED = "webhook_changes"
QUEUE = "webhook_deliveries_to_queue"
#: Set when the transaction stored a client's identifier for a person.
IDENTIFIED = "webhook_identifiers_added"
#: Supporter fields whose change is a person.updated event (not bookkeeping columns).
PERSON_FIELDS = ("first_name", "last_name", "email", "street", "city", "zip_code", "phone",
                 "state", "district", "prefix")


def _changed(instance, name: str) -> bool:
    return inspect(instance).attrs[name].history.has_changes()


def _created(instance) -> tuple | None:
    """The event a new row is, if any."""
    if isinstance(instance, Supporter):
        return "person.created", Supporter, instance.id
    if isinstance(instance, Action):
        return ("signature.created" if instance.kind == "signon" else "outreach.created",
                Action, instance.id)
    if isinstance(instance, SignOn):
        return "signature.created", SignOn, instance.id
    return None


def _note(session: Session, flush_context) -> None:
    noted = session.info.setdefault(NOTED, [])
    noted += filter(None, map(_created, session.new))
    if any(isinstance(instance, PersonIdentifier) for instance in session.new):
        session.info[IDENTIFIED] = True
    for instance in session.dirty:
        if isinstance(instance, Supporter):
            if _changed(instance, "is_subscribed") and not instance.is_subscribed:
                noted.append(("person.unsubscribed", Supporter, instance.id))
            if any(_changed(instance, name) for name in PERSON_FIELDS):
                noted.append(("person.updated", Supporter, instance.id))
        elif isinstance(instance, SignOn) and _changed(instance, "withdrawn_at") \
                and instance.withdrawn_at is not None:
            noted.append(("signature.withdrawn", SignOn, instance.id))
        elif isinstance(instance, Delivery) and _changed(instance, "status") \
                and instance.status == "failed" and instance.kind == "congress_email":
            noted.append(("delivery.failed", Delivery, instance.id))


def resource(kind, row, *, unnamed: Collection[int] = ()) -> dict:
    """The OSDI representation of the row; `unnamed`: people known to have no client
    identifiers, whose lookup is saved."""
    if kind is Supporter:
        identifiers = () if row.id in unnamed else \
            api_queries.identifiers_of([row.id]).get(row.id, ())
        return osdi.person(row, with_contacts=True, identifiers=identifiers)
    if kind is Action:
        if row.kind == "signon":
            return osdi.supporter_signature(row)
        return osdi.outreach(row, [osdi.target(row.legislator)] if row.legislator else [])
    if kind is SignOn:
        return osdi.signon_signature(row, with_contacts=True)
    return {"identifiers": [f"alerta:delivery-{row.id}"], "status": row.status,
            "error": row.last_error, "_links": {
                "osdi:outreach": osdi.link("get_outreach", outreach_id=row.action_id)}
            if row.action_id else {}}


def add_event(session: Session, event_type: str, payload_data: dict,
              endpoints: list[WebhookEndpoint]) -> list[WebhookDelivery]:
    """An event and its delivery to each endpoint subscribed to its type (returned)."""
    now = utcnow()
    created = WebhookEvent(message_id=f"msg_{secrets.token_hex(12)}", type=event_type,
                           created_at=now, payload={"type": event_type,
                                                    "timestamp": osdi.iso(now),
                                                    "data": payload_data})
    session.add(created)
    deliveries = [WebhookDelivery(endpoint=endpoint, event=created, next_attempt_at=now)
                  for endpoint in endpoints
                  if event_type in endpoint.events or event_type == "test"]
    session.add_all(deliveries)
    return deliveries


def _write(session: Session) -> None:
    # Rows a statement inserted (core.db.insert_unless_taken) first: a later update of the
    # same row is then part of its creation.
    inserted = session.info.pop(INSERTED, ())
    noted = [*filter(None, map(_created, inserted)), *session.info.pop(NOTED, ())]
    # A person this transaction created can have identifiers only if it stored some.
    identified = session.info.pop(IDENTIFIED, False) or any(
        isinstance(instance, PersonIdentifier) for instance in session.new)
    if not noted or not has_app_context():
        # A session outside the app (a script's, a test's own) has no endpoints to tell.
        return
    unnamed = set() if identified else {
        row.id for row in inserted if isinstance(row, Supporter)}
    endpoints = session.scalars(select(WebhookEndpoint).where(
        WebhookEndpoint.is_active.is_(True))).all()
    seen, deliveries = set(), []
    with _url_context():
        for event_type, kind, row_id in noted:
            if (event_type, kind, row_id) in seen:
                continue
            seen.add((event_type, kind, row_id))
            if event_type == "person.updated" and ("person.created", kind, row_id) in seen:
                continue
            row = session.get(kind, row_id)
            if row is not None:
                deliveries += add_event(session, event_type,
                                        resource(kind, row, unnamed=unnamed), endpoints)
    session.flush()
    if deliveries:
        log.info("webhook outbox: %d deliveries of %d events", len(deliveries), len(seen))
    session.info.setdefault(QUEUE, []).extend(delivery.id for delivery in deliveries)


def _url_context():
    """Links in payloads are absolute: outside a request (a task), on PUBLIC_BASE_URL."""
    if has_request_context():
        return nullcontext()
    return current_app.test_request_context(base_url=current_app.config["PUBLIC_BASE_URL"])


def _forget(session: Session, *args) -> None:
    session.info.pop(NOTED, None)
    session.info.pop(INSERTED, None)
    session.info.pop(IDENTIFIED, None)
    session.info.pop(QUEUE, None)


def init_outbox() -> None:
    """Listen on every session (the app's, the tests', the workers'); tasks.py queues the
    deliveries after the commit (`init_queueing`)."""
    if event.contains(Session, "after_flush", _note):
        return
    event.listen(Session, "after_flush", _note)
    event.listen(Session, "before_commit", _write)
    event.listen(Session, "after_rollback", _forget)
