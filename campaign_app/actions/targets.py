"""Whom a supporter is asked to contact, and how: their lookup, the members who signed the
letter (thanked, not urged), and why a ZIP leaves no one to contact (target selection itself
is the alert's rule: alerts/targets.py)."""

from collections.abc import Collection

from ..alerts.models import Alert
from ..alerts.queries import signed_member_ids
from ..alerts.targets import select_targets
from ..congress.queries import District, Lookup, lookup_zip
from ..supporters.models import Supporter

#: Supporters whose district these sources name are resolved to one seat.
RESOLVED_SOURCES = frozenset({"zip-unique", "geocoder", "self-selected"})


def supporter_lookup(supporter: Supporter) -> Lookup:
    """The supporter's own seat once their district is known, else every district of the ZIP."""
    if supporter.district_source in RESOLVED_SOURCES and supporter.state \
            and supporter.district is not None:
        return lookup_zip(supporter.zip_code, District(supporter.state, supporter.district))
    return lookup_zip(supporter.zip_code)


def signed_members(alert: Alert) -> set[str]:
    """The members who signed the alert's letter (bioguide ids)."""
    return signed_member_ids(alert.id)


def skipped_signers(alert: Alert) -> set[str]:
    """The members who signed, when the alert leaves them out of the targets (no query when
    it doesn't)."""
    return signed_members(alert) if alert.skip_signed else set()


def call_kind(bioguide_id: str, signed: Collection[str]) -> str:
    """A member who signed the letter is thanked ('thank'), every other one urged ('call')."""
    return "thank" if bioguide_id in signed else "call"


def zip_problem(alert: Alert, lookup: Lookup, signed: Collection[str], *,
                can_geocode: bool) -> str | None:
    """Why the supporter can't go on with this ZIP, or None. A ZIP we can't find is a
    problem only when no geocoder can place the street address instead; a ZIP whose
    members the alert doesn't target leaves no one to contact."""
    if not lookup.found:
        if can_geocode:
            return None
        return (f"We couldn't find ZIP code {lookup.zip_code}. Please check it — if it's a "
                "P.O. box ZIP, use the ZIP code of your home address.")
    if select_targets(alert, lookup, signed):
        return None
    if lookup.has_no_senators:
        return (f"People in {', '.join(lookup.states)} are represented in Congress by a "
                "delegate and have no U.S. senators, so this alert has no one for you to "
                "contact. Thank you for checking!")
    return "This alert has no one to contact for your ZIP code. Thank you for checking!"
