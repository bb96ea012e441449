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
from marshmallow import fields, validate
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from ..actions.forms import ActionForm, AddressForm
from ..actions.models import CALL_OUTCOMES
from ..actions.operations import record_call, record_signature, start_action
from ..alerts.models import Alert
from ..audit.operations import record_event
from ..congress.models import Legislator
from ..congress.queries import lookup_zip, normalize_zip
from ..core.db import db
from ..core.time import utcnow
from ..delivery.models import PENDING
from ..delivery.tasks import queue_deliveries
from ..supporters.models import Supporter
from ..supporters.operations import normalize_email, unsubscribe, upsert_supporter
from . import representations as osdi
from . import schemas
from .errors import ApiError
from .keys import require_write
from .operations import keep_answer, stored_answer
from .views import HAL, _get, _petition, blp, documented, hal

IDEMPOTENCY_HEADER = "Idempotency-Key"
_IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,255}")


# --- what the helpers take -------------------------------------------------------------

class EmailInput(schemas.Strict):
    address = fields.String(required=True, validate=validate.Length(max=254))
    primary = fields.Boolean()
    status = fields.String(validate=validate.OneOf(["subscribed", "unsubscribed"]))


class PostalInput(schemas.Strict):
    postal_code = fields.String(required=True, validate=validate.Length(max=10))
    address_lines = fields.List(fields.String(validate=validate.Length(max=200)),
                                validate=validate.Length(max=1))
    locality = fields.String(validate=validate.Length(max=100))
    region = fields.String(validate=validate.Length(max=2))
    country = fields.String(validate=validate.OneOf(["US"]))
    primary = fields.Boolean()


class PhoneInput(schemas.Strict):
    number = fields.String(required=True, validate=validate.Length(max=30))
    primary = fields.Boolean()
    number_type = fields.String(validate=validate.Length(max=20))


class PersonInput(schemas.Strict):
    given_name = fields.String(required=True, validate=validate.Length(max=100))
    family_name = fields.String(required=True, validate=validate.Length(max=100))
    email_addresses = fields.List(fields.Nested(EmailInput), required=True,
                                  validate=validate.Length(1, 1))
    postal_addresses = fields.List(fields.Nested(PostalInput), required=True,
                                   validate=validate.Length(1, 1))
    phone_numbers = fields.List(fields.Nested(PhoneInput), validate=validate.Length(max=1))


class PersonSignupHelper(schemas.Strict):
    person = fields.Nested(PersonInput, required=True)


class TargetInput(schemas.Strict):
    identifiers = fields.List(fields.String(validate=validate.Regexp(r"^bioguide:[A-Z]\d{6}$")),
                              required=True, validate=validate.Length(1, 1),
                              metadata={"description": "bioguide:<id> of the member"})


class OutreachFields(schemas.Strict):
    outcome = fields.String(required=True, validate=validate.OneOf(list(CALL_OUTCOMES)))
    note = fields.String(validate=validate.Length(max=2000))


class RecordOutreachHelper(schemas.Strict):
    person = fields.Nested(PersonInput, required=True)
    type = fields.String(required=True, validate=validate.OneOf(["phone"]),
                         metadata={"description": "phone: a call the person made"})
    targets = fields.List(fields.Nested(TargetInput), required=True,
                          validate=validate.Length(1, 1))
    custom_fields = fields.Nested(OutreachFields, required=True)
    referrer_data = fields.Dict(keys=fields.String(validate=validate.OneOf(["referrer"])),
                                values=fields.String(validate=validate.Length(max=32)))


class RecordSignatureHelper(schemas.Strict):
    person = fields.Nested(PersonInput, required=True)


# --- the person, as the action form checks it ------------------------------------------

#: The form's field → where it sits in the OSDI person.
FORM_FIELDS = {"first_name": "person.given_name", "last_name": "person.family_name",
               "email": "person.email_addresses[0].address",
               "zip_code": "person.postal_addresses[0].postal_code",
               "phone": "person.phone_numbers[0].number",
               "street": "person.postal_addresses[0].address_lines[0]",
               "city": "person.postal_addresses[0].locality"}


def _person_fields(person: dict) -> dict:
    """The person's fields after the action form's validators; 422 naming the OSDI field."""
    address = person["postal_addresses"][0]
    phones = person.get("phone_numbers") or [{}]
    typed = {"first_name": person["given_name"], "last_name": person["family_name"],
             "email": person["email_addresses"][0]["address"],
             "zip_code": address["postal_code"], "phone": phones[0].get("number", "")}
    forms = [ActionForm(formdata=MultiDict(typed), meta={"csrf": False})]
    place = {"street": (address.get("address_lines") or [""])[0],
             "city": address.get("locality", "")}
    if place["street"] or place["city"]:
        forms.append(AddressForm(formdata=MultiDict(
            {**place, "street": place["street"] or "-"}), meta={"csrf": False}))
    errors = [(name, messages[0]) for form in forms if not form.validate()
              for name, messages in form.errors.items() if name in FORM_FIELDS]
    if errors:
        name, message = errors[0]
        raise ApiError(422, FORM_FIELDS[name], message)
    values = {name: field.data for form in forms for name, field in form._fields.items()
              if name in FORM_FIELDS}
    values["zip_code"] = normalize_zip(values["zip_code"])
    values["street"] = place["street"] and values.get("street")
    values["city"] = place["city"] and values.get("city")
    values["status"] = person["email_addresses"][0].get("status")
    return values


