"""Time helpers: store UTC, show in the alert's time zone."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo


def utcnow() -> datetime:
    return datetime.now(UTC)


def localize(moment: datetime, time_zone: str) -> datetime:
    return moment.astimezone(ZoneInfo(time_zone))


def format_deadline(moment: datetime, time_zone: str) -> str:
    """'Friday, July 15, 5:00 PM EDT' — how people write deadlines."""
    local = localize(moment, time_zone)
    hour = local.strftime("%I:%M %p").lstrip("0")
    return f"{local:%A, %B} {local.day}, {hour} {local:%Z}"
