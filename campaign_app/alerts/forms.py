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
from ..delivery.cwc import BILL_TYPES, TOPICS
from ..i18n.languages import language_name
from ..i18n.staff import lazy_staff_gettext, staff_gettext
from ..text.merge import CATALOGUE
from .defaults import DEFAULTABLE_FIELDS
from .models import SIGNER_LISTS
from .texts import ORGANIZER_TEXTS, merge_field_errors, too_long

TIME_ZONES = [
    ("America/New_York", lazy_staff_gettext("Eastern")),
    ("America/Chicago", lazy_staff_gettext("Central")),
    ("America/Denver", lazy_staff_gettext("Mountain")),
    ("America/Phoenix", lazy_staff_gettext("Arizona")),
    ("America/Los_Angeles", lazy_staff_gettext("Pacific")),
    ("America/Anchorage", lazy_staff_gettext("Alaska")),
    ("Pacific/Honolulu", lazy_staff_gettext("Hawaii")),
    ("America/Puerto_Rico", lazy_staff_gettext("Atlantic (Puerto Rico)")),
]
TARGET_RULES = [
    ("house", lazy_staff_gettext("The supporter's House member")),
    ("senate", lazy_staff_gettext("The supporter's two senators")),
    ("all", lazy_staff_gettext("All three: House member and both senators")),
    ("listed", lazy_staff_gettext("Only the members listed below (those who represent the "
                                  "supporter)")),
]
CHANNELS = [("call", lazy_staff_gettext("Call")), ("email", lazy_staff_gettext("Email")),
            ("signon", lazy_staff_gettext("Sign the letter (supporters and organizations)"))]
#: For a long text not in ORGANIZER_TEXTS (those give their own limits).
MAX_TEXT = 10_000
#: What CWC takes (characters): a subject of 6 to 500, a message of 6 to 10,000.
CWC_SUBJECT = (6, 500)
CWC_BODY_MAX = 10_000
POSITIONS = [("", lazy_staff_gettext("No position")),
             ("pro", lazy_staff_gettext("Pro: for the bills")),
             ("con", lazy_staff_gettext("Con: against the bills"))]
_BILL_LINE = re.compile(r"^(\d{1,3})\s+([A-Za-z][A-Za-z. ]*?)\s*(\d{1,6})$")


def parse_bills(text: str) -> list[dict]:
    """'119 hr 1234' (or '119 H.R. 1234') per line → [{"congress", "type", "number"}]."""
    bills = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        match = _BILL_LINE.match(line)
        if match is None:
            raise ValueError(staff_gettext("Line %(number)s: write each bill as its Congress, "
                                           "type and number, like “119 hr 1234”.",
                                           number=number))
        congress, kind, bill = match.groups()
        kind = kind.replace(".", "").replace(" ", "").lower()
        if kind not in BILL_TYPES:
            raise ValueError(staff_gettext("Line %(number)s: “%(kind)s” is not a bill type "
                                           "Congress's message system knows (%(types)s).",
                                           number=number, kind=kind[:10],
                                           types=", ".join(BILL_TYPES)))
        if int(congress) < 1 or int(bill) < 1:
            raise ValueError(staff_gettext("Line %(number)s: the Congress and the number start "
                                           "at 1.", number=number))
        bills.append({"congress": int(congress), "type": kind, "number": int(bill)})
    if len(bills) > 20:
        raise ValueError(staff_gettext("Twenty bills at most."))
    return bills


def format_bills(bills) -> str:
    return "\n".join(f"{b['congress']} {b['type']} {b['number']}" for b in bills or ())


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
            raise ValueError(staff_gettext("“%(part)s” is not a whole number of hours.",
                                           part=part[:20]))
        hours.append(int(part))
    if any(h < 1 or h > 30 * 24 for h in hours):
        raise ValueError(staff_gettext("Reminders go out between 1 hour and 30 days (720 hours) "
                                       "before."))
    if len(set(hours)) > 5:
        raise ValueError(staff_gettext("Five reminders at most."))
    return sorted(set(hours), reverse=True)


