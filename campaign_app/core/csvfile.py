"""CSV written for spreadsheets: cells that would run as formulas are defused, rows streamed."""

import csv
import io
from collections.abc import Iterable, Iterator

#: A cell starting with one of these runs as a formula in Excel, LibreOffice, Google Sheets.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    if value is None:
        return ""
    text = str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def iso_datetime(moment) -> str:
    """A UTC time as a spreadsheet reads it: '2026-07-15 17:00:00'; blank when unknown."""
    return moment.strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def csv_line(cells: Iterable) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([safe_cell(cell) for cell in cells])
    return buffer.getvalue()


def stream_csv(header: list[str], rows: Iterable[Iterable]) -> Iterator[str]:
    """The header, then one line per row, in chunks: memory stays flat however many rows."""
    yield "\ufeff" + csv_line(header)  # the BOM makes Excel read UTF-8
    chunk = []
    for row in rows:
        chunk.append(csv_line(row))
        if len(chunk) >= 500:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)
