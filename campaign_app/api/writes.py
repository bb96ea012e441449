"""The API's writes, OSDI's helpers: person signup, record outreach, record signature.

Each validates a person as the action form does (the form's own validators run on the
fields), is trusted like staff (a read-write key may update identity fields), is audited,
and is idempotent under an Idempotency-Key header.
"""

import hashlib
import re
import secrets
from functools import wraps

from flask import g, request

from ..actions.operations import record_call, record_signature, start_action, zip_place
from ..alerts.models import Alert
from ..audit.operations import record_event
from ..core.db import db
from ..core.time import utcnow
from ..delivery.models import PENDING
from ..delivery.tasks import queue_deliveries
from ..supporters.models import Supporter
from ..supporters.operations import normalize_email, unsubscribe, upsert_supporter
from . import inputs, schemas
from . import representations as osdi
from .emails import check_email_campaign, record_email_outreach
from .errors import ApiError
from .keys import require_write
from .letters import petition_or_404
from .operations import add_identifiers, keep_answer, stored_answer
from .people import lookup, person_fields
from .queries import get_row, identifiers_of, members, supporter_by_email
from .views import HAL, blp, documented, hal

IDEMPOTENCY_HEADER = "Idempotency-Key"
_IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,255}")
#: The header, in the description of every write.
IDEMPOTENCY_PARAMETER = {
    "in": "header", "name": IDEMPOTENCY_HEADER, "required": False,
    "description": "Repeat a write safely: the same key gets the first answer again",
    "schema": {"type": "string", "pattern": "^[\\x21-\\x7e]{1,255}$"}}


# --- idempotency -----------------------------------------------------------------------

