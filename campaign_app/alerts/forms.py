"""The alert editor's form."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectMultipleField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import RadioField, SelectChoice, SelectField
from wtforms.validators import (
    URL,
    DataRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from ..core.forms import BaseForm, PlainText, TrimmedStringField, normalize_newlines
from ..text.merge import CATALOGUE
from .models import SIGNER_LISTS
from .personalize import DEFAULTABLE_FIELDS
from .texts import ORGANIZER_TEXTS, merge_field_errors, too_long

TIME_ZONES = [
    ("America/New_York", "Eastern"), ("America/Chicago", "Central"),
    ("America/Denver", "Mountain"), ("America/Phoenix", "Arizona"),
    ("America/Los_Angeles", "Pacific"), ("America/Anchorage", "Alaska"),
    ("Pacific/Honolulu", "Hawaii"), ("America/Puerto_Rico", "Atlantic (Puerto Rico)"),
]
TARGET_RULES = [
    ("house", "The supporter's House member"),
    ("senate", "The supporter's two senators"),
    ("all", "All three: House member and both senators"),
    ("listed", "Only the members listed below (those who represent the supporter)"),
]
CHANNELS = [("call", "Call"), ("email", "Email"),
            ("signon", "Sign the letter (supporters and organizations)")]
#: For a long text not in ORGANIZER_TEXTS (those give their own limits).
MAX_TEXT = 10_000


def _choices(pairs):
    return [SelectChoice(value, label) for value, label in pairs]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class TextLength(Length):
    """At most `max` characters, saying how many there are (Length also sets maxlength)."""

    def __init__(self, max: int, label: str):
        super().__init__(max=max)
        self.label = label

    def __call__(self, form, field):
        length = len(field.data or "")
        if length > self.max:
            spec = ORGANIZER_TEXTS.get(field.name)
            raise ValidationError(too_long(spec.label if spec else self.label, self.max, length))


def _limit(attribute: str) -> int:
    return ORGANIZER_TEXTS[attribute].max_length


class MergeFields:
    """The text compiles with the merge fields its place allows (names and positions)."""

    def __call__(self, form, field):
        error = merge_field_errors({field.name: field.data or ""}).get(field.name)
        if error:
            raise ValidationError(error)


def parse_offsets(text: str) -> list[int]:
    """'48, 3' → [48, 3]: reminder hours before the deadline, largest first."""
    if not text.strip():
        return []
    hours = []
    for part in re.split(r"[,\s]+", text.strip()):
        if not part.isdigit():
            raise ValueError(f"“{part[:20]}” is not a whole number of hours.")
        hours.append(int(part))
    if any(h < 1 or h > 30 * 24 for h in hours):
        raise ValueError("Reminders go out between 1 hour and 30 days (720 hours) before.")
    if len(set(hours)) > 5:
        raise ValueError("Five reminders at most.")
    return sorted(set(hours), reverse=True)


def _text(label, *, required=False, max_length=MAX_TEXT, rows=8):
    validators = [DataRequired(f"Please write the {label.lower()}.")] if required else [
        Optional()]
    validators += [TextLength(max_length, label), MergeFields()]
    return TextAreaField(label, validators=validators, filters=[normalize_newlines],
                         render_kw={"rows": rows})


class AlertForm(BaseForm):
    title = TrimmedStringField("Title", validators=[
        DataRequired("Please give the alert a title."),
        Length(max=200, message="Please keep the title under 200 characters."), PlainText()])
    slug = TrimmedStringField("Web address", validators=[
        Optional(), Length(max=80, message="Please keep the address under 80 characters."),
        Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$",
               message="Use lower-case letters, digits and single hyphens, like "
                       "mexico-letter-2026.")],
        description="The alert's address: /a/<this>. Left empty, it is made from the title.")
    appeal = _text("Appeal", required=True, max_length=_limit("appeal"), rows=10)
    channels = MultiCheckboxField("Ways to act", choices=_choices(CHANNELS),
                                  validators=[DataRequired("Choose at least one way to act.")])
    target_rule = RadioField("Who supporters contact", choices=_choices(TARGET_RULES),
                             default="house", validators=[DataRequired()])
    target_ids = SelectMultipleField("Listed members", choices=[], validate_choice=True,
                                     render_kw={"size": 12})
    skip_signed = BooleanField("Skip members who already signed the letter")
    call_script = _text("Call script", max_length=_limit("call_script"), rows=8)
    thank_script = _text("Thank-you script (for members who already signed)",
                         max_length=_limit("thank_script"), rows=5)
    email_subject = TrimmedStringField("Suggested email subject", validators=[
        Optional(), Length(max=200, message="Please keep the subject under 200 characters."),
        PlainText(), MergeFields()])
    email_body = _text("Suggested email body", max_length=20_000, rows=10)
    is_email_editable = BooleanField("Supporters may edit the email", default=True)
    email_max_length = IntegerField("Longest email a supporter may send (characters)",
                                    default=5000, validators=[
                                        DataRequired("Please give a length limit."),
                                        NumberRange(200, 20_000, "Between 200 and 20,000.")])
    deadline_date = DateField("Deadline date", validators=[Optional()])
    deadline_time = TimeField("Deadline time", validators=[Optional()])
    time_zone = SelectField("Time zone", choices=_choices(TIME_ZONES),
                            default="America/New_York")
    reminder_offsets = TrimmedStringField(
        "Reminders (hours before the deadline)", validators=[Length(max=100), PlainText()],
        description="For example “48, 3”: two days and three hours before.")
    thank_you_text = _text("Thank-you text", max_length=_limit("thank_you_text"), rows=5)
    share_text = TrimmedStringField("Share text", validators=[
        Optional(), Length(max=280, message="Share text fits in 280 characters."),
        PlainText(), MergeFields()])
    share_url = TrimmedStringField("Share link", validators=[
        Optional(), Length(max=500), URL(require_tld=True, message="Please enter a full web "
                                                                    "address (https://…).")])
    signon_goal = IntegerField("Sign-on goal (members)", validators=[
        Optional(), NumberRange(1, 535, "Between 1 and 535 members.")])
    previous_signon_count = IntegerField("Last letter's signers", validators=[
        Optional(), NumberRange(0, 535, "Between 0 and 535 members.")])
    letter_text = _text("Letter supporters sign", max_length=_limit("letter_text"), rows=10)
    signature_goal = IntegerField("Signature goal (supporters)", validators=[
        Optional(), NumberRange(1, 10_000_000, "Between 1 and 10,000,000 signatures.")])
    public_signer_list = RadioField("Public list of signers",
                                    choices=_choices(SIGNER_LISTS.items()), default="off",
                                    validators=[DataRequired()])
    alert_email_subject = TrimmedStringField("Alert email subject", validators=[
        Optional(), Length(max=200, message="Please keep the subject under 200 characters."),
        PlainText(), MergeFields()])
    alert_email_body = _text("Alert email body", max_length=_limit("alert_email_body"), rows=10)

    def validate_share_url(self, field):
        if field.data and not field.data.lower().startswith(("https://", "http://")):
            raise ValidationError("Share links must start with https:// or http://.")

    def validate_reminder_offsets(self, field):
        try:
            parse_offsets(field.data or "")
        except ValueError as error:
            raise ValidationError(str(error)) from error

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Not a validate_letter_text: Optional() stops the chain before it on an empty letter.
        if "signon" in (self.channels.data or []) and not (self.letter_text.data or "").strip():
            self.letter_text.errors.append("Please write the letter supporters sign, or don't "
                                           "offer signing as a way to act.")
            valid = False
        both_or_neither = bool(self.deadline_date.data) == bool(self.deadline_time.data)
        if not both_or_neither and not (self.deadline_date.errors or self.deadline_time.errors):
            self.deadline_time.errors.append(
                "Give both the deadline's date and time, or neither.")
            return False
        return valid

    def validate_target_ids(self, field):
        if self.target_rule.data == "listed" and not field.data:
            raise ValidationError("Choose at least one member to target.")

    def deadline_at(self) -> datetime | None:
        if not (self.deadline_date.data and self.deadline_time.data):
            return None
        local = datetime.combine(self.deadline_date.data, self.deadline_time.data,
                                 tzinfo=ZoneInfo(self.time_zone.data))
        return local.astimezone(ZoneInfo("UTC"))

    def alert_data(self) -> dict:
        """The form's values as Alert attributes."""
        data = {name: getattr(self, name).data for name in (
            "title", "appeal", "channels", "target_rule", "skip_signed", "call_script",
            "thank_script",
            "email_subject", "email_body", "is_email_editable", "email_max_length", "time_zone",
            "thank_you_text", "share_text", "signon_goal", "previous_signon_count",
            "alert_email_subject", "alert_email_body", "letter_text", "signature_goal",
            "public_signer_list")}
        for key in ("appeal", "call_script", "thank_script", "email_subject", "email_body",
                    "thank_you_text", "share_text", "alert_email_subject", "alert_email_body",
                    "letter_text"):
            data[key] = data[key] or ""
        data["slug"] = self.slug.data
        data["target_ids"] = list(self.target_ids.data or []) if self.target_rule.data == \
            "listed" else []
        data["share_url"] = self.share_url.data or None
        data["deadline_at"] = self.deadline_at()
        data["reminder_offsets"] = parse_offsets(self.reminder_offsets.data or "")
        return data

    def fill_from(self, alert) -> None:
        """Set the fields from an alert (GET of the edit page)."""
        for name in self.alert_data():
            if name in self._fields and name not in ("reminder_offsets",):
                self[name].data = getattr(alert, name)
        self.reminder_offsets.data = ", ".join(str(h) for h in alert.reminder_offsets or [])
        if alert.deadline_at:
            local = alert.deadline_at.astimezone(ZoneInfo(alert.time_zone))
            self.deadline_date.data, self.deadline_time.data = local.date(), local.time()


