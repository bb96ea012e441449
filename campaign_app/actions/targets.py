"""Which members an alert asks a supporter to contact, from the lookup and the alert's rule."""

from ..alerts.models import Alert
from ..congress.models import HOUSE
from ..congress.queries import District, Lookup, Member, lookup_zip
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


def select_targets(alert: Alert, lookup: Lookup) -> list[Member]:
    """The members the supporter is asked to contact; those who signed the letter are left
    out when the organizer chose so (otherwise the page asks to thank them)."""
    targets = _by_rule(alert, lookup)
    if alert.skip_signed and targets:
        signed = signed_member_ids(alert.id)
        targets = [t for t in targets if t.bioguide_id not in signed]
    return targets


def _by_rule(alert: Alert, lookup: Lookup) -> list[Member]:
    rule = alert.target_rule
    if rule == "house":
        # A vacant seat has no one to call: the senators still speak for the supporter.
        return list(lookup.representatives or (lookup.senators if lookup.vacant else ()))
    if rule == "senate":
        return list(lookup.senators)
    if rule == "listed":
        listed = set(alert.target_ids or ())
        return [m for m in lookup.members if m.bioguide_id in listed]
    return list(lookup.members)


def needs_district(alert: Alert, lookup: Lookup) -> bool:
    """Whether the supporter must tell us where they live before we know whom to show.

    A ZIP that spans districts matters when the alert targets House members, or when the
    ZIP crosses a state line (the senators differ too); a ZIP we can't place always does.
    """
    if not lookup.found:
        return True
    if not lookup.is_ambiguous:
        return False
    return len(lookup.states) > 1 or any(m.chamber == HOUSE
                                         for m in select_targets(alert, lookup))