def _lookup(values: dict):
    lookup = lookup_zip(values["zip_code"])
    if not lookup.found:
        raise ApiError(422, FORM_FIELDS["zip_code"],
                       f"We couldn't find ZIP code {values['zip_code']}.")
    return lookup


def _place(lookup) -> tuple[str | None, int | None, str]:
    """The district a ZIP gives, as the action page stores it (start_action)."""
    if len(lookup.districts) == 1:
        district = lookup.districts[0]
        return district.state, district.number, "zip-unique"
    states = lookup.states
    return (states[0] if len(states) == 1 else None), None, "zip-ambiguous"


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
@blp.arguments(PersonSignupHelper)
@blp.response(201, schemas.Person, content_type=HAL)
@blp.alt_response(200, schema=schemas.Person, description="An existing person, updated")
@documented
@idempotent
def add_person(data):
    """Person signup helper: adds the person, or updates the one with this email."""
    values = _person_fields(data["person"])
    lookup = _lookup(values)
    state, district, source = _place(lookup)
    email = normalize_email(values["email"])
    existing = db.session.scalars(select(Supporter).where(Supporter.email == email)).first()
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
    _audit("api.person_created" if existing is None else "api.person_updated",
           f"supporter {supporter.id}", {"fields": changed})
    db.session.flush()
    return osdi.person(supporter, with_contacts=True), 201 if existing is None else 200, []


def _identity(supporter: Supporter) -> dict:
    return {key: getattr(supporter, key) for key in (
        "first_name", "last_name", "zip_code", "street", "city", "phone", "state", "district",
        "is_subscribed")}


def _start(alert, data: dict):
    values = _person_fields(data["person"])
    lookup = _lookup(values)
    submission = start_action(alert, lookup, first_name=values["first_name"],
                              last_name=values["last_name"], email=values["email"],
                              phone=values["phone"] or None,
                              opt_in=values["status"] == "subscribed", is_proven=True)
    return submission, values


@blp.post("/advocacy_campaigns/<int:campaign_id>/outreaches")
@blp.arguments(RecordOutreachHelper)
@blp.response(201, schemas.Outreach, content_type=HAL)
@blp.alt_response(200, schema=schemas.Outreach, description="Recorded before")
@documented
@idempotent
def record_outreach(data, campaign_id):
    """Record outreach helper: a call a person made to a member of Congress (at an event,
    on a partner's tool)."""
    alert = _get(Alert, campaign_id)
    if alert is None:
        raise ApiError(404, None, "no such advocacy campaign")
    bioguide_id = data["targets"][0]["identifiers"][0].removeprefix("bioguide:")
    if db.session.get(Legislator, bioguide_id) is None:
        raise ApiError(422, "targets[0].identifiers[0]", f"no member {bioguide_id}")
    submission, _ = _start(alert, data)
    action, delivery, created = record_call(
        alert, submission, bioguide_id=bioguide_id, outcome=data["custom_fields"]["outcome"],
        note=data["custom_fields"].get("note"), submission_key=_submission_key("outreach"),
        referral_code=(data.get("referrer_data") or {}).get("referrer"))
    _audit("api.outreach_recorded", f"alert {alert.slug}",
           {"action": action.id, "supporter": submission.supporter_id, "created": created})
    db.session.flush()
    return osdi.outreach(action), 201 if created else 200, \
        [delivery.id] if delivery.status == PENDING else []


@blp.post("/petitions/<int:petition_id>/signatures")
@blp.arguments(RecordSignatureHelper)
@blp.response(201, schemas.Signature, content_type=HAL)
@blp.alt_response(200, schema=schemas.Signature, description="Signed before")
@documented
@idempotent
def record_petition_signature(data, petition_id):
    """Record signature helper: a person's name on the letter."""
    alert = _petition(petition_id)
    submission, values = _start(alert, data)
    action, delivery, created = record_signature(
        alert, submission, submission_key=_submission_key("signature"),
        city=values["city"] or None)
    _audit("api.signature_recorded", f"alert {alert.slug}",
           {"action": action.id, "supporter": submission.supporter_id, "created": created})
    return osdi.supporter_signature(action), 201 if created else 200, \
        [delivery.id] if delivery.status == PENDING else []

