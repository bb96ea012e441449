"""Whom a supporter is asked to contact: their lookup, and the members who signed the letter
(target selection itself is the alert's rule: alerts/targets.py)."""

from ..alerts.models import Alert
from ..congress.queries import District, Lookup, lookup_zip
from ..signons.queries import signed_member_ids
from ..supporters.models import Supporter

#: Supporters whose district these sources name are resolved to one seat.
RESOLVED_SOURCES = frozenset({"zip-unique", "geocoder", "self-selected"})


def supporter_lookup(supporter: Supporter) -> Lookup:
    """The supporter's own seat once their district is known, else every district of the ZIP."""
    if supporter.district_source in RESOLVED_SOURCES and supporter.state \
            and supporter.district is not None:
        return lookup_zip(supporter.zip_code, District(supporter.state, supporter.district))
    return lookup_zip(supporter.zip_code)


def skipped_signers(alert: Alert) -> set[str]:
    """The members who signed, when the alert leaves them out of the targets (no query when
    it doesn't)."""
    return signed_member_ids(alert.id) if alert.skip_signed else set()
