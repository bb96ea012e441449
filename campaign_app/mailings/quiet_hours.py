"""Quiet hours: no reminder lands between 21:00 and 08:00 where the supporter lives."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

QUIET_START, QUIET_END = time(21, 0), time(8, 0)

#: The time zone most of a state's people live in.
STATE_TIME_ZONES = {
    "CT": "America/New_York", "DE": "America/New_York", "DC": "America/New_York",
    "FL": "America/New_York", "GA": "America/New_York", "IN": "America/Indiana/Indianapolis",
    "KY": "America/New_York", "ME": "America/New_York", "MD": "America/New_York",
    "MA": "America/New_York", "MI": "America/Detroit", "NH": "America/New_York",
    "NJ": "America/New_York", "NY": "America/New_York", "NC": "America/New_York",
    "OH": "America/New_York", "PA": "America/New_York", "RI": "America/New_York",
    "SC": "America/New_York", "VT": "America/New_York", "VA": "America/New_York",
    "WV": "America/New_York",
    "AL": "America/Chicago", "AR": "America/Chicago", "IL": "America/Chicago",
    "IA": "America/Chicago", "KS": "America/Chicago", "LA": "America/Chicago",
    "MN": "America/Chicago", "MS": "America/Chicago", "MO": "America/Chicago",
    "NE": "America/Chicago", "ND": "America/Chicago", "OK": "America/Chicago",
    "SD": "America/Chicago", "TN": "America/Chicago", "TX": "America/Chicago",
    "WI": "America/Chicago",
    "CO": "America/Denver", "ID": "America/Boise", "MT": "America/Denver",
    "NM": "America/Denver", "UT": "America/Denver", "WY": "America/Denver",
    "AZ": "America/Phoenix",
    "CA": "America/Los_Angeles", "NV": "America/Los_Angeles", "OR": "America/Los_Angeles",
    "WA": "America/Los_Angeles",
    "AK": "America/Anchorage", "HI": "Pacific/Honolulu",
    "PR": "America/Puerto_Rico", "VI": "America/St_Thomas", "GU": "Pacific/Guam",
    "MP": "Pacific/Saipan", "AS": "Pacific/Pago_Pago",
}
DEFAULT_TIME_ZONE = "America/New_York"


def next_waking_time(now: datetime, time_zone: str) -> datetime | None:
    """None when it is daytime there; else the coming 08:00 local, in UTC."""
    local = now.astimezone(ZoneInfo(time_zone))
    if QUIET_END <= local.time() < QUIET_START:
        return None
    day = local.date() if local.time() < QUIET_END else local.date() + timedelta(days=1)
    wake = datetime.combine(day, QUIET_END, tzinfo=ZoneInfo(time_zone))
    return wake.astimezone(ZoneInfo("UTC"))


def deferred_states(now: datetime) -> dict[datetime, list[str]]:
    """When each sleeping state wakes up: {08:00 local in UTC: [states]}."""
    waking: dict[datetime, list[str]] = {}
    for state, time_zone in STATE_TIME_ZONES.items():
        wake = next_waking_time(now, time_zone)
        if wake is not None:
            waking.setdefault(wake, []).append(state)
    return waking
