"""Merge fields: `[[Field_Name]]` and `[[Field_Name|fallback]]`, compiled once, rendered many.

Organizer text is never evaluated as a template: the only thing that happens to it is the
substitution of catalogue fields, in a single pass, escaped for where the result goes. A value
that itself contains `[[…]]` is shown as written, never substituted again.

A field without a value shows, in this order: the text's own `|fallback`, else the default the
organization set for that field (`defaults`, given to `render`), else nothing.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from markupsafe import escape

Context = Literal["html", "text", "header"]

#: Field names organizers may use, by lower-cased name → the display name.
CATALOGUE: dict[str, str] = {
    name.lower(): name
    for name in (
        "First_Name", "Last_Name", "Full_Name", "City", "State", "Zip",
        "Rep_Name", "Rep_Phone", "Senator_Names", "Target_Name", "Deadline", "Days_Left",
        "Alert_Title", "Action_Link", "Org_Name", "Unsubscribe_Link",
        "A_Rep_Name", "A_Senator_Names", "A_Target_Name",
    )
}
#: Forms of a member field for the words around it → the field each is a form of, whose
#: default it shares. "A_" names the member whom the sentence's action reaches: Spanish writes
#: the personal "a" with the article the member's gender takes, contracted ("pedirle
#: [[A_Target_Name]] que firme": "pedirle a la Representante …", "pedirle al Senador …"), which
#: the organizer cannot write, not knowing who the member is; English has no such "a" and
#: gets the name alone, as from the field itself ("ask [[A_Target_Name]] to sign").
FIELD_FORMS: dict[str, str] = {
    "a_rep_name": "rep_name", "a_senator_names": "senator_names",
    "a_target_name": "target_name",
}
#: Fields that make sense only in an email to a supporter.
EMAIL_ONLY = frozenset({"unsubscribe_link"})
#: The catalogue for texts shown on pages (everything but the email-only fields).
PAGE_FIELDS = {key: name for key, name in CATALOGUE.items() if key not in EMAIL_ONLY}

_FIELD = re.compile(r"\[\[\s*([^\[\]|]*?)\s*(?:\|([^\[\]]*))?\]\]")
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x85\x0b\x0c]+")

#: Called for a field without a value: (key, escaped fallback) → the text to insert.
MissingHandler = Callable[[str, str], str]


#: Why a field is refused, by message key: the English of each is the error's own text (logs,
#: str()); pages show the key's message in their language (alerts.texts.merge_field_message),
#: as this layer sits below i18n and has no gettext.
REASONS: dict[str, str] = {
    "unknown": "Unknown merge field",
    "malformed": "Malformed merge field",
    "email_only": "This merge field works only in emails",
    "not_here": "This merge field can't be used here",
    "unclosed": "Unclosed or nested merge field",
}


class MergeFieldError(ValueError):
    """An unknown or malformed field, with where it stands (1-based line and column).

    `code` is the message key (a key of REASONS) and `params` the values its message takes:
    the field as shown, its line and column."""

    def __init__(self, name: str, line: int, column: int, reason: str | None = None,
                 shown: str | None = None, *, code: str = "unknown"):
        self.name, self.line, self.column, self.code = name, line, column, code
        self.reason = reason if reason is not None else REASONS[code]
        shown = shown if shown is not None else f"[[{name}]]"
        self.params = {"field": shown, "line": line, "column": column}
        super().__init__(f"{self.reason} {shown} at line {line}, column {column}")


def base_field(key: str) -> str:
    """The field a key is a form of (FIELD_FORMS), or the key itself."""
    return FIELD_FORMS.get(key, key)


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of `offset` in `text`."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


_HTML_SPECIAL = re.compile(r"[&<>\"']")


def _escape_html(value: str) -> str:
    # Most names need no escaping: skip building a Markup object for them (bulk mailings).
    return value if _HTML_SPECIAL.search(value) is None else str(escape(value))


def _escape_header(value: str) -> str:
    return _LINE_BREAKS.sub(" ", value) if _LINE_BREAKS.search(value) else value


def _escape_none(value: str) -> str:
    return value


ESCAPERS: dict[str, Callable[[str], str]] = {
    "html": _escape_html, "text": _escape_none, "header": _escape_header,
}


class MergeTemplate:
    """A compiled template: a format string of literals, and the fields to fill it with."""

    __slots__ = ("_format", "_fields", "context", "fields")

    def __init__(self, literals: list[str], fields: list[tuple[str, str]], context: Context):
        # Literals are joined into one str.format pattern: rendering is then one C-level call.
        pattern = []
        for index, literal in enumerate(literals):
            pattern.append(literal.replace("{", "{{").replace("}", "}}"))
            if index < len(fields):
                pattern.append("{}")
        self._format = "".join(pattern).format
        self._fields = tuple(fields)
        self.context = context
        self.fields = frozenset(key for key, _ in fields)

    def render(self, values: dict, on_missing: MissingHandler | None = None,
               defaults: Mapping[str, str] | None = None) -> str:
        """Fill in `values` (keyed by lower-case field name); empty ones take the text's
        fallback, else the organization's default from `defaults` (plain text, escaped here)."""
        escape_value = ESCAPERS[self.context]
        get = values.get
        parts = []
        append = parts.append
        for key, fallback in self._fields:
            value = get(key)
            if value is None or value == "":
                # The rare path (a value is missing): the default is escaped only when used.
                if not fallback and defaults:
                    fallback = escape_value(defaults.get(key) or "")
                append(fallback if on_missing is None else on_missing(key, fallback))
            else:
                append(escape_value(value if value.__class__ is str else str(value)))
        return self._format(*parts)


