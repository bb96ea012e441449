"""The public action forms."""

from collections.abc import Mapping

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
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
from ..i18n.languages import format_count
from .models import CALL_OUTCOMES


class Honeypot:
    """People don't see this field; bots fill it in."""

    def __call__(self, form, field):
        if field.data:
            raise ValidationError(_("Please leave this field empty."))


def PhoneField() -> TrimmedStringField:  # noqa: N802 - reads like the other fields
    """An optional phone number: digits and the usual separators, nothing else."""
    return TrimmedStringField(_l("Phone (optional)"), render_kw={"type": "tel"}, validators=[
        Optional(), Length(max=30, message=_l("Please keep the phone number under 30 characters.")),
        PlainText(),
        Regexp(r"^[0-9+().\- ]{7,30}$",
               message=_l("Please enter a phone number, like 202-555-0143, or leave it empty."))])


class ActionForm(BaseForm):
    first_name = TrimmedStringField(
        _l("First name"),
        validators=[DataRequired(_l("Please enter your first name.")),
                    Length(max=100,
                           message=_l("Please keep your first name under 100 characters.")),
                    PersonName()],
    )
    last_name = TrimmedStringField(
        _l("Last name"),
        validators=[DataRequired(_l("Please enter your last name.")),
                    Length(max=100, message=_l("Please keep your last name under 100 characters.")),
                    PersonName()],
    )
    email = TrimmedStringField(
        _l("Email"),
        validators=[DataRequired(_l("Please enter your email address.")),
                    Length(max=254, message=_l("That email address is too long.")),
                    PlainText(),
                    Email(_l("Please enter a valid email address, like ana@example.org."),
                          check_deliverability=False)],
    )
    zip_code = TrimmedStringField(
        _l("ZIP code"),
        validators=[DataRequired(_l("Please enter your ZIP code.")),
                    Length(max=10, message=_l("A ZIP code has 5 digits, like 20001.")),
                    Regexp(r"^\d{5}(-\d{4})?$",
                           message=_l("Please enter a 5-digit U.S. ZIP code, like 20001."))],
    )
    phone = PhoneField()
    opt_in = BooleanField(_l("Send me future action alerts by email"))
    #: The honeypot: hidden by CSS, labelled so screen-reader users know to skip it.
    website = StringField(_l("Leave this field empty"), validators=[Honeypot()],
                          filters=[strip_whitespace])


