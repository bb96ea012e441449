"""Which members an alert asks a supporter to contact, from the lookup and the alert's rule.

The members who signed the alert's letter are passed in (signons reads them, above this
package): `signed` holds their bioguide ids, and matters only when the alert skips them."""

from collections.abc import Collection

from ..congress.models import HOUSE
from ..congress.queries import Lookup, Member
from .models import Alert


def select_targets(alert: Alert, lookup: Lookup, signed: Collection[str]) -> list[Member]:
    """The members the supporter is asked to contact; those who signed the letter are left
    out when the organizer chose so (otherwise the page asks to thank them)."""
    targets = _by_rule(alert, lookup)
    if alert.skip_signed and targets:
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


def needs_district(alert: Alert, lookup: Lookup, signed: Collection[str]) -> bool:
    """Whether the supporter must tell us where they live before we know whom to show.

    A ZIP that spans districts matters when the alert targets House members, or when the
    ZIP crosses a state line (the senators differ too); a ZIP we can't place always does.
    """
    if not lookup.found:
        return True
    if not lookup.is_ambiguous:
        return False
    return len(lookup.states) > 1 or any(m.chamber == HOUSE
                                         for m in select_targets(alert, lookup, signed))