def idempotent(view):
    """Under an Idempotency-Key, the first answer is kept with the write, in its
    transaction, and a repeat gets it again without writing twice."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        key = require_write()
        idempotency_key = request.headers.get(IDEMPOTENCY_HEADER)
        if idempotency_key is not None and not _IDEMPOTENCY_KEY.fullmatch(idempotency_key):
            raise ApiError(400, IDEMPOTENCY_HEADER, "1 to 255 visible ASCII characters")
        path = f"{request.method} {request.path}"
        if idempotency_key:
            kept = stored_answer(key, idempotency_key)
            if kept is not None:
                return _replay(kept, path)
        g.idempotency_key = idempotency_key
        body, status, deliveries = view(*args, **kwargs)
        if idempotency_key and not keep_answer(key, idempotency_key, path, status, body):
            db.session.rollback()  # another request with this key wrote first
            return _replay(stored_answer(key, idempotency_key), path)
        db.session.commit()
        queue_deliveries(deliveries)
        return hal(body, status)
    return wrapped


def _replay(kept, path: str):
    if kept.request_path != path:
        raise ApiError(422, IDEMPOTENCY_HEADER, f"this key was used for {kept.request_path}")
    response = hal(kept.body, kept.status_code)
    response.headers["Idempotent-Replayed"] = "true"
    return response


def _submission_key(kind: str) -> str:
    """The action's one-time key: from the Idempotency-Key when given, so that a repeat
    racing the first finds the same action; otherwise a new one."""
    seed = f"{g.api_key.id}:{kind}:{g.idempotency_key or secrets.token_hex(16)}"
    return "api-" + hashlib.sha256(seed.encode()).hexdigest()[:40]


def _audit(action: str, target: str, detail: dict) -> None:
    record_event(action, target, {"api_key": g.api_key.id, "api_key_name": g.api_key.name,
                                  **detail})


# --- the helpers -----------------------------------------------------------------------

@blp.post("/people")
@blp.doc(parameters=[IDEMPOTENCY_PARAMETER])
@blp.arguments(inputs.PersonSignupHelper)
@blp.response(201, schemas.Person, content_type=HAL)
@blp.alt_response(200, schema=schemas.Person, description="An existing person, updated")
@documented
@idempotent
def add_person(data):
    """Person signup helper: adds the person, or updates the one with this email."""
    values = person_fields(data["person"])
    found = lookup(values)
    state, district, source = zip_place(found)
    email = normalize_email(values["email"])
    existing = supporter_by_email(email)
    before = _identity(existing) if existing else {}
    supporter = upsert_supporter(
        email=email, first_name=values["first_name"], last_name=values["last_name"],
        zip_code=values["zip_code"], state=state, district=district, district_source=source,
        is_proven=True, phone=values["phone"] or None, street=values["street"] or None,
        city=values["city"] or None)
    if values["status"] == "unsubscribed":
        unsubscribe(supporter)
    elif values["status"] == "subscribed" and not supporter.is_subscribed:
        supporter.is_subscribed, supporter.subscribed_at = True, utcnow()
        supporter.unsubscribed_at = None
    changed = sorted(k for k, v in _identity(supporter).items() if before.get(k) != v)
    db.session.flush()
    if add_identifiers(supporter, data["person"].get("identifiers", []), g.api_key):
        changed.append("identifiers")
    _audit("api.person_created" if existing is None else "api.person_updated",
           f"supporter {supporter.id}", {"fields": changed})
    return _person(supporter), 201 if existing is None else 200, []


def _person(supporter: Supporter) -> dict:
    return osdi.person(supporter, with_contacts=True,
                       identifiers=identifiers_of([supporter.id]).get(supporter.id, ()))


def _identity(supporter: Supporter) -> dict:
    return {key: getattr(supporter, key) for key in (
        "first_name", "last_name", "zip_code", "street", "city", "phone", "state", "district",
        "is_subscribed")}


def _start(alert, data: dict):
    """The person's submission to the alert, as the action form's; their identifiers kept."""
    values = person_fields(data["person"])
    found = lookup(values)
    submission = start_action(alert, found, first_name=values["first_name"],
                              last_name=values["last_name"], email=values["email"],
                              phone=values["phone"] or None,
                              opt_in=values["status"] == "subscribed", is_proven=True,
                              source_code=(data.get("referrer_data") or {}).get("source"))
    db.session.flush()
    add_identifiers(submission.supporter, data["person"].get("identifiers", []), g.api_key)
    return submission, values, found


@blp.post("/advocacy_campaigns/<int:campaign_id>/outreaches")
@blp.doc(parameters=[IDEMPOTENCY_PARAMETER])
@blp.arguments(inputs.RecordOutreachHelper)
@blp.response(201, schemas.Outreach, content_type=HAL)
@blp.alt_response(200, schema=schemas.Outreach, description="Recorded before")
@documented
@idempotent
def record_outreach(data, campaign_id):
    """Record outreach helper: a call a person made to a member of Congress (at an event,
    on a partner's tool), or an email to the member sent for them, as the action page's
    email step sends it (through CWC or the office's contact form; once per office)."""
    alert = get_row(Alert, campaign_id)
    if alert is None:
        raise ApiError(404, None, "no such advocacy campaign")
    bioguide_id = data["targets"][0]["identifiers"][0].removeprefix("bioguide:")
    member = members([bioguide_id]).get(bioguide_id)
    if member is None:
        raise ApiError(422, "targets[0].identifiers[0]", f"no member {bioguide_id}")
    if data["type"] == "email":
        check_email_campaign(alert)
    submission, values, found = _start(alert, data)
    if data["type"] == "email":
        action, deliveries, created = record_email_outreach(
            alert, submission, found, data, values, bioguide_id,
            _submission_key("outreach-email"))
    else:
        action, delivery, created = record_call(
            alert, submission, bioguide_id=bioguide_id,
            outcome=data["custom_fields"]["outcome"], note=data["custom_fields"].get("note"),
            submission_key=_submission_key("outreach"),
            referral_code=(data.get("referrer_data") or {}).get("referrer"))
        deliveries = [delivery]
    _audit("api.outreach_recorded", f"alert {alert.slug}",
           {"action": action.id, "type": data["type"], "supporter": submission.supporter_id,
            "created": created})
    db.session.flush()
    return osdi.outreach(action, [osdi.target(member)]), 201 if created else 200, \
        [delivery.id for delivery in deliveries if delivery.status == PENDING]


@blp.post("/petitions/<int:petition_id>/signatures")
@blp.doc(parameters=[IDEMPOTENCY_PARAMETER])
@blp.arguments(inputs.RecordSignatureHelper)
@blp.response(201, schemas.Signature, content_type=HAL)
@blp.alt_response(200, schema=schemas.Signature, description="Signed before")
@documented
@idempotent
def record_petition_signature(data, petition_id):
    """Record signature helper: a person's name on the letter."""
    alert = petition_or_404(petition_id)
    submission, values, _ = _start(alert, data)
    action, delivery, created = record_signature(
        alert, submission, submission_key=_submission_key("signature"),
        city=values["city"] or None)
    _audit("api.signature_recorded", f"alert {alert.slug}",
           {"action": action.id, "supporter": submission.supporter_id, "created": created})
    return osdi.supporter_signature(action), 201 if created else 200, \
        [delivery.id] if delivery.status == PENDING else []

