"""Reading a file of member signatures: bioguide ids or names, matched before anything is saved."""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import select

from ..congress.models import BIOGUIDE_ID, Legislator
from ..core.db import db
from ..i18n.staff import staff_gettext

MAX_ROWS = 600
MAX_CELL = 200
_HEADERS_ID = {"bioguide", "bioguide_id", "bioguide id", "id"}
_HEADERS_NAME = {"name", "member", "full name", "member name"}
_TITLES = {"rep", "representative", "sen", "senator", "del", "delegate", "hon", "the",
           "congressman", "congresswoman", "mr", "mrs", "ms", "dr", "jr", "sr", "ii", "iii"}

MATCHED, ALREADY, AMBIGUOUS, UNKNOWN, DUPLICATE = (
    "matched", "already signed", "ambiguous", "unknown", "duplicate")


class ImportFileError(ValueError):
    """The file can't be read as a list of members; the message says why, for people."""


@dataclass
class ImportRow:
    line: int
    value: str
    status: str
    members: list[Legislator] = field(default_factory=list)
    reason: str = ""


@dataclass
class ImportPreview:
    rows: list[ImportRow]

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def matched_ids(self) -> list[str]:
        return [row.members[0].bioguide_id for row in self.rows if row.status == MATCHED]


def normalize_name(value: str) -> str:
    """'Rep. José  Ramírez (D-NY)' → 'jose ramirez': accents, titles and punctuation gone."""
    value = re.sub(r"\(.*?\)", " ", value)
    decomposed = unicodedata.normalize("NFKD", value)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    words = re.sub(r"[^a-z0-9' -]+", " ", plain.replace("-", " ")).split()
    return " ".join(word for word in words if word.strip("'") not in _TITLES)


def read_values(data: bytes) -> list[tuple[int, str]]:
    """The (line, value) pairs of a CSV or plain list; raises ImportFileError."""
    if not data.strip():
        raise ImportFileError(staff_gettext("The file is empty."))
    if b"\x00" in data[:4096] or data[:4] == b"PK\x03\x04":
        raise ImportFileError(staff_gettext("This looks like a spreadsheet or other binary file. "
                                            "Please save it as CSV (comma-separated values) and "
                                            "upload that."))
    try:
        text_value = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text_value = data.decode("cp1252")
        except UnicodeDecodeError as error:
            raise ImportFileError(staff_gettext("The file is not text we can read; please save "
                                                "it as CSV in UTF-8.")) from error
    try:
        rows = list(csv.reader(io.StringIO(text_value)))
    except csv.Error as error:
        raise ImportFileError(staff_gettext("The file is not valid CSV: %(error)s.",
                                            error=error)) from error
    rows = [(number, [cell.strip() for cell in row]) for number, row in enumerate(rows, 1)
            if any(cell.strip() for cell in row)]
    if not rows:
        raise ImportFileError(staff_gettext("The file has no names or ids in it."))
    header = [cell.casefold() for cell in rows[0][1]]
    column = None
    for wanted in (_HEADERS_ID, _HEADERS_NAME):
        column = next((index for index, cell in enumerate(header) if cell in wanted), None)
        if column is not None:
            rows = rows[1:]
            break
    if len(rows) > MAX_ROWS:
        raise ImportFileError(staff_gettext("The file has %(rows)s rows; at most %(most)s are "
                                            "read at once. Please split it.",
                                            rows=len(rows), most=MAX_ROWS))
    values = []
    for number, cells in rows:
        if column is not None:
            value = cells[column] if column < len(cells) else ""
        elif (len(cells) == 2 and not BIOGUIDE_ID.match(cells[0].upper())
              and not any(ch.isdigit() for ch in cells[1])):
            value = f"{cells[1]} {cells[0]}"  # 'Last, First' split by the CSV reader
        else:
            value = cells[0]
        values.append((number, value))
    return values


class _MemberIndex:
    def __init__(self):
        members = db.session.scalars(select(Legislator).where(Legislator.is_current.is_(True)))
        self.by_id: dict[str, Legislator] = {}
        self.by_name: dict[str, dict[str, Legislator]] = {}
        self.by_last: dict[str, dict[str, Legislator]] = {}
        for member in members:
            self.by_id[member.bioguide_id] = member
            names = {normalize_name(f"{member.first_name} {member.last_name}")}
            if member.official_name:
                official = normalize_name(member.official_name)
                names.add(official)
                words = official.split()
                names.add(f"{words[0]} {words[-1]}" if len(words) > 1 else official)
            for name in names:
                self.by_name.setdefault(name, {})[member.bioguide_id] = member
            self.by_last.setdefault(normalize_name(member.last_name), {})[
                member.bioguide_id] = member

    def find(self, value: str) -> list[Legislator]:
        name = normalize_name(value)
        if not name:
            return []
        found = self.by_name.get(name)
        words = name.split()
        if not found and len(words) > 2:
            found = self.by_name.get(f"{words[0]} {words[-1]}")
        if not found and len(words) == 1:
            found = self.by_last.get(name)
        members = list((found or {}).values())
        return sorted(members, key=lambda member: (member.state, member.district or 0))


def preview_import(data: bytes, already_signed: set[str]) -> ImportPreview:
    """Match every row to members; nothing is written."""
    index = _MemberIndex()
    seen: set[str] = set()
    rows = []
    for line, value in read_values(data):
        if len(value) > MAX_CELL:
            rows.append(ImportRow(line, value[:60] + "…", UNKNOWN, reason="too long"))
            continue
        if BIOGUIDE_ID.match(value.upper()):
            member = index.by_id.get(value.upper())
            if member is None:
                rows.append(ImportRow(line, value, UNKNOWN,
                                      reason="no current member has this bioguide id"))
                continue
            members = [member]
        else:
            members = index.find(value)
            if not members:
                rows.append(ImportRow(line, value, UNKNOWN, reason="no current member by this "
                                                                   "name"))
                continue
            if len(members) > 1:
                rows.append(ImportRow(line, value, AMBIGUOUS, members,
                                      reason=f"{len(members)} members have this name"))
                continue
        bioguide_id = members[0].bioguide_id
        if bioguide_id in already_signed:
            status = ALREADY
        elif bioguide_id in seen:
            status = DUPLICATE
        else:
            status = MATCHED
        seen.add(bioguide_id)
        rows.append(ImportRow(line, value, status, members))
    return ImportPreview(rows)
