"""What the API takes and gives, as marshmallow schemas: they validate the input and are the
source of the OpenAPI description (flask-smorest reads them)."""

import marshmallow as ma
from marshmallow import fields, validate

from .paging import MAX_PER_PAGE


class Strict(ma.Schema):
    class Meta:
        unknown = ma.RAISE


class Open(ma.Schema):
    """Output: documents the fields; extra keys a resource carries pass through."""

    class Meta:
        unknown = ma.INCLUDE


# --- query arguments -------------------------------------------------------------------

class PageArgs(Strict):
    page = fields.Integer(load_default=1, validate=validate.Range(1, 1_000_000))
    per_page = fields.Integer(load_default=25, validate=validate.Range(1, MAX_PER_PAGE))
    filter = fields.String(validate=validate.Length(max=300),
                           metadata={"description": "OData subset: modified_date gt "
                                                    "'2026-11-01T00:00:00Z'"})
    after = fields.String(validate=validate.Length(max=60),
                          metadata={"description": "the key a next link carries"})


# --- output ----------------------------------------------------------------------------

def Link():  # noqa: N802 - reads as a field type
    return fields.Dict(keys=fields.String(), values=fields.Raw())


def Moment():  # noqa: N802 - reads as a field type
    return fields.String(allow_none=True, metadata={"format": "date-time"})


class EmailAddress(Open):
    address = fields.String()
    primary = fields.Boolean()
    status = fields.String(validate=validate.OneOf(["subscribed", "unsubscribed"]))


class PhoneNumber(Open):
    number = fields.String()
    primary = fields.Boolean()


class PostalAddress(Open):
    primary = fields.Boolean()
    address_lines = fields.List(fields.String())
    locality = fields.String(allow_none=True)
    region = fields.String(allow_none=True)
    postal_code = fields.String(allow_none=True)
    country = fields.String()


class Resource(Open):
    identifiers = fields.List(fields.String(), required=True)
    created_date = Moment()
    modified_date = Moment()
    _links = Link()


class Person(Resource):
    given_name = fields.String()
    family_name = fields.String()
    email_addresses = fields.List(fields.Nested(EmailAddress))
    phone_numbers = fields.List(fields.Nested(PhoneNumber))
    postal_addresses = fields.List(fields.Nested(PostalAddress))
    languages_spoken = fields.List(fields.String())
    custom_fields = fields.Dict()


class Target(Open):
    title = fields.String()
    given_name = fields.String()
    family_name = fields.String()
    ocdid = fields.String()
    identifiers = fields.List(fields.String())


class AdvocacyCampaign(Resource):
    origin_system = fields.String()
    title = fields.String()
    name = fields.String()
    description = fields.String()
    status = fields.String()
    type = fields.List(fields.String())
    targets = fields.List(fields.Nested(Target))
    browser_url = fields.String()
    end_date = Moment()
    total_outreaches = fields.Integer()


class Outreach(Resource):
    type = fields.String()
    subject = fields.String(allow_none=True)
    targets = fields.List(fields.Nested(Target))
    custom_fields = fields.Dict()
    referrer_data = fields.Dict()


class Petition(Resource):
    origin_system = fields.String()
    title = fields.String()
    name = fields.String()
    description = fields.String()
    petition_text = fields.String()
    browser_url = fields.String()
    end_date = Moment()
    total_signatures = fields.Integer()


class Signature(Resource):
    custom_fields = fields.Dict()


def collection(name: str, item: type[ma.Schema]) -> type[ma.Schema]:
    """A HAL collection page embedding `osdi:<name>`."""
    embedded = type(f"{item.__name__}Embedded", (Open,), {
        f"osdi:{name}": fields.List(fields.Nested(item), data_key=f"osdi:{name}",
                                    attribute=f"osdi:{name}")})
    return type(f"{item.__name__}Collection", (Open,), {
        "page": fields.Integer(required=True),
        "per_page": fields.Integer(required=True),
        "total_pages": fields.Integer(required=True),
        "total_records": fields.Integer(required=True),
        "_links": Link(),
        "_embedded": fields.Nested(embedded, required=True),
    })


PersonCollection = collection("people", Person)
AdvocacyCampaignCollection = collection("advocacy_campaigns", AdvocacyCampaign)
OutreachCollection = collection("outreaches", Outreach)
PetitionCollection = collection("petitions", Petition)
SignatureCollection = collection("signatures", Signature)


class OsdiError(Open):
    error = fields.String(required=True)
    response_code = fields.Integer(required=True)
    errors = fields.List(fields.Dict())
