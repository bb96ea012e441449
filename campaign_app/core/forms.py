"""The form base (CSRF always on) and validators every public form uses."""

import re
import unicodedata

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import ValidationError

#: A value over its field's limit is shown back on the error page only this far past the
#: limit: enough to edit it down, never the whole of a 100,000-character paste.
EXCERPT_MARGIN = 200


class BaseForm(FlaskForm):
    """Every form of the project: CSRF is checked by Flask-WTF on validate."""

    class Meta:
        csrf = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The CSRF token is a hidden field no label points at: without an id, a page with
        # several forms (a card per member, a button per row) repeats none.
        token = getattr(self, "csrf_token", None)  # absent when CSRF is turned off
        if token is not None:
            token.render_kw = {**(token.render_kw or {}), "id": False}

    def with_id_suffix(self, suffix: str) -> "BaseForm":
        """Every field's id (and its label's `for`) ends in `-suffix`; the names stay.

        For a page that shows the same form several times (a card per member on the call
        page): ids stay unique, so each label, error message and `aria-describedby` points at
        its own form's field. Returns the form, for use in a template; calling it again
        replaces the suffix.
        """
        for field in self:
            base = field.base_id = getattr(field, "base_id", None) or field.id
            field.id = f"{base}-{suffix}"
            field.label.field_id = field.id
        return self

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not valid:
            self._shorten_oversized_input()
        return valid

    def _shorten_oversized_input(self) -> None:
        """The page that answers a refused form keeps the input, but an oversized value
        only as an excerpt (the Length validators' `maxlength` flag says the limit)."""
        for field in self:
            limit = getattr(field.flags, "maxlength", None)
            if isinstance(limit, int) and isinstance(field.data, str) \
                    and len(field.data) > limit + EXCERPT_MARGIN:
                field.data = field.data[:limit + EXCERPT_MARGIN]

    @property
    def error_messages(self) -> list[str]:
        """Every field's errors in field order, for a flash message."""
        return [message for messages in self.errors.values() for message in messages]


class ButtonForm(BaseForm):
    """A button that changes something (publish, start a mailing, withdraw, log out): nothing
    but the CSRF token."""


def normalize_newlines(value):
    """Browsers send textarea lines ending in CRLF: store plain newlines, trimmed."""
    if isinstance(value, str):
        return strip_whitespace(value.replace("\r\n", "\n").replace("\r", "\n"))
    return value


#: C0 and C1 controls, line and paragraph separators, and the bidirectional embeddings,
#: overrides and isolates (U+202A–202E, U+2066–2069): those turn a name around on the
#: public list of signers.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028-\u202e\u2066-\u2069]")


def without_control_characters(value: str) -> str:
    """Text stored before the forms refused these (a name with a right-to-left override),
    made safe to show."""
    return _CONTROL.sub("", value)


def strip_whitespace(value):
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value).strip()
    return value


class PlainText:
    """Refuses control characters (header injection, invisible junk) in one-line fields."""

    def __call__(self, form, field):
        if field.data and _CONTROL.search(field.data):
            raise ValidationError("Please remove line breaks and control characters.")


class PersonName:
    """A name: letters from any script, spaces, apostrophes, hyphens, periods."""

    def __call__(self, form, field):
        value = field.data or ""
        if _CONTROL.search(value):
            raise ValidationError("Please remove line breaks and control characters.")
        # '%': undecodable bytes (%FF) reach us as their escapes, never part of a name.
        if any(ch in value for ch in "<>{}[]\\|@;=\"`$%"):
            raise ValidationError(
                "Please use only letters, spaces, apostrophes, hyphens and periods."
            )
        if value and not any(ch.isalpha() for ch in value):
            raise ValidationError("Please enter a name with letters.")


class TrimmedStringField(StringField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("filters", []).append(strip_whitespace)
        super().__init__(*args, **kwargs)