def _text(label, *, required=False, max_length=MAX_TEXT, rows=8):
    validators = [DataRequired(lazy_staff_gettext("Please write the %(text)s.",
                                                  text=label.lower()))] if required else [
        Optional()]
    validators += [TextLength(max_length, label), MergeFields()]
    return TextAreaField(label, validators=validators, filters=[normalize_newlines],
                         render_kw={"rows": rows})


class AlertForm(BaseForm):
    title = TrimmedStringField(lazy_staff_gettext("Title"), validators=[
        DataRequired(lazy_staff_gettext("Please give the alert a title.")),
        Length(max=200, message=lazy_staff_gettext("Please keep the title under 200 "
                                                   "characters.")),
        PlainText()])
    slug = TrimmedStringField(lazy_staff_gettext("Web address"), validators=[
        Optional(),
        Length(max=80, message=lazy_staff_gettext("Please keep the address under 80 "
                                                  "characters.")),
        Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$",
               message=lazy_staff_gettext("Use lower-case letters, digits and single hyphens, "
                                          "like mexico-letter-2026."))],
        description=lazy_staff_gettext("The alert's address: /a/<this>. Left empty, it is made "
                                       "from the title."))
    appeal = _text(lazy_staff_gettext("Appeal"), required=True, max_length=_limit("appeal"),
                   rows=10)
    channels = MultiCheckboxField(lazy_staff_gettext("Ways to act"), choices=_choices(CHANNELS),
                                  validators=[DataRequired(lazy_staff_gettext(
                                      "Choose at least one way to act."))])
    target_rule = RadioField(lazy_staff_gettext("Who supporters contact"),
                             choices=_choices(TARGET_RULES), default="house",
                             validators=[DataRequired()])
    target_ids = SelectMultipleField(lazy_staff_gettext("Listed members"), choices=[],
                                     validate_choice=True, render_kw={"size": 12})
    skip_signed = BooleanField(lazy_staff_gettext("Skip members who already signed the letter"))
    call_script = _text(lazy_staff_gettext("Call script"), max_length=_limit("call_script"),
                        rows=8)
    thank_script = _text(lazy_staff_gettext("Thank-you script (for members who already signed)"),
                         max_length=_limit("thank_script"), rows=5)
    email_subject = TrimmedStringField(lazy_staff_gettext("Suggested email subject"), validators=[
        Optional(),
        Length(max=CWC_SUBJECT[1], message=lazy_staff_gettext(
            "Please keep the subject under %(max)d characters.")),
        PlainText(), MergeFields()])
    email_body = _text(lazy_staff_gettext("Suggested email body"), max_length=20_000, rows=10)
    is_email_editable = BooleanField(lazy_staff_gettext("Supporters may edit the email"),
                                     default=True)
    email_max_length = IntegerField(
        lazy_staff_gettext("Longest email a supporter may send (characters)"), default=5000,
        validators=[DataRequired(lazy_staff_gettext("Please give a length limit.")),
                    NumberRange(200, 20_000, lazy_staff_gettext("Between 200 and 20,000."))])
    topic = SelectField(
        lazy_staff_gettext("Topic (Library of Congress policy area)"),
        choices=[SelectChoice("", lazy_staff_gettext("Choose a topic…")),
                 *(SelectChoice(t, t) for t in TOPICS)],
        default="", description=lazy_staff_gettext("Offices file the messages under it. "
                                                   "Required when emails go through Congress's "
                                                   "message system (CWC)."))
    bills = TextAreaField(
        lazy_staff_gettext("Bills (optional)"), filters=[normalize_newlines],
        render_kw={"rows": 3}, validators=[Length(max=2000)],
        description=lazy_staff_gettext("One per line: Congress, type and number, like “119 hr "
                                       "1234” or “119 sres 56”."))
    position = SelectField(lazy_staff_gettext("Position on the bills"),
                           choices=_choices(POSITIONS), default="")
    more_info_url = TrimmedStringField(
        lazy_staff_gettext("More information (optional link for offices)"), validators=[
            Optional(), Length(max=500),
            URL(require_tld=True, message=lazy_staff_gettext("Please enter a full web address "
                                                             "(https://…)."))])
    deadline_date = DateField(lazy_staff_gettext("Deadline date"), validators=[Optional()])
    deadline_time = TimeField(lazy_staff_gettext("Deadline time"), validators=[Optional()])
    time_zone = SelectField(lazy_staff_gettext("Time zone"), choices=_choices(TIME_ZONES),
                            default="America/New_York")
    reminder_offsets = TrimmedStringField(
        lazy_staff_gettext("Reminders (hours before the deadline)"),
        validators=[Length(max=100), PlainText()],
        description=lazy_staff_gettext("For example “48, 3”: two days and three hours before."))
    thank_you_text = _text(lazy_staff_gettext("Thank-you text"),
                           max_length=_limit("thank_you_text"), rows=5)
    share_text = TrimmedStringField(lazy_staff_gettext("Share text"), validators=[
        Optional(),
        Length(max=280, message=lazy_staff_gettext("Share text fits in 280 characters.")),
        PlainText(), MergeFields()])
    share_url = TrimmedStringField(lazy_staff_gettext("Share link"), validators=[
        Optional(), Length(max=500),
        URL(require_tld=True, message=lazy_staff_gettext("Please enter a full web address "
                                                         "(https://…)."))])
    signon_goal = IntegerField(lazy_staff_gettext("Sign-on goal (members)"), validators=[
        Optional(), NumberRange(1, 535, lazy_staff_gettext("Between 1 and 535 members."))])
    previous_signon_count = IntegerField(lazy_staff_gettext("Last letter's signers"), validators=[
        Optional(), NumberRange(0, 535, lazy_staff_gettext("Between 0 and 535 members."))])
    letter_text = _text(lazy_staff_gettext("Letter supporters sign"),
                        max_length=_limit("letter_text"), rows=10)
    signature_goal = IntegerField(lazy_staff_gettext("Signature goal (supporters)"), validators=[
        Optional(), NumberRange(1, 10_000_000, lazy_staff_gettext(
            "Between 1 and 10,000,000 signatures."))])
    public_signer_list = RadioField(lazy_staff_gettext("Public list of signers"),
                                    choices=_choices(SIGNER_LISTS.items()), default="off",
                                    validators=[DataRequired()])
    alert_email_subject = TrimmedStringField(lazy_staff_gettext("Alert email subject"), validators=[
        Optional(),
        Length(max=200, message=lazy_staff_gettext("Please keep the subject under 200 "
                                                   "characters.")),
        PlainText(), MergeFields()])
    alert_email_body = _text(lazy_staff_gettext("Alert email body"),
                             max_length=_limit("alert_email_body"), rows=10)

    def __init__(self, *args, cwc_on: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        #: Emails go through CWC: its limits and its topic apply.
        self.cwc_on = cwc_on

    def validate_more_info_url(self, field):
        if field.data and not field.data.lower().startswith(("https://", "http://")):
            raise ValidationError(staff_gettext("The link must start with https:// or http://."))

    def validate_bills(self, field):
        try:
            parse_bills(field.data or "")
        except ValueError as error:
            raise ValidationError(str(error)) from error

    def validate_position(self, field):
        if field.data and not (self.bills.data or "").strip():
            raise ValidationError(staff_gettext("A position is on bills: list the bills, or "
                                                "choose no position."))

    def _check_cwc_limits(self) -> bool:
        """CWC's limits, where the alert's emails will go through it."""
        if not (self.cwc_on and "email" in (self.channels.data or [])):
            return True
        valid = True
        if not self.topic.data:
            self.topic.errors.append(staff_gettext("Please choose the topic: Congress's message "
                                                   "system requires one."))
            valid = False
        subject = self.email_subject.data or ""
        if subject and len(subject) < CWC_SUBJECT[0]:
            self.email_subject.errors.append(staff_gettext(
                "Congress's message system needs a subject of at least %(min)s characters.",
                min=CWC_SUBJECT[0]))
            valid = False
        if len(self.email_body.data or "") > CWC_BODY_MAX:
            self.email_body.errors.append(staff_gettext(
                "Congress's message system takes at most %(max)s characters: please shorten "
                "the email.", max=format(CWC_BODY_MAX, ",")))
            valid = False
        if (self.email_max_length.data or 0) > CWC_BODY_MAX:
            self.email_max_length.errors.append(staff_gettext(
                "Between 200 and %(max)s: Congress's message system takes at most %(max)s "
                "characters.", max=format(CWC_BODY_MAX, ",")))
            valid = False
        return valid

    def validate_share_url(self, field):
        if field.data and not field.data.lower().startswith(("https://", "http://")):
            raise ValidationError(staff_gettext("Share links must start with https:// or http://."))

    def validate_reminder_offsets(self, field):
        try:
            parse_offsets(field.data or "")
        except ValueError as error:
            raise ValidationError(str(error)) from error

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        valid = self._check_cwc_limits() and valid
        # Not a validate_letter_text: Optional() stops the chain before it on an empty letter.
        if "signon" in (self.channels.data or []) and not (self.letter_text.data or "").strip():
            self.letter_text.errors.append(staff_gettext(
                "Please write the letter supporters sign, or don't offer signing as a way to "
                "act."))
            valid = False
        both_or_neither = bool(self.deadline_date.data) == bool(self.deadline_time.data)
        if not both_or_neither and not (self.deadline_date.errors or self.deadline_time.errors):
            self.deadline_time.errors.append(
                staff_gettext("Give both the deadline's date and time, or neither."))
            return False
        return valid

    def validate_target_ids(self, field):
        if self.target_rule.data == "listed" and not field.data:
            raise ValidationError(staff_gettext("Choose at least one member to target."))

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
            "public_signer_list", "topic", "position")}
        for key in ("appeal", "call_script", "thank_script", "email_subject", "email_body",
                    "thank_you_text", "share_text", "alert_email_subject", "alert_email_body",
                    "letter_text"):
            data[key] = data[key] or ""
        data["slug"] = self.slug.data
        data["target_ids"] = list(self.target_ids.data or []) if self.target_rule.data == \
            "listed" else []
        data["share_url"] = self.share_url.data or None
        data["more_info_url"] = self.more_info_url.data or None
        data["topic"] = self.topic.data or ""
        data["position"] = self.position.data or None
        data["bills"] = parse_bills(self.bills.data or "")
        data["deadline_at"] = self.deadline_at()
        data["reminder_offsets"] = parse_offsets(self.reminder_offsets.data or "")
        return data

    def fill_from(self, alert) -> None:
        """Set the fields from an alert (GET of the edit page)."""
        for name in self.alert_data():
            if name in self._fields and name not in ("reminder_offsets", "bills"):
                self[name].data = getattr(alert, name)
        self.bills.data = format_bills(alert.bills)
        self.position.data = alert.position or ""
        self.reminder_offsets.data = ", ".join(str(h) for h in alert.reminder_offsets or [])
        if alert.deadline_at:
            local = alert.deadline_at.astimezone(ZoneInfo(alert.time_zone))
            self.deadline_date.data, self.deadline_time.data = local.date(), local.time()


