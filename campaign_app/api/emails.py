"""The record outreach helper's email: a partner's tool sends an email to Congress for a
person, through the email step's own form rules, routing (CWC or the office's contact form)
and operation (`record_email`), so the API sends nothing the action page would not."""

from flask import current_app
from werkzeug.datastructures import MultiDict

from ..actions.call_page import posted_email_form
from ..actions.emails import suggested_email
from ..actions.operations import record_email, resolve_by_address
from ..actions.targets import skipped_signers, supporter_lookup
from ..alerts.targets import needs_district, select_targets
from ..congress.geocoder import geocoder_from_config
from .errors import ApiError
from .queries import email_to

#: The email form's fields → where they sit in the OSDI outreach.
FORM_FIELDS = {"prefix": "person.honorific_prefix",
               "street": "person.postal_addresses[0].address_lines[0]",
               "city": "person.postal_addresses[0].locality",
               "phone": "person.phone_numbers[0].number", "subject": "subject",
               "body": "message", "submission_key": "Idempotency-Key"}
STREET, CITY = FORM_FIELDS["street"], FORM_FIELDS["city"]


def check_email_campaign(alert) -> None:
    """422 unless the alert takes emails now (an email goes to Congress, a call report
    only records what happened)."""
    if "email" not in alert.channels:
        raise ApiError(422, "type", "this advocacy campaign takes no emails")
    if not alert.is_live:
        raise ApiError(422, "type", "this advocacy campaign is closed: no more emails")


def _placed(alert, submission, lookup, values: dict) -> None:
    """The person's district, as the address step finds it when the ZIP spans several."""
    signed = skipped_signers(alert)
    if not needs_district(alert, lookup, signed):
        return
    geocoder = geocoder_from_config(current_app.config)
    if geocoder is None:
        raise ApiError(422, FORM_FIELDS["street"], f"ZIP {lookup.zip_code} spans several "
                       "districts, and no geocoder is set up to place the address")
    problem = resolve_by_address(submission, lookup, geocoder, street=values["street"],
                                 city=values["city"])
    if problem:
        raise ApiError(422, STREET, problem)


def record_email_outreach(alert, submission, lookup, data: dict, values: dict,
                          bioguide_id: str, submission_key: str):
    """The email to one member, once per person, office and alert. Returns the action
    (the earlier one when the person already wrote to this office), the deliveries to queue
    after the commit, and whether the action is new. Flushes."""
    if not values["street"] or not values["city"]:
        raise ApiError(422, STREET if not values["street"] else CITY,
                       "an email to Congress needs the person's street address and city: "
                       "offices answer their constituents only")
    _placed(alert, submission, lookup, values)
    profile = submission.profile
    targets = select_targets(alert, supporter_lookup(profile), skipped_signers(alert))
    target = next((t for t in targets if t.bioguide_id == bioguide_id), None)
    if target is None:
        raise ApiError(422, "targets[0].identifiers[0]",
                       f"{bioguide_id} is not one of this person's members in this campaign")
    suggested = suggested_email(alert, profile, supporter_lookup(profile))
    custom = data.get("custom_fields") or {}
    form = posted_email_form(alert, submission, [target], meta={"csrf": False},
                             formdata=MultiDict({
        "prefix": data["person"].get("honorific_prefix", ""), "street": values["street"],
        "city": values["city"], "phone": values["phone"] or "",
        "subject": data.get("subject", suggested.subject),
        "body": data.get("message", suggested.body), "submission_key": submission_key,
        **{name: "y" for name in ("is_response_requested", "is_newsletter_opt_in")
           if custom.get(name)}}))
    if not form.validate():
        name, messages = next(iter(form.errors.items()))
        raise ApiError(422, FORM_FIELDS.get(name, name), str(messages[0]))
    actions, deliveries = record_email(
        alert, submission, [target], prefix=form.prefix.data or None, street=form.street.data,
        city=form.city.data, phone=form.phone.data or None, subject=form.subject.data,
        body=form.body.data, submission_key=submission_key,
        is_response_requested=form.is_response_requested.data,
        is_newsletter_opt_in=form.is_newsletter_opt_in.data)
    if actions:
        return actions[0], deliveries, True
    return email_to(alert.id, submission.supporter_id, bioguide_id), [], False

