"""Writes of webhooks: endpoints (registered, re-enabled), one try of a delivery, the
schedule of retries, the test event and replays."""

import json
import logging
import os
import random
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from ..audit.operations import record_event
from ..auth.models import User
from ..core import http
from ..core.db import db
from ..core.time import utcnow
from ..delivery.mailer import build_message, send_message
from . import signing
from .models import (
    DELIVERED,
    EVENT_TYPES,
    FAILED,
    PENDING,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from .outbox import add_event
from .safety import UnsafeUrl, check_url, pin

log = logging.getLogger(__name__)
#: A claimed delivery not finished after this long belonged to a worker that died.
CLAIM_SECONDS = 120
#: Retries wait base × 2^attempt (with jitter), at most this long between tries.
MAX_BACKOFF = timedelta(hours=2)


def register_endpoint(url: str, events: list[str], *, by) -> tuple[WebhookEndpoint, str]:
    """A new endpoint and its signing secret (shown once to the admin). Raises UnsafeUrl.
    Audited. Flushes."""
    check_url(url, allow_private=current_app.config["WEBHOOK_ALLOW_PRIVATE"])
    unknown = set(events) - set(EVENT_TYPES)
    if unknown or not events:
        raise ValueError(f"unknown event types: {', '.join(sorted(unknown))}" if unknown
                         else "choose at least one event")
    secret = signing.new_secret()
    endpoint = WebhookEndpoint(url=url, events=sorted(events), secret=secret,
                               created_by_id=by.id if by else None)
    db.session.add(endpoint)
    db.session.flush()
    record_event("webhook.endpoint_created", f"webhook {endpoint.id} ({url[:200]})",
                 {"events": endpoint.events}, user=by)
    return endpoint, secret


def enable_endpoint(endpoint: WebhookEndpoint, *, by) -> None:
    endpoint.is_active, endpoint.disabled_at, endpoint.failing_since = True, None, None
    db.session.flush()
    record_event("webhook.endpoint_enabled", f"webhook {endpoint.id}", {}, user=by)


def send_test_event(endpoint: WebhookEndpoint) -> list[WebhookDelivery]:
    deliveries = add_event(db.session, "test", {"message": "A test event from Alerta"},
                           [endpoint])
    db.session.flush()
    return deliveries


def replay(endpoint: WebhookEndpoint, since: datetime, until: datetime, *, by) -> list[int]:
    """Send again the events of a time range the endpoint subscribes to (new tries, same
    webhook-id: receivers that saw one already ignore it). Audited. Flushes."""
    events = db.session.scalars(select(WebhookEvent).where(
        WebhookEvent.created_at >= since, WebhookEvent.created_at <= until,
        WebhookEvent.type.in_(endpoint.events)).order_by(WebhookEvent.id)).all()
    existing = {d.event_id: d for d in db.session.scalars(select(WebhookDelivery).where(
        WebhookDelivery.endpoint_id == endpoint.id,
        WebhookDelivery.event_id.in_([e.id for e in events])))}
    now = utcnow()
    for each in events:
        delivery = existing.get(each.id)
        if delivery is None:
            delivery = WebhookDelivery(endpoint=endpoint, event=each, next_attempt_at=now)
            db.session.add(delivery)
            existing[each.id] = delivery
        delivery.status, delivery.next_attempt_at = PENDING, now
    db.session.flush()
    record_event("webhook.replayed", f"webhook {endpoint.id}",
                 {"since": since.isoformat(), "until": until.isoformat(),
                  "events": len(events)}, user=by)
    return [delivery.id for delivery in existing.values()]


def claim(delivery_ids: list[int]) -> list[int]:
    """Take the due ones among these deliveries for one try; the others are done, not due,
    or taken by another worker (two workers never send the same try)."""
    now = utcnow()
    claimed = db.session.scalars(
        update(WebhookDelivery)
        .where(WebhookDelivery.id.in_(delivery_ids), WebhookDelivery.status == PENDING,
               WebhookDelivery.next_attempt_at <= now)
        .values(next_attempt_at=now + timedelta(seconds=CLAIM_SECONDS))
        .returning(WebhookDelivery.id)
        .execution_options(synchronize_session=False)).all()
    return sorted(claimed)


def load(delivery_ids: list[int]) -> list[WebhookDelivery]:
    """The deliveries with their endpoints and events, in one query."""
    return list(db.session.scalars(
        select(WebhookDelivery).where(WebhookDelivery.id.in_(delivery_ids))
        .options(joinedload(WebhookDelivery.endpoint), joinedload(WebhookDelivery.event))
        .order_by(WebhookDelivery.id).execution_options(populate_existing=True)))


def backoff(attempt_count: int) -> timedelta:
    """Exponential, with full jitter in [0.5, 1.5): endpoints that recover are not hit by
    every delayed delivery at once."""
    base = current_app.config["WEBHOOK_RETRY_BASE_SECONDS"]
    seconds = min(base * 2 ** (attempt_count - 1), MAX_BACKOFF.total_seconds())
    return timedelta(seconds=seconds * (0.5 + random.random()))


def body_of(event: WebhookEvent) -> bytes:
    return json.dumps(event.payload, separators=(",", ":"), sort_keys=True).encode()


@dataclass(frozen=True)
class Send:
    """One try's request, made on the app's side (signed, with its settings), so that it can
    be posted from any thread."""

    url: str
    body: bytes
    headers: dict
    timeout: float
    allow_private: bool


@dataclass(frozen=True)
class Answered:
    status_code: int | None
    error: str | None
    latency_ms: int | None


def prepare(delivery: WebhookDelivery, now: datetime) -> Send | None:
    """The signed request of this try; None when the endpoint is disabled."""
    endpoint, event_row = delivery.endpoint, delivery.event
    if not endpoint.is_active:
        return None
    body = body_of(event_row)
    return Send(endpoint.url, body, signing.headers(endpoint.secret, event_row.message_id,
                                                    int(now.timestamp()), body),
                current_app.config["WEBHOOK_TIMEOUT"],
                current_app.config["WEBHOOK_ALLOW_PRIVATE"])


def post(send: Send | None) -> Answered:
    """Post one try to the address checked right now (no app context needed: any thread)."""
    if send is None:
        return Answered(None, "endpoint disabled", None)
    try:
        url, host, extensions = pin(send.url, allow_private=send.allow_private)
        answer = http.request("POST", url, content=send.body, retries=1,
                              retry_statuses=False, timeout=send.timeout,
                              max_bytes=64 * 1024, extensions=extensions,
                              headers={**send.headers, **host})
    except (UnsafeUrl, http.HttpError) as failure:
        return Answered(None, str(failure)[:500], None)
    error = None if answer.is_success else answer.text[:300] or f"HTTP {answer.status_code}"
    return Answered(answer.status_code, error, int(answer.elapsed * 1000))


def attempt_all(deliveries: list[WebhookDelivery]) -> None:
    """One try of each: signed here, posted side by side (up to WEBHOOK_CONCURRENCY at
    once, on the shared client's kept-alive connections), then logged here, in order. The
    caller flushes and commits."""
    now = utcnow()
    sends = [prepare(delivery, now) for delivery in deliveries]
    workers = min(len(sends), current_app.config["WEBHOOK_CONCURRENCY"])
    answers = list(_pool().map(post, sends)) if workers > 1 else [post(s) for s in sends]
    for delivery, answered in zip(deliveries, answers, strict=True):
        record(delivery, now, answered)


_pools: dict[int, ThreadPoolExecutor] = {}


def _pool() -> ThreadPoolExecutor:
    """This process's posting threads (per process id: threads do not survive a fork)."""
    pid = os.getpid()
    pool = _pools.get(pid)
    if pool is None:
        pool = _pools[pid] = ThreadPoolExecutor(
            current_app.config["WEBHOOK_CONCURRENCY"], thread_name_prefix="webhooks")
    return pool


def record(delivery: WebhookDelivery, now: datetime, answered: Answered) -> WebhookAttempt:
    """Log the try and schedule what follows: delivered, refused for good, or a retry."""
    endpoint = delivery.endpoint
    delivery.attempt_count += 1
    status_code, error = answered.status_code, answered.error
    logged = WebhookAttempt(delivery_id=delivery.id, endpoint_id=endpoint.id, created_at=now,
                            status_code=status_code, latency_ms=answered.latency_ms,
                            error=error)
    db.session.add(logged)
    if error is None:
        delivery.status, delivery.delivered_at = DELIVERED, now
        endpoint.failing_since = None
    elif status_code is not None and 400 <= status_code < 500 and status_code not in (
            408, 409, 425, 429):
        delivery.status = FAILED  # the receiver refuses this event: another try won't help
    else:
        _schedule_retry(delivery, endpoint, now)
    return logged


def _schedule_retry(delivery: WebhookDelivery, endpoint: WebhookEndpoint, now) -> None:
    if endpoint.failing_since is None:
        endpoint.failing_since = now
    limit = timedelta(hours=current_app.config["WEBHOOK_DISABLE_AFTER_HOURS"])
    if endpoint.is_active and now - endpoint.failing_since >= limit:
        disable(endpoint, now)
    if not endpoint.is_active and now - delivery.created_at >= limit:
        delivery.status = FAILED
        return
    # Pending deliveries of a disabled endpoint wait, and go when an admin re-enables it.
    delivery.next_attempt_at = now + backoff(delivery.attempt_count)


def disable(endpoint: WebhookEndpoint, now) -> None:
    endpoint.is_active, endpoint.disabled_at = False, now
    record_event("webhook.endpoint_disabled", f"webhook {endpoint.id}",
                 {"failing_since": endpoint.failing_since.isoformat()})
    log.warning("webhook endpoint %s disabled: failing since %s", endpoint.id,
                endpoint.failing_since)


def tell_admins(endpoint: WebhookEndpoint) -> None:
    """Email every admin that the endpoint was disabled (after the commit)."""
    admins = db.session.scalars(select(User.email).where(User.role == "admin")).all()
    for address in admins:
        try:
                send_message(build_message(
                to=address, subject=f"Webhook disabled: {endpoint.url[:80]}",
                text=f"The webhook endpoint {endpoint.url} failed every delivery since "
                     f"{endpoint.failing_since:%Y-%m-%d %H:%M} UTC and is now disabled. Its "
                     "deliveries wait. Re-enable it on the webhooks page once it answers."))
        except Exception as error:  # noqa: BLE001 - the audit log and the page still say it
            log.warning("could not tell %s that webhook %s was disabled: %s", address,
                        endpoint.id, error)


def due_delivery_ids(limit: int = 1000) -> list[int]:
    """Pending deliveries due now: retries whose time came, and any a broker outage left."""
    return list(db.session.scalars(select(WebhookDelivery.id).join(WebhookEndpoint).where(
        WebhookDelivery.status == PENDING, WebhookDelivery.next_attempt_at <= utcnow(),
        WebhookEndpoint.is_active.is_(True)).order_by(WebhookDelivery.id).limit(limit)))
