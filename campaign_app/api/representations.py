"""Our records as OSDI resources (HAL+JSON): the field names OSDI and Action Network use.

Each function takes what a key may see (`with_contacts`): a viewer-scope key gets no names,
email addresses, phone numbers or street addresses, the rule of a viewer's export.
"""

from datetime import datetime

from flask import g, url_for

from ..actions.models import Action
from ..alerts.models import Alert
from ..alerts.signons import SignOn
from ..supporters.models import Supporter

CURIES = [{"name": "osdi", "href": "https://opensupporter.org/docs/v1/{rel}",
           "templated": True}]
#: Outreach types: our action kinds as OSDI names them.
OUTREACH_TYPES = {"call": "phone", "thank": "phone", "email": "email"}


def iso(moment: datetime | None) -> str | None:
    """UTC time as OSDI writes it, 2026-11-30T16:00:00Z (isoformat: strftime costs a page
    of 100 resources several times more)."""
    return moment.isoformat(timespec="seconds")[:19] + "Z" if moment else None


class _Templates(dict):
    """This request's link templates by (endpoint, names): url_for runs once per endpoint
    and request, and each link is a format of its template (a page of 100 resources has
    300 links)."""

    def __missing__(self, key):
        endpoint, names = key
        marks = {name: 987_654_000 + n for n, name in enumerate(names)}
        url = url_for(f"api.{endpoint}", _external=True, **marks)
        template = url.replace("{", "{{").replace("}", "}}")
        for name, mark in marks.items():
            template = template.replace(str(mark), "{" + name + "}")
        self[key] = template
        return template


def templates() -> _Templates:
    found = g.get("api_link_templates")
    if found is None:
        found = g.api_link_templates = _Templates()
    return found


def link(endpoint: str, **values) -> dict:
    """{"href": the absolute URL of the endpoint}."""
    return {"href": templates()[endpoint, tuple(values)].format(**values)}


def person(supporter: Supporter, *, with_contacts: bool, identifiers=()) -> dict:
    """A supporter (an ORM object or a row of its columns) and the identifiers clients gave
    them (`identifiers`), after our own."""
    address = {"primary": True, "region": supporter.state, "postal_code": supporter.zip_code,
               "country": "US"}
    resource = {
        "identifiers": [f"alerta:person-{supporter.id}", *identifiers],
        "created_date": iso(supporter.created_at),
        "modified_date": iso(supporter.updated_at),
        "postal_addresses": [address],
        # The language they last acted in (issue 15); unknown until they chose or acted.
        "languages_spoken": [supporter.language] if supporter.language else [],
        # The source they first came with, when that visit added them (issue 17).
        "custom_fields": {"congressional_district": supporter.district,
                          "source_code": supporter.source_code},
    }
    if with_contacts:
        resource["given_name"] = supporter.first_name
        resource["family_name"] = supporter.last_name
        resource["email_addresses"] = [{
            "address": supporter.email, "primary": True,
            "status": "subscribed" if supporter.is_subscribed else "unsubscribed"}]
        resource["phone_numbers"] = [{"number": supporter.phone, "primary": True}] \
            if supporter.phone else []
        address["locality"] = supporter.city
        address["address_lines"] = [supporter.street] if supporter.street else []
    resource["_links"] = {
        "self": link("get_person", person_id=supporter.id),
        "osdi:outreaches": link("person_outreaches", person_id=supporter.id),
        "curies": CURIES,
    }
    return resource


def target(legislator) -> dict:
    return {"title": legislator.title, "given_name": legislator.first_name,
            "family_name": legislator.last_name, "ocdid": _ocdid(legislator),
            "identifiers": [f"bioguide:{legislator.bioguide_id}"]}


def _ocdid(legislator) -> str:
    base = f"ocd-division/country:us/state:{legislator.state.lower()}"
    if legislator.chamber == "senate":
        return base
    return f"{base}/cd:{legislator.district or 'at-large'}"


