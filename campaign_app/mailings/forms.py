"""Forms for mailings: the segment, a test send, and the bounce webhook's payload."""

import csv
import io
import re

from babel.lists import format_list
from flask_babel import get_locale
from flask_wtf.file import FileField
from wtforms import SelectMultipleField, StringField
from wtforms.fields.choices import RadioField, SelectChoice, SelectField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from ..core.forms import BaseForm, PlainText, TrimmedStringField
from ..i18n.staff import lazy_staff_gettext, staff_gettext
from .segments import SEGMENT_TYPES

STATES = sorted([
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN",
    "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH",
    "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT",
    "VT", "VA", "WA", "WV", "WI", "WY", "PR", "VI", "GU", "MP", "AS",
])
MAX_CSV_BYTES = 5 * 1024 * 1024
EMAIL = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")


class SegmentForm(BaseForm):
    segment_type = RadioField(lazy_staff_gettext("Send to"), default="all",
                              validators=[DataRequired()],
                              choices=[SelectChoice(k, v) for k, v in SEGMENT_TYPES.items()])
    states = SelectMultipleField(lazy_staff_gettext("States"),
                                 choices=[SelectChoice(s, s) for s in STATES],
                                 render_kw={"size": 8})
    districts = TrimmedStringField(lazy_staff_gettext("Districts"),
                                   validators=[Length(max=2000), PlainText()],
                                   description=lazy_staff_gettext("Like “NY-12, CA-27, WY-0”."))
    acted_alert_id = SelectField(lazy_staff_gettext("Alert"), choices=[], validate_choice=False,
                                 validators=[Optional()])
    tag = TrimmedStringField(lazy_staff_gettext("Tag"), validators=[Length(max=50), PlainText()])
    emails_file = FileField(lazy_staff_gettext("CSV of email addresses"),
                            description=lazy_staff_gettext("One address per row (first column), "
                                                           "up to 5 MB."))

    #: The one field each segment reads.
    SEGMENT_FIELDS = {"state": "states", "district": "districts", "acted": "acted_alert_id",
                      "not_acted": "acted_alert_id", "tag": "tag", "emails": "emails_file"}

    def set_alert_choices(self, alerts) -> None:
        # Blank first, so that an alert counts as given only when one was chosen.
        self.acted_alert_id.choices = [SelectChoice("", staff_gettext("Choose an alert"))] + [
            SelectChoice(str(alert.id), alert.title) for alert in alerts]

    def validate(self, extra_validators=None) -> bool:
        """Also refuse what was filled in for another segment than the one chosen: "CA-42"
        in Districts with "All subscribed supporters" chosen would send to everyone."""
        valid = super().validate(extra_validators)
        chosen = self.segment_type.data
        if chosen not in SEGMENT_TYPES:
            return valid
        owners: dict[str, list[str]] = {}
        for kind, name in self.SEGMENT_FIELDS.items():
            owners.setdefault(name, []).append(f"“{SEGMENT_TYPES[kind]}”")
        locale = get_locale() or "en"
        for name, kinds in owners.items():
            field = self[name]
            if name == self.SEGMENT_FIELDS.get(chosen) or not _filled(field):
                continue
            field.errors.append(staff_gettext(
                "%(field)s is only for %(segments)s, but “%(chosen)s” is chosen: choose "
                "%(segments)s, or clear %(field)s.", field=field.label.text,
                segments=format_list(kinds, style="or", locale=locale),
                chosen=SEGMENT_TYPES[chosen]))
            valid = False
        return valid

    def segment(self) -> dict:
        """The segment as data; raises ValidationError with a readable message."""
        kind = self.segment_type.data
        if kind == "state":
            if not self.states.data:
                raise ValidationError(staff_gettext("Choose at least one state."))
            return {"type": "state", "states": list(self.states.data)}
        if kind == "district":
            districts = [d.strip().upper() for d in re.split(r"[,\s]+", self.districts.data or "")
                         if d.strip()]
            bad = [d for d in districts if not re.fullmatch(r"[A-Z]{2}-\d{1,2}", d)]
            if not districts or bad:
                raise ValidationError(staff_gettext("List districts like NY-12, CA-27 or WY-0") +
                                      (f" (not “{bad[0][:20]}”)." if bad else "."))
            return {"type": "district", "districts": districts}
        if kind in ("acted", "not_acted"):
            if not (self.acted_alert_id.data or "").isdigit():
                raise ValidationError(staff_gettext("Choose the alert."))
            return {"type": kind, "alert_id": int(self.acted_alert_id.data)}
        if kind == "tag":
            if not self.tag.data:
                raise ValidationError(staff_gettext("Give the tag."))
            return {"type": "tag", "tag": self.tag.data.lower()}
        if kind == "emails":
            return {"type": "emails", "emails": read_email_csv(self.emails_file.data)}
        return {"type": "all"}


def _filled(field) -> bool:
    if field.type == "FileField":
        return bool(getattr(field.data, "filename", ""))
    return bool(field.data)


def read_email_csv(upload) -> list[str]:
    if upload is None or not getattr(upload, "filename", ""):
        raise ValidationError(staff_gettext("Choose a CSV file of email addresses."))
    data = upload.read(MAX_CSV_BYTES + 1)
    if len(data) > MAX_CSV_BYTES:
        raise ValidationError(staff_gettext("That file is larger than 5 MB."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError(staff_gettext("That file is not UTF-8 text: save it as CSV "
                                            "(UTF-8).")) from error
    emails = set()
    for row in csv.reader(io.StringIO(text)):
        if row and EMAIL.match(row[0].strip()):
            emails.add(row[0].strip().lower())
    if not emails:
        raise ValidationError(staff_gettext("No email addresses found in the first column of "
                                            "that file."))
    return sorted(emails)


class TestSendForm(BaseForm):
    email = StringField(lazy_staff_gettext("Send a test to"), validators=[
        DataRequired(lazy_staff_gettext("Give an address for the test.")), Length(max=254),
        PlainText(), Email(lazy_staff_gettext("Please give a valid email address."),
                           check_deliverability=False)])