class PreviewForm(BaseForm):
    """The sample supporter the organizer previews as (a GET form: no CSRF needed)."""

    class Meta:
        csrf = False

    first_name = TrimmedStringField("First name", default="Ana",
                                    validators=[Optional(), Length(max=100), PlainText()])
    last_name = TrimmedStringField("Last name", default="Gómez",
                                   validators=[Optional(), Length(max=100), PlainText()])
    zip_code = TrimmedStringField("ZIP code", default="82001", validators=[
        Optional(), Regexp(r"^\d{5}$", message="A 5-digit ZIP code, like 20001.")])
    city = TrimmedStringField("City", validators=[Optional(), Length(max=100), PlainText()])


class ConfirmForm(BaseForm):
    """A button that changes state (publish, close, duplicate): CSRF only."""


class CwcCheckForm(BaseForm):
    """CWC's dry run for a sample supporter: a POST (it calls an outside service)."""

    first_name = TrimmedStringField("First name", validators=[
        DataRequired("A first name, please."), Length(max=100), PlainText()])
    last_name = TrimmedStringField("Last name", validators=[
        DataRequired("A last name, please."), Length(max=100), PlainText()])
    zip_code = TrimmedStringField("ZIP code", validators=[
        DataRequired("A ZIP code, please."),
        Regexp(r"^\d{5}$", message="A 5-digit ZIP code, like 20001.")])
    street = TrimmedStringField("Street address", default="1 Main St", validators=[
        DataRequired("CWC requires a street address."), Length(max=200), PlainText()])
    city = TrimmedStringField("City", validators=[
        DataRequired("CWC requires a city."), Length(max=100), PlainText()])


class NoBrackets:
    """A default is shown as written: brackets would read as a broken merge field."""

    def __call__(self, form, field):
        if field.data and ("[" in field.data or "]" in field.data):
            raise ValidationError("Please leave out square brackets.")


class MergeDefaultsForm(BaseForm):
    """The organization's default per merge field: one text box per field that may lack a
    value (fields are added below, from DEFAULTABLE_FIELDS)."""

    def defaults(self) -> dict[str, str]:
        return {key: self[key].data or "" for key in DEFAULTABLE_FIELDS}


for _key in DEFAULTABLE_FIELDS:
    setattr(MergeDefaultsForm, _key, TrimmedStringField(CATALOGUE[_key], validators=[
        Length(max=100, message="Please keep a default under 100 characters."), PlainText(),
        NoBrackets()]))