class PreviewForm(BaseForm):
    """The sample supporter the organizer previews as (a GET form: no CSRF needed)."""

    class Meta:
        csrf = False

    first_name = TrimmedStringField(lazy_staff_gettext("First name"), default="Ana",
                                    validators=[Optional(), Length(max=100), PlainText()])
    last_name = TrimmedStringField(lazy_staff_gettext("Last name"), default="Gómez",
                                   validators=[Optional(), Length(max=100), PlainText()])
    zip_code = TrimmedStringField(lazy_staff_gettext("ZIP code"), default="82001", validators=[
        Optional(),
        Regexp(r"^\d{5}$", message=lazy_staff_gettext("A 5-digit ZIP code, like 20001."))])
    city = TrimmedStringField(lazy_staff_gettext("City"),
                              validators=[Optional(), Length(max=100), PlainText()])


class CwcCheckForm(BaseForm):
    """CWC's dry run for a sample supporter: a POST (it calls an outside service)."""

    first_name = TrimmedStringField(lazy_staff_gettext("First name"), validators=[
        DataRequired(lazy_staff_gettext("A first name, please.")), Length(max=100), PlainText()])
    last_name = TrimmedStringField(lazy_staff_gettext("Last name"), validators=[
        DataRequired(lazy_staff_gettext("A last name, please.")), Length(max=100), PlainText()])
    zip_code = TrimmedStringField(lazy_staff_gettext("ZIP code"), validators=[
        DataRequired(lazy_staff_gettext("A ZIP code, please.")),
        Regexp(r"^\d{5}$", message=lazy_staff_gettext("A 5-digit ZIP code, like 20001."))])
    street = TrimmedStringField(lazy_staff_gettext("Street address"), default="1 Main St",
                                validators=[DataRequired(lazy_staff_gettext(
                                    "CWC requires a street address.")),
                                            Length(max=200), PlainText()])
    city = TrimmedStringField(lazy_staff_gettext("City"), validators=[
        DataRequired(lazy_staff_gettext("CWC requires a city.")), Length(max=100), PlainText()])


