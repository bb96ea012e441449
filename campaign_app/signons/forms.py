"""Forms of sign-ons: staff recording members, the import, and organizations' public form."""

import re
from urllib.parse import urlsplit

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp, ValidationError

from ..actions.forms import Honeypot
from ..alerts.signons import APPROVED, MEMBER_SOURCES, PENDING, REJECTED
from ..congress.models import BIOGUIDE_ID
from ..core.forms import BaseForm, PersonName, PlainText, TrimmedStringField, strip_whitespace
from ..i18n.staff import lazy_staff_gettext, staff_gettext

_BIOGUIDE_FIELD = [DataRequired(), Length(max=16),
                   Regexp(BIOGUIDE_ID, message=lazy_staff_gettext("Unknown member."))]


def _source_field():
    return TrimmedStringField(lazy_staff_gettext("Source"), default=MEMBER_SOURCES[0], validators=[
        DataRequired(lazy_staff_gettext("Please say how you know (e.g. office confirmed by "
                                        "phone).")),
        Length(max=100,
               message=lazy_staff_gettext("Please keep the source under 100 characters.")),
        PlainText()])


class MemberSignOnForm(BaseForm):
    bioguide_id = HiddenField(validators=_BIOGUIDE_FIELD)
    source = _source_field()
    signed_on = DateField(lazy_staff_gettext("Signed on"), validators=[Optional()])
    note = TextAreaField(lazy_staff_gettext("Note"), filters=[strip_whitespace], validators=[
        Optional(), Length(max=2000,
                           message=lazy_staff_gettext("Please keep the note under 2,000 "
                                                      "characters."))])


class PublicCountForm(BaseForm):
    is_public = HiddenField(validators=[DataRequired(), Regexp(r"^[01]$")])


class ImportForm(BaseForm):
    file = FileField(lazy_staff_gettext("CSV file of bioguide ids or names"),
                     validators=[FileRequired(lazy_staff_gettext("Please choose a file."))])
    source = _source_field()


class ImportConfirmForm(BaseForm):
    bioguide_id = SelectMultipleField(lazy_staff_gettext("Members"), validate_choice=False)
    source = _source_field()

    def validate_bioguide_id(self, field):
        if not field.data:
            raise ValidationError(staff_gettext("Please tick at least one member to record."))
        if len(field.data) > 600 or not all(BIOGUIDE_ID.match(value) for value in field.data):
            raise ValidationError(staff_gettext("The list of members could not be read; please "
                                                "upload the file again."))


def _no_links(form, field):
    if field.data and re.search(r"https?:|www\.|<|>", field.data, re.IGNORECASE):
        raise ValidationError(_("Please enter just the name, without links or angle brackets."))


def _has_letters(form, field):
    if field.data and not any(ch.isalpha() for ch in field.data):
        raise ValidationError(_("Please enter a name with letters."))


def _web_address(form, field):
    if not field.data:
        return
    value = field.data if "://" in field.data else f"https://{field.data}"
    parts = urlsplit(value)
    if (parts.scheme not in {"http", "https"} or "." not in (parts.hostname or "")
            or re.search(r"[\s<>\"'`]", value)):
        raise ValidationError(_("Please enter a web address like https://example.org."))
    field.data = value


class OrganizationSignOnForm(BaseForm):
    organization_name = TrimmedStringField(_l("Organization name"), validators=[
        DataRequired(_l("Please enter your organization's name.")),
        Length(max=200, message=_l("Please keep the name under 200 characters.")),
        PlainText(), _no_links, _has_letters])
    country = TrimmedStringField(_l("Country"), default="United States", validators=[
        DataRequired(_l("Please enter your country.")),
        Length(max=100, message=_l("Please keep the country under 100 characters.")), PersonName()])
    website = TrimmedStringField(_l("Website (optional)"), validators=[
        Optional(),
        Length(max=300, message=_l("Please keep the web address under 300 characters.")),
        PlainText(), _web_address])
    contact_name = TrimmedStringField(_l("Contact name"), validators=[
        DataRequired(_l("Please enter a contact person.")),
        Length(max=100, message=_l("Please keep the name under 100 characters.")), PersonName()])
    contact_email = TrimmedStringField(_l("Contact email"), validators=[
        DataRequired(_l("Please enter the contact's email address.")),
        Length(max=254, message=_l("That email address is too long.")), PlainText(),
        Email(_l("Please enter a valid email address, like ana@example.org."),
              check_deliverability=False)])
    #: The honeypot: hidden by CSS; people leave it empty, bots fill it in.
    fax = StringField(_l("Leave this field empty"), validators=[Honeypot()],
                      filters=[strip_whitespace])


class ReviewForm(BaseForm):
    status = SelectField(_l("Decision"), choices=[
        SelectChoice(APPROVED, "Approve"), SelectChoice(REJECTED, "Reject"),
        SelectChoice(PENDING, "Back to pending")])


class OrderForm(BaseForm):
    """Positions come as position-<id> fields, read by `positions()`."""

    def positions(self, formdata) -> dict[int, int] | None:
        found = {}
        for key, value in formdata.items():
            match = re.fullmatch(r"position-(\d{1,9})", key)
            if not match:
                continue
            value = value.strip()
            if not value:
                continue
            if not value.isdigit() or len(value) > 4:
                return None
            found[int(match.group(1))] = int(value)
        return found