def advocacy_campaign(alert: Alert, *, total_outreaches: int | None = None,
                      targets: list | None = None) -> dict:
    resource = {
        "identifiers": [f"alerta:advocacy_campaign-{alert.id}"],
        "origin_system": "Alerta",
        "created_date": iso(alert.created_at),
        "modified_date": iso(alert.updated_at),
        "title": alert.title,
        "name": alert.slug,
        "description": alert.appeal,
        "status": alert.status,
        "type": [OUTREACH_TYPES[channel] for channel in alert.channels
                 if channel in OUTREACH_TYPES],
        "targets": targets if targets is not None else [],
        "browser_url": url_for("actions.alert_page", slug=alert.slug, _external=True),
        "end_date": iso(alert.deadline_at),
    }
    if total_outreaches is not None:
        resource["total_outreaches"] = total_outreaches
    resource["_links"] = {
        "self": link("get_advocacy_campaign", campaign_id=alert.id),
        "osdi:outreaches": link("campaign_outreaches", campaign_id=alert.id),
        "osdi:record_outreach_helper": link("campaign_outreaches", campaign_id=alert.id),
        "curies": CURIES,
    }
    return resource


def outreach(action: Action, targets: list[dict]) -> dict:
    """An action (an ORM object or a row of its columns) and the member it reached
    (`targets`: [target] or [])."""
    created = iso(action.created_at)
    resource = {
        "identifiers": [f"alerta:outreach-{action.id}"],
        "created_date": created,
        "modified_date": created,
        "type": OUTREACH_TYPES.get(action.kind, action.kind),
        "targets": targets,
        "custom_fields": {"kind": action.kind, "outcome": action.outcome,
                          "status": action.status, "channel": action.channel},
        "referrer_data": {"referrer": action.referral_code, "source": action.source_code},
    }
    if action.kind == "email":
        resource["subject"] = action.message_subject
    urls = templates()  # once for the three links
    resource["_links"] = {
        "self": {"href": urls["get_outreach", ("outreach_id",)].format(outreach_id=action.id)},
        "osdi:advocacy_campaign": {"href": urls["get_advocacy_campaign", ("campaign_id",)]
                                   .format(campaign_id=action.alert_id)},
        "osdi:person": {"href": urls["get_person", ("person_id",)]
                        .format(person_id=action.supporter_id)},
        "curies": CURIES,
    }
    return resource


def petition(alert: Alert, *, total_signatures: int | None = None) -> dict:
    resource = {
        "identifiers": [f"alerta:petition-{alert.id}"],
        "origin_system": "Alerta",
        "created_date": iso(alert.created_at),
        "modified_date": iso(alert.updated_at),
        "title": alert.title,
        "name": alert.slug,
        "description": alert.appeal,
        "petition_text": alert.letter_text,
        "browser_url": url_for("actions.alert_page", slug=alert.slug, _external=True),
        "end_date": iso(alert.deadline_at),
    }
    if total_signatures is not None:
        resource["total_signatures"] = total_signatures
    resource["_links"] = {
        "self": link("get_petition", petition_id=alert.id),
        "osdi:signatures": link("petition_signatures", petition_id=alert.id),
        "osdi:record_signature_helper": link("petition_signatures", petition_id=alert.id),
        "curies": CURIES,
    }
    return resource


def supporter_signature(action: Action) -> dict:
    return {
        "identifiers": [f"alerta:signature-person-{action.id}"],
        "created_date": iso(action.created_at),
        "modified_date": iso(action.created_at),
        "custom_fields": {"signer": "person"},
        "_links": {
            "self": link("get_signature", signature_id=f"person-{action.id}"),
            "osdi:petition": link("get_petition", petition_id=action.alert_id),
            "osdi:person": link("get_person", person_id=action.supporter_id),
            "curies": CURIES,
        },
    }


def signon_signature(signon: SignOn, *, with_contacts: bool) -> dict:
    """An organization's (or a member of Congress's) name on the letter."""
    fields = {"signer": signon.kind, "status": "withdrawn" if signon.withdrawn_at
              else signon.status}
    if signon.kind == "organization":
        fields.update(organization_name=signon.organization_name, country=signon.country,
                      website=signon.website)
        if with_contacts:
            fields.update(contact_name=signon.contact_name, contact_email=signon.contact_email)
    else:
        fields["bioguide_id"] = signon.bioguide_id
    modified = max(moment for moment in (signon.created_at, signon.reviewed_at,
                                         signon.withdrawn_at) if moment)
    return {
        "identifiers": [f"alerta:signature-signon-{signon.id}"],
        "created_date": iso(signon.signed_at),
        "modified_date": iso(modified),
        "custom_fields": fields,
        "_links": {
            "self": link("get_signature", signature_id=f"signon-{signon.id}"),
            "osdi:petition": link("get_petition", petition_id=signon.alert_id),
            "curies": CURIES,
        },
    }