class CallReportForm(BaseForm):
    bioguide_id = HiddenField(validators=[DataRequired(), Length(max=16),
                                          Regexp(BIOGUIDE_ID, message=_l("Unknown member."))])
    outcome = RadioField(
        _l("How did it go?"),
        choices=[SelectChoice(value, label) for value, label in CALL_OUTCOMES.items()],
        validators=[DataRequired(_l("Please choose how the call went."))],
    )
    note = TextAreaField(
        _l("Anything to tell us? (optional)"),
        validators=[Optional(), Length(max=2000, message=_l(
            "Please keep the note under 2,000 characters."))],
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
            raise ValidationError(_("Please use only letters, numbers, spaces and . , # ' - /"))


class AddressForm(BaseForm):
    """The second step for a ZIP that spans districts: where the supporter lives."""

    street = TrimmedStringField(
        _l("Street address"),
        validators=[DataRequired(_l("Please enter your street address.")),
                    Length(max=200, message=_l("Please keep the address under 200 characters.")),
                    PlainText(), AddressText()],
    )
    city = TrimmedStringField(
        _l("City (optional)"),
        validators=[Optional(),
                    Length(max=100, message=_l("Please keep the city under 100 characters.")),
                    PlainText(), AddressText()],
    )


class DistrictChoiceForm(BaseForm):
    """'This is my representative': the supporter picks among their ZIP's districts."""

    district = HiddenField(validators=[DataRequired(_l("Please choose a district.")), Length(max=5),
                                       Regexp(r"^[A-Z]{2}-(AL|\d{1,2})$",
                                              message=_l("Please choose one of the districts."))])


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
        _l("Title"), choices=[SelectChoice("", _l("Choose…")),
                          *(SelectChoice(p, p) for p in PREFIXES)],
        default="", description=_l("Congress's message system requires one."))
    street = TrimmedStringField(_l("Street address"), filters=[xml_safe], validators=[
        DataRequired(_l("Please enter your street address: offices answer constituents only.")),
        Length(max=200, message=_l("Please keep the address under 200 characters.")),
        PlainText(), AddressText()])
    city = TrimmedStringField(_l("City"), filters=[xml_safe], validators=[
        DataRequired(_l("Please enter your city.")),
        Length(max=100, message=_l("Please keep the city under 100 characters.")),
        PlainText(), AddressText()])
    phone = PhoneField()
    subject = TrimmedStringField(_l("Subject"), filters=[xml_safe], validators=[
        DataRequired(_l("Please keep a subject.")),
        Length(max=CWC_SUBJECT[1],
               message=_l("Please keep the subject under %(count)s characters.",
                          count=CWC_SUBJECT[1])),
        PlainText()])
    body = TextAreaField(_l("Your message"), filters=[normalize_newlines, xml_safe],
                         validators=[DataRequired(_l("Please keep a message."))],
                         render_kw={"rows": 12})
    is_response_requested = BooleanField(_l("Ask the office to write back to me"))
    is_newsletter_opt_in = BooleanField(_l("Sign me up for my members' newsletters"))
    submission_key = HiddenField(validators=[DataRequired(), Length(min=16, max=64),
                                             Regexp(r"^[A-Za-z0-9_-]+$")])

    def __init__(self, *args, max_length: int = 5000, through_cwc: bool = False,
                 longest_target_names: Mapping[str, int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.through_cwc = through_cwc
        self.max_length = min(max_length, CWC_BODY[1]) if through_cwc else max_length
        #: Placeholder ([[Target_Name]], [[A_Target_Name]]) → the longest member's name it
        #: becomes (actions.emails.longest_target_names): the length counts that one.
        self.longest_target_names = dict(longest_target_names or {})

    def _sent_length(self, text: str) -> int:
        for placeholder, length in self.longest_target_names.items():
            text = text.replace(placeholder, "x" * length)
        return len(text)

    def validate_prefix(self, field):
        if self.through_cwc and not field.data:
            raise ValidationError(_("Please choose a title: Congress's message system "
                                    "requires one."))

    def validate_street(self, field):
        self._check_address(field, _("Please write out your street address (at least "
                                     "%(count)s characters).", count=CWC_ADDRESS_MIN))

    def validate_city(self, field):
        self._check_address(field, _("Please write out your city (at least %(count)s "
                                     "characters).", count=CWC_ADDRESS_MIN))

    def _check_address(self, field, message):
        if self.through_cwc and _visible_length(field.data or "") < CWC_ADDRESS_MIN:
            raise ValidationError(message)

    def validate_subject(self, field):
        low, high = CWC_SUBJECT
        text = field.data or ""
        if self.through_cwc and _visible_length(text) < low:
            raise ValidationError(_("Please write a subject of at least %(count)s characters.",
                                    count=low))
        if self._sent_length(text) > high:
            raise ValidationError(_("Please keep the subject under %(count)s characters, "
                                    "with your members' names filled in.", count=high))

    def validate_body(self, field):
        text = field.data or ""
        if self._sent_length(text) > self.max_length:
            raise ValidationError(_("Please keep your message under %(count)s characters, "
                                    "with your members' names filled in.",
                                    count=format_count(self.max_length)))
        if self.through_cwc and _visible_length(text) < CWC_BODY[0]:
            raise ValidationError(_("Please write a message of at least %(count)s "
                                    "characters.", count=CWC_BODY[0]))


class SignatureForm(BaseForm):
    """'Add your name to the letter': the supporter is known by now; the city is what the
    letter (and, if the organizer chose so, the public list) shows of where they live."""

    city = TrimmedStringField(
        _l("City (optional: shown with your name on the letter)"),
        validators=[Optional(),
                    Length(max=100, message=_l("Please keep the city under 100 characters.")),
                    PlainText(), AddressText()],
    )
    submission_key = HiddenField(validators=[DataRequired(), Length(min=16, max=64),
                                             Regexp(r"^[A-Za-z0-9_-]+$")])
