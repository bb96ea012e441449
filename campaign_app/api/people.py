"""The person an API write names, checked as the action form checks it: the form's own
validators run on the OSDI fields, and an error names the OSDI field."""

from werkzeug.datastructures import MultiDict

from ..actions.forms import ActionForm, AddressForm
from ..congress.queries import lookup_zip, normalize_zip
from .errors import ApiError

#: The form's field → where it sits in the OSDI person.
FORM_FIELDS = {"first_name": "person.given_name", "last_name": "person.family_name",
               "email": "person.email_addresses[0].address",
               "zip_code": "person.postal_addresses[0].postal_code",
               "phone": "person.phone_numbers[0].number",
               "street": "person.postal_addresses[0].address_lines[0]",
               "city": "person.postal_addresses[0].locality"}


def person_fields(person: dict) -> dict:
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


def lookup(values: dict):
    lookup = lookup_zip(values["zip_code"])
    if not lookup.found:
        raise ApiError(422, FORM_FIELDS["zip_code"],
                       f"We couldn't find ZIP code {values['zip_code']}.")
    return lookup
