"""Whether a member's Washington office is likely answering the phone right now."""

from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

EASTERN = ZoneInfo("America/New_York")
OPENS, CLOSES = time(9, 0), time(17, 0)


@dataclass(frozen=True)
class OfficeStatus:
    is_open: bool
    message: str


def dc_office_status(now: datetime) -> OfficeStatus:
    """Capitol Hill offices answer 9 to 5 Eastern, Monday to Friday (holidays aside)."""
    local = now.astimezone(EASTERN)
    if local.weekday() < 5 and OPENS <= local.time() < CLOSES:
        return OfficeStatus(True, _("The Washington office is open now (9 AM – 5 PM "
                                    "Eastern)."))
    return OfficeStatus(False, _("The Washington office is closed now (it answers 9 AM – 5 PM "
                                 "Eastern, Monday to Friday). Call the district office, or "
                                 "leave a voicemail — messages are counted too."))
