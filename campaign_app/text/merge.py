"""Merge fields: `[[Field_Name]]` and `[[Field_Name|fallback]]`, compiled once, rendered many.

Organizer text is never evaluated as a template: the only thing that happens to it is the
substitution of catalogue fields, escaped for where the result goes.
"""

import re
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
    )
}
#: Fields that make sense only in an email to a supporter.
EMAIL_ONLY = {"unsubscribe_link"}

_FIELD = re.compile(r"\[\[\s*([^\[\]|]*?)\s*(?:\|([^\[\]]*))?\]\]")
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")


class MergeFieldError(ValueError):
    """An unknown or malformed field, with where it stands (1-based line and column)."""

    def __init__(self, name: str, line: int, column: int, reason: str = "unknown field"):
        self.name, self.line, self.column, self.reason = name, line, column, reason
        super().__init__(f"{reason} [[{name}]] at line {line}, column {column}")


@dataclass(frozen=True, slots=True)
class _Field:
    key: str
    fallback: str


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _escape_for(context: Context, value: str) -> str:
    if context == "html":
        return str(escape(value))
    if context == "header":
        return _LINE_BREAKS.sub(" ", value)
    return value


class MergeTemplate:
    """A compiled template: literal strings interleaved with fields."""

    __slots__ = ("_parts", "context", "fields")

    def __init__(self, parts: list, context: Context):
        self._parts = parts
        self.context = context
        self.fields = frozenset(p.key for p in parts if isinstance(p, _Field))

    def render(self, values: dict[str, str | None]) -> str:
        """Substitute `values` (keyed by lower-case field name); missing ones take the fallback."""
        context = self.context
        out = []
        append = out.append
        for part in self._parts:
            if part.__class__ is str:
                append(part)
                continue
            value = values.get(part.key)
            if value is None or value == "":
                append(part.fallback)
            else:
                append(_escape_for(context, str(value)))
        return "".join(out)


def compile_template(text: str, context: Context = "text", *,
                     allowed: dict[str, str] | None = None,
                     literal_escape: bool = False) -> MergeTemplate:
    """Compile organizer text. Unknown names raise MergeFieldError with their position.

    `literal_escape` escapes the literal text too (for plain organizer text shown in HTML).
    """
    allowed = CATALOGUE if allowed is None else allowed
    parts: list = []
    position = 0

    def literal(chunk: str) -> str:
        return _escape_for(context, chunk) if literal_escape else chunk

    for match in _FIELD.finditer(text):
        name, fallback = match.group(1), match.group(2)
        if not _NAME.match(name):
            line, column = _position(text, match.start())
            raise MergeFieldError(name, line, column, "malformed field")
        key = name.lower()
        if key not in allowed:
            line, column = _position(text, match.start())
            raise MergeFieldError(name, line, column)
        if match.start() > position:
            parts.append(literal(text[position:match.start()]))
        parts.append(_Field(key, _escape_for(context, fallback or "")))
        position = match.end()
    if position < len(text):
        parts.append(literal(text[position:]))
    return MergeTemplate(parts, context)


def field_names(text: str) -> list[str]:
    """The field names a text uses, as written."""
    return [m.group(1) for m in _FIELD.finditer(text)]
