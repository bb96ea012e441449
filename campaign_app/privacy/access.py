"""Access on request: everything stored about one supporter, as JSON and as CSV.

Every table that holds a row about the supporter is read whole (each column), so a column
added later is in the download without being listed here.
"""

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import select

from ..actions.models import Action
from ..core.db import db
from ..delivery.models import Delivery
from ..mailings.models import MailingRecipient, SupporterTag
from ..supporters.models import Submission, Supporter

#: Each part of the record: its name, and the rows of the supporter's.
_PARTS = (("submissions", Submission), ("actions", Action), ("deliveries", Delivery),
          ("mailing_recipients", MailingRecipient), ("tags", SupporterTag))


def _plain(value):
    return value.isoformat() if isinstance(value, datetime) else value


def _row(model_row) -> dict:
    return {column.key: _plain(getattr(model_row, column.key))
            for column in model_row.__table__.columns}


def supporter_record(supporter: Supporter) -> dict:
    """{"supporter": {...}, "submissions": [...], "actions": [...], …}: every stored column."""
    record = {"supporter": _row(supporter)}
    for name, model in _PARTS:
        rows = db.session.scalars(select(model).where(model.supporter_id == supporter.id)
                                  .order_by(model.id))
        record[name] = [_row(row) for row in rows]
    return record


CSV_HEADER = ["part", "row_id", "field", "value"]


def record_rows(record: dict) -> Iterator[list]:
    """The record as one CSV: a line per stored value (part, row id, field, value), so
    tables with different columns fit in one file a spreadsheet opens."""
    parts = [("supporter", [record["supporter"]])] + [
        (name, rows) for name, rows in record.items() if name != "supporter"]
    for name, rows in parts:
        for row in rows:
            for field, value in row.items():
                yield [name, row.get("id"), field, "" if value is None else value]
