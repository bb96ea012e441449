"""What the API's write helpers take (OSDI's person signup, record outreach and record
signature helpers): strict schemas, so an unknown field is refused by name."""

from marshmallow import fields, validate

from ..actions.models import CALL_OUTCOMES
from ..supporters.sources import CODE
from .schemas import Strict


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


class PersonSignupHelper(Strict):
    person = fields.Nested(PersonInput, required=True)


class TargetInput(Strict):
    identifiers = fields.List(fields.String(validate=validate.Regexp(r"^bioguide:[A-Z]\d{6}$")),
                              required=True, validate=validate.Length(1, 1),
                              metadata={"description": "bioguide:<id> of the member"})


class OutreachFields(Strict):
    outcome = fields.String(required=True, validate=validate.OneOf(list(CALL_OUTCOMES)))
    note = fields.String(validate=validate.Length(max=2000))


class ReferrerData(Strict):
    referrer = fields.String(validate=validate.Length(max=32))
    #: A source code, as `?source=` on a link (supporters/sources.py).
    source = fields.String(validate=validate.Regexp(
        CODE, error="letters, digits and . _ ~ : / + - only, at most 100"))


class RecordOutreachHelper(Strict):
    person = fields.Nested(PersonInput, required=True)
    type = fields.String(required=True, validate=validate.OneOf(["phone"]),
                         metadata={"description": "phone: a call the person made"})
    targets = fields.List(fields.Nested(TargetInput), required=True,
                          validate=validate.Length(1, 1))
    custom_fields = fields.Nested(OutreachFields, required=True)
    referrer_data = fields.Nested(ReferrerData)


class RecordSignatureHelper(Strict):
    person = fields.Nested(PersonInput, required=True)
