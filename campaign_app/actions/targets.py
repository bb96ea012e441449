"""Which members an alert asks a supporter to contact, from the lookup and the alert's rule."""

from ..alerts.models import Alert
from ..congress.models import Legislator
from ..congress.queries import Lookup, get_legislator


def select_targets(alert: Alert, lookup: Lookup) -> list[Legislator]:
    rule = alert.target_rule
    if rule == "house":
        return list(lookup.representatives)
    if rule == "senate":
        return list(lookup.senators)
    if rule == "listed":
        listed = [get_legislator(bioguide) for bioguide in alert.target_ids or []]
        mine = {m.bioguide_id for m in lookup.members}
        return [m for m in listed if m is not None and m.bioguide_id in mine]
    return lookup.members
