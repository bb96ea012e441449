"""Is the lookup data still true? Warnings for staff when terms end or elections pass."""

from datetime import date, datetime, timedelta

from sqlalchemy import select

from ..core.db import db
from ..core.time import utcnow
from .models import Legislator
from .queries import latest_sync


def general_election_day(year: int) -> date:
    """The Tuesday after the first Monday of November."""
    first = date(year, 11, 1)
    first_monday = first + timedelta(days=(0 - first.weekday()) % 7)
    return first_monday + timedelta(days=1)


def elections_between(start: date, end: date) -> list[date]:
    """Federal general elections (even years) after `start` and on or before `end`."""
    days = (general_election_day(year) for year in range(start.year, end.year + 1)
            if year % 2 == 0)
    return [day for day in days if start < day <= end]


def staleness_warnings(max_age_days: int, now: datetime | None = None) -> list[str]:
    """What staff should know before trusting the lookup data; empty when it looks fresh."""
    now = now or utcnow()
    sync = latest_sync()
    if sync is None:
        return ["No congress data is loaded: run `flask congress sync`."]
    warnings = []
    today = now.date()
    ended = db.session.scalars(
        select(Legislator).where(Legislator.is_current.is_(True), Legislator.term_end < today)
        .order_by(Legislator.term_end, Legislator.state)
    ).all()
    if ended:
        names = ", ".join(f"{m.titled_name} ({m.seat_label}, ended {m.term_end})"
                          for m in ended[:5])
        more = f" and {len(ended) - 5} more" if len(ended) > 5 else ""
        warnings.append(f"{len(ended)} member term(s) have ended: {names}{more}. "
                        "Run `flask congress sync` once the new members are published.")
    for election in elections_between(sync.finished_at.date(), today):
        warnings.append(f"The general election of {election:%B %-d, %Y} happened after the last "
                        "sync: new members take office in January. Sync again when the data "
                        "is updated.")
    age = now - sync.finished_at
    if age > timedelta(days=max_age_days):
        warnings.append(f"The congress data was last synced {age.days} days ago (more than "
                        f"{max_age_days}): run `flask congress sync`.")
    return warnings
