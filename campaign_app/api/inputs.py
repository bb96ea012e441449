"""What the API's write helpers take (OSDI's person signup, record outreach and record
signature helpers): strict schemas, so an unknown field is refused by name."""

from marshmallow import ValidationError, fields, validate, validates_schema

from ..actions.models import CALL_OUTCOMES
from ..delivery.cwc import PREFIXES
from ..supporters.sources import CODE
from .schemas import Strict

#: OSDI's identifier, origin_system:id, from another system (alerta: is ours).
IDENTIFIER = validate.Regexp(r"^(?!alerta:)[a-z0-9][a-z0-9_.-]{0,39}:[\x21-\x7e]{1,200}$",
                             error="use origin_system:id (such as actionnetwork:abc-123), "
                                   "other than alerta:")


class EmailInput(Strict):
    address = fields.String(required=True, validate=validate.Length(max=254))
    primary = fields.Boolean()
    status = fields.String(validate=validate.OneOf(["subscribed", "unsubscribed"]))


class PostalInput(Strict):
    postal_code = fields.String(required=True, validate=validate.Length(max=10))
    address_lines = fields.List(fields.String(validate=validate.Length(max=200)),
                                validate=validate.Length(max=1))
    locality = fields.String(validate=validate.Length(max=100))
    region = fields.String(validate=validate.Length(max=2))
    country = fields.String(validate=validate.OneOf(["US"]))
    primary = fields.Boolean()


class PhoneInput(Strict):
    number = fields.String(required=True, validate=validate.Length(max=30))
    primary = fields.Boolean()
    number_type = fields.String(validate=validate.Length(max=20))


class PersonInput(Strict):
    given_name = fields.String(required=True, validate=validate.Length(max=100))
    family_name = fields.String(required=True, validate=validate.Length(max=100))
    email_addresses = fields.List(fields.Nested(EmailInput), required=True,
                                  validate=validate.Length(1, 1))
    postal_addresses = fields.List(fields.Nested(PostalInput), required=True,
                                   validate=validate.Length(1, 1))
    phone_numbers = fields.List(fields.Nested(PhoneInput), validate=validate.Length(max=1))
    identifiers = fields.List(fields.String(validate=IDENTIFIER), validate=validate.Length(max=10),
                              metadata={"description": "Your system's identifiers of the "
                                                       "person, kept and returned"})
    honorific_prefix = fields.String(validate=validate.OneOf(PREFIXES), metadata={
        "description": "Title, which Congress's message system requires for an email"})


class PersonSignupHelper(Strict):
    person = fields.Nested(PersonInput, required=True)


class TargetInput(Strict):
    identifiers = fields.List(fields.String(validate=validate.Regexp(r"^bioguide:[A-Z]\d{6}$")),
                              required=True, validate=validate.Length(1, 1),
                              metadata={"description": "bioguide:<id> of the member"})


class OutreachFields(Strict):
    outcome = fields.String(validate=validate.OneOf(list(CALL_OUTCOMES)),
                            metadata={"description": "The call's outcome (phone only)"})
    note = fields.String(validate=validate.Length(max=2000))
    is_response_requested = fields.Boolean(metadata={"description": "email: ask the office "
                                                                    "to write back"})
    is_newsletter_opt_in = fields.Boolean(metadata={"description": "email: sign up for the "
                                                                   "member's newsletter"})


class ReferrerData(Strict):
    referrer = fields.String(validate=validate.Length(max=32))
    #: A source code, as `?source=` on a link (supporters/sources.py).
    source = fields.String(validate=validate.Regexp(
        CODE, error="letters, digits and . _ ~ : / + - only, at most 100"))


class RecordOutreachHelper(Strict):
    person = fields.Nested(PersonInput, required=True)
    type = fields.String(required=True, validate=validate.OneOf(["phone", "email"]),
                         metadata={"description": "phone: a call the person made; email: "
                                                  "an email sent to the member for them"})
    targets = fields.List(fields.Nested(TargetInput), required=True,
                          validate=validate.Length(1, 1))
    #: email: the campaign's suggested wording when not given (or when it may not be edited).
    subject = fields.String(validate=validate.Length(1, 500))
    message = fields.String(validate=validate.Length(1, 20_000))
    custom_fields = fields.Nested(OutreachFields)
    referrer_data = fields.Nested(ReferrerData)

    @validates_schema
    def _fields_of_the_type(self, data, **kwargs):
        custom = data.get("custom_fields") or {}
        if data.get("type") == "phone":
            if "outcome" not in custom:
                raise ValidationError({"custom_fields": {"outcome": [
                    "a call needs its outcome"]}})
            if "subject" in data or "message" in data:
                raise ValidationError({"subject" if "subject" in data else "message": [
                    "only an email has a subject and a message"]})
        elif "outcome" in custom or "note" in custom:
            raise ValidationError({"custom_fields": {
                "outcome" if "outcome" in custom else "note": ["only a call has this"]}})


class RecordSignatureHelper(Strict):
    person = fields.Nested(PersonInput, required=True)