class NoBrackets:
    """A default is shown as written: brackets would read as a broken merge field."""

    def __call__(self, form, field):
        if field.data and ("[" in field.data or "]" in field.data):
            raise ValidationError(staff_gettext("Please leave out square brackets."))


class MergeDefaultsForm(BaseForm):
    """The organization's default per merge field and language: one text box per field that
    may lack a value and per offered language, named `<language>_<field>` (added by
    `merge_defaults_form`, as the languages are a setting)."""

    languages: tuple[str, ...] = ()

    def defaults(self, language: str) -> dict[str, str]:
        return {key: self[f"{language}_{key}"].data or "" for key in DEFAULTABLE_FIELDS}


def merge_defaults_form(languages: tuple[str, ...], placeholders: dict[str, dict[str, str]],
                        **kwargs) -> MergeDefaultsForm:
    """The form for these languages; `placeholders`: language → field → what a box left
    empty reads (the default language's, else the built-in one)."""
    form_class = type("LanguageMergeDefaultsForm", (MergeDefaultsForm,),
                      {"languages": languages})
    for language in languages:
        for key in DEFAULTABLE_FIELDS:
            placeholder = placeholders.get(language, {}).get(key)
            setattr(form_class, f"{language}_{key}", TrimmedStringField(
                f"{CATALOGUE[key]} ({language_name(language)})",
                render_kw={"placeholder": placeholder, "lang": language} if placeholder
                else {"lang": language},
                validators=[Length(max=100, message=lazy_staff_gettext(
                    "Please keep a default under 100 characters.")), PlainText(),
                    NoBrackets()]))
    return form_class(**kwargs)