def compile_template(text: str, context: Context = "text", *,
                     allowed: dict[str, str] | None = None,
                     literal_escape: bool = False) -> MergeTemplate:
    """Compile organizer text. Unknown or malformed fields raise MergeFieldError.

    `literal_escape` escapes the literal text too (plain organizer text shown in HTML).
    """
    allowed = CATALOGUE if allowed is None else allowed
    escape_literal = ESCAPERS[context] if literal_escape else _escape_none
    literals: list[str] = []
    fields: list[tuple[str, str]] = []
    cursor = 0
    for match in _FIELD.finditer(text):
        name, fallback = match.group(1), match.group(2)
        _check_unclosed(text, cursor, match.start())
        if not _NAME.match(name):
            line, column = position(text, match.start())
            raise MergeFieldError(name, line, column, code="malformed")
        key = name.lower()
        if key not in allowed:
            line, column = position(text, match.start())
            code = ("email_only" if key in EMAIL_ONLY else "not_here" if key in CATALOGUE
                    else "unknown")
            raise MergeFieldError(name, line, column, code=code)
        literals.append(escape_literal(text[cursor:match.start()]))
        fields.append((key, ESCAPERS[context](fallback or "")))
        cursor = match.end()
    _check_unclosed(text, cursor, len(text))
    literals.append(escape_literal(text[cursor:]))
    return MergeTemplate(literals, fields, context)


def _check_unclosed(text: str, start: int, end: int) -> None:
    """A `[[` in literal text is a field the organizer forgot to close (or nested)."""
    offset = text.find("[[", start, end)
    if offset != -1:
        line, column = position(text, offset)
        snippet = text[offset:offset + 30].split("\n", 1)[0]
        raise MergeFieldError(snippet.removeprefix("[["), line, column, shown=f"“{snippet}”",
                              code="unclosed")


def field_names(text: str) -> list[str]:
    """The field names a text uses, as written."""
    return [m.group(1) for m in _FIELD.finditer(text)]


@dataclass(frozen=True)
class FieldUse:
    """One `[[Field|fallback]]` in a text: the lower-case key, as written, and where."""

    key: str
    written: str
    fallback: str
    line: int
    column: int


def field_uses(text: str) -> list[FieldUse]:
    """Every field a text uses, with its own fallback ("" when none) and 1-based position."""
    uses = []
    for match in _FIELD.finditer(text):
        line, column = position(text, match.start())
        uses.append(FieldUse(match.group(1).lower(), match.group(0), match.group(2) or "",
                             line, column))
    return uses


def blank_fields(text: str) -> str:
    """The text with every field replaced by spaces: positions stay, field contents (e.g. a
    fallback) no longer read as prose."""
    return _FIELD.sub(lambda match: " " * len(match.group(0)), text)
