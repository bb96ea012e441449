"""The public action forms."""

from wtforms import BooleanField, HiddenField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice, SelectField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp, ValidationError

from ..congress.models import BIOGUIDE_ID
from ..core.forms import (
    BaseForm,
    PersonName,
    PlainText,
    TrimmedStringField,
    normalize_newlines,
    strip_whitespace,
)
from ..delivery.cwc import PREFIXES, clean_text
from .models import CALL_OUTCOMES


class Honeypot:
    """People don't see this field; bots fill it in."""

    def __call__(self, form, field):
        if field.data:
            raise ValidationError("Please leave this field empty.")


def PhoneField() -> TrimmedStringField:  # noqa: N802 - reads like the other fields
    """An optional phone number: digits and the usual separators, nothing else."""
    return TrimmedStringField("Phone (optional)", render_kw={"type": "tel"}, validators=[
        Optional(), Length(max=30, message="Please keep the phone number under 30 characters."),
        PlainText(),
        Regexp(r"^[0-9+().\- ]{7,30}$",
               message="Please enter a phone number, like 202-555-0143, or leave it empty.")])


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
    phone = PhoneField()
    opt_in = BooleanField("Send me future action alerts by email")
    #: The honeypot: hidden by CSS, labelled so screen-reader users know to skip it.
    website = StringField("Leave this field empty", validators=[Honeypot()],
                          filters=[strip_whitespace])


class CallReportForm(BaseForm):
    bioguide_id = HiddenField(validators=[DataRequired(), Length(max=16),
                                          Regexp(BIOGUIDE_ID, message="Unknown member.")])
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
        # Also where the form has no PlainText: a city shows on the public list of signers.
        PlainText()(form, field)
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


#: CWC's limits on what a supporter writes (characters).
CWC_SUBJECT = (6, 500)
CWC_BODY = (6, 10_000)
CWC_ADDRESS_MIN = 3


def xml_safe(value):
    """What XML 1.0 forbids (a vertical tab pasted from Word…) out of the text, so that what
    we store, count and send is the same."""
    return strip_whitespace(clean_text(value)) if isinstance(value, str) else value


def _visible_length(text: str) -> int:
    """Characters that count toward a minimum: runs of spaces and line breaks count once."""
    return len(" ".join(text.split()))


class EmailForm(BaseForm):
    """The email to Congress: the suggested text (editable if the alert allows) and what
    Congress's message system needs to know of the sender.

    `through_cwc` says whether the message will go through CWC to any office: only then is
    the title asked (CWC requires one), and CWC's limits apply to the address and text."""

    prefix = SelectField(
        "Title", choices=[SelectChoice("", "Choose…"),
                          *(SelectChoice(p, p) for p in PREFIXES)],
        default="", description="Congress's message system requires one.")
    street = TrimmedStringField("Street address", filters=[xml_safe], validators=[
        DataRequired("Please enter your street address: offices answer constituents only."),
        Length(max=200, message="Please keep the address under 200 characters."),
        PlainText(), AddressText()])
    city = TrimmedStringField("City", filters=[xml_safe], validators=[
        DataRequired("Please enter your city."),
        Length(max=100, message="Please keep the city under 100 characters."),
        PlainText(), AddressText()])
    phone = PhoneField()
    subject = TrimmedStringField("Subject", filters=[xml_safe], validators=[
        DataRequired("Please keep a subject."),
        Length(max=CWC_SUBJECT[1],
               message=f"Please keep the subject under {CWC_SUBJECT[1]} characters."),
        PlainText()])
    body = TextAreaField("Your message", filters=[normalize_newlines, xml_safe],
                         validators=[DataRequired("Please keep a message.")],
                         render_kw={"rows": 12})
    is_response_requested = BooleanField("Ask the office to write back to me")
    is_newsletter_opt_in = BooleanField("Sign me up for my members' newsletters")
    submission_key = HiddenField(validators=[DataRequired(), Length(min=16, max=64),
                                             Regexp(r"^[A-Za-z0-9_-]+$")])

    def __init__(self, *args, max_length: int = 5000, through_cwc: bool = False,
                 longest_target_name: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.through_cwc = through_cwc
        self.max_length = min(max_length, CWC_BODY[1]) if through_cwc else max_length
        #: [[Target_Name]] becomes each member's name: count the longest one.
        self.longest_target_name = longest_target_name

    def _sent_length(self, text: str) -> int:
        return len(text.replace("[[Target_Name]]", "x" * self.longest_target_name))

    def validate_prefix(self, field):
        if self.through_cwc and not field.data:
            raise ValidationError("Please choose a title: Congress's message system "
                                  "requires one.")

    def validate_street(self, field):
        self._check_address(field, "street address")

    def validate_city(self, field):
        self._check_address(field, "city")

    def _check_address(self, field, name):
        if self.through_cwc and _visible_length(field.data or "") < CWC_ADDRESS_MIN:
            raise ValidationError(f"Please write out your {name} (at least "
                                  f"{CWC_ADDRESS_MIN} characters).")

    def validate_subject(self, field):
        low, high = CWC_SUBJECT
        text = field.data or ""
        if self.through_cwc and _visible_length(text) < low:
            raise ValidationError(f"Please write a subject of at least {low} characters.")
        if self._sent_length(text) > high:
            raise ValidationError(f"Please keep the subject under {high} characters, "
                                  "with your members' names filled in.")

    def validate_body(self, field):
        text = field.data or ""
        if self._sent_length(text) > self.max_length:
            raise ValidationError(f"Please keep your message under {self.max_length:,} "
                                  "characters, with your members' names filled in.")
        if self.through_cwc and _visible_length(text) < CWC_BODY[0]:
            raise ValidationError(f"Please write a message of at least {CWC_BODY[0]} "
                                  "characters.")


class SignatureForm(BaseForm):
    """'Add your name to the letter': the supporter is known by now; the city is what the
    letter (and, if the organizer chose so, the public list) shows of where they live."""

    city = TrimmedStringField(
        "City (optional: shown with your name on the letter)",
        validators=[Optional(),
                    Length(max=100, message="Please keep the city under 100 characters."),
                    PlainText(), AddressText()],
    )
    submission_key = HiddenField(validators=[DataRequired(), Length(min=16, max=64),
                                             Regexp(r"^[A-Za-z0-9_-]+$")])