def _translated_field(key: str):
    """One of the alert's texts in another language: the same limits as the alert's own;
    merge fields are checked when it is saved (alerts.texts), with their line and column."""
    spec = ORGANIZER_TEXTS[key]
    if spec.kind == "header":
        return TrimmedStringField(spec.label, validators=[
            Optional(), Length(max=spec.max_length), PlainText()])
    return TextAreaField(spec.label, validators=[Optional(), Length(max=spec.max_length)],
                         filters=[normalize_newlines], render_kw={"rows": 6})


class TranslationForm(BaseForm):
    """The alert's texts in one more language (Spanish for an English alert). Empty texts are
    read in the alert's own language; all empty removes the language."""

    title = TrimmedStringField(lazy_staff_gettext("Title"),
                               validators=[Optional(), Length(max=200), PlainText()])
    appeal = _translated_field("appeal")
    call_script = _translated_field("call_script")
    thank_script = _translated_field("thank_script")
    email_subject = _translated_field("email_subject")
    email_body = _translated_field("email_body")
    thank_you_text = _translated_field("thank_you_text")
    share_text = _translated_field("share_text")
    alert_email_subject = _translated_field("alert_email_subject")
    alert_email_body = _translated_field("alert_email_body")


class AlertLanguageForm(BaseForm):
    """The language the alert's own texts (the main editor's) are written in."""

    language = SelectField(lazy_staff_gettext("The editor's texts are in"), choices=[])
