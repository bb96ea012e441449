"""Reads of actions that more than one caller needs."""

from sqlalchemy import select

from ..alerts.models import Alert
from ..core.db import db
from ..supporters.models import Supporter
from .models import Action


def reported_targets(alert: Alert, supporter: Supporter) -> dict[str, Action]:
    """The latest call report per member for this supporter and alert."""
    actions = db.session.scalars(
        select(Action)
        .where(Action.alert_id == alert.id, Action.supporter_id == supporter.id,
               Action.kind.in_(("call", "thank")))
        .order_by(Action.created_at)
    )
    return {action.bioguide_id: action for action in actions}


def emails_sent(alert: Alert, supporter: Supporter) -> dict[str, Action]:
    """The latest email per member for this supporter and alert."""
    actions = db.session.scalars(
        select(Action)
        .where(Action.alert_id == alert.id, Action.supporter_id == supporter.id,
               Action.kind == "email")
        .order_by(Action.created_at)
    )
    return {action.bioguide_id: action for action in actions}
