"""The public action forms."""

from wtforms import BooleanField, HiddenField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp, ValidationError

from ..core.forms import BaseForm, PersonName, PlainText, TrimmedStringField, strip_whitespace
from .models import CALL_OUTCOMES


class Honeypot:
    """People don't see this field; bots fill it in."""

    def __call__(self, form, field):
        if field.data:
            raise ValidationError("Please leave this field empty.")


class ActionForm(BaseForm):
    first_name = TrimmedStringField(
        "First name",
        validators=[DataRequired("Please enter your first name."),
                    Length(max=100, message="Please keep your first name under 100 characters."),
                    PersonName()],
    )
    last_name = TrimmedStringField(
        "Last name",
        validators=[DataRequired("Please enter your last name."),
                    Length(max=100, message="Please keep your last name under 100 characters."),
                    PersonName()],
    )
    email = TrimmedStringField(
        "Email",
        validators=[DataRequired("Please enter your email address."),
                    Length(max=254, message="That email address is too long."),
                    PlainText(),
                    Email("Please enter a valid email address, like ana@example.org.",
                          check_deliverability=False)],
    )
    zip_code = TrimmedStringField(
        "ZIP code",
        validators=[DataRequired("Please enter your ZIP code."),
                    Length(max=10, message="A ZIP code has 5 digits, like 20001."),
                    Regexp(r"^\d{5}(-\d{4})?$",
                           message="Please enter a 5-digit U.S. ZIP code, like 20001.")],
    )
    opt_in = BooleanField("Send me future action alerts by email")
    #: The honeypot: hidden by CSS, labelled so screen-reader users know to skip it.
    website = StringField("Leave this field empty", validators=[Honeypot()],
                          filters=[strip_whitespace])


class CallReportForm(BaseForm):
    bioguide_id = HiddenField(validators=[DataRequired(), Length(max=16),
                                          Regexp(r"^[A-Z]\d{6}$", message="Unknown member.")])
    outcome = RadioField(
        "How did it go?",
        choices=[SelectChoice(value, label) for value, label in CALL_OUTCOMES.items()],
        validators=[DataRequired("Please choose how the call went.")],
    )
    note = TextAreaField(
        "Anything to tell us? (optional)",
        validators=[Optional(), Length(max=2000, message="Please keep the note under 2,000 "
                                                         "characters.")],
        filters=[strip_whitespace],
    )
    submission_key = HiddenField(validators=[DataRequired(), Length(min=16, max=64),
                                             Regexp(r"^[A-Za-z0-9_-]+$")])


class AddressText:
    """A line of a postal address: no markup, no control characters."""

    def __call__(self, form, field):
        value = field.data or ""
        if any(ch in value for ch in "<>{}[]\\|;=\"`$"):
            raise ValidationError("Please use only letters, numbers, spaces and . , # ' - /")


class AddressForm(BaseForm):
    """The second step for a ZIP that spans districts: where the supporter lives."""

    street = TrimmedStringField(
        "Street address",
        validators=[DataRequired("Please enter your street address."),
                    Length(max=200, message="Please keep the address under 200 characters."),
                    PlainText(), AddressText()],
    )
    city = TrimmedStringField(
        "City (optional)",
        validators=[Optional(),
                    Length(max=100, message="Please keep the city under 100 characters."),
                    PlainText(), AddressText()],
    )


class DistrictChoiceForm(BaseForm):
    """'This is my representative': the supporter picks among their ZIP's districts."""

    district = HiddenField(validators=[DataRequired("Please choose a district."), Length(max=5),
                                       Regexp(r"^[A-Z]{2}-(AL|\d{1,2})$",
                                              message="Please choose one of the districts.")])
