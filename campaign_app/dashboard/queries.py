"""Aggregate reads for the staff pages: counted in SQL, never by loading rows."""

from dataclasses import dataclass

from sqlalchemy import distinct, func, select

from ..actions.models import CALL_OUTCOMES, Action
from ..core.db import db
from ..delivery.models import Delivery
from ..supporters.models import Supporter


@dataclass
class AlertCounts:
    supporter_count: int
    action_count: int
    call_count: int
    calls_by_outcome: dict[str, int]
    supporters_by_state: list[tuple[str, int]]
    deliveries_by_status: dict[str, int]


def alert_counts(alert_id: int) -> AlertCounts:
    totals = db.session.execute(
        select(func.count(distinct(Action.supporter_id)), func.count(Action.id))
        .where(Action.alert_id == alert_id)
    ).one()
    outcomes = dict(db.session.execute(
        select(Action.outcome, func.count())
        .where(Action.alert_id == alert_id, Action.kind == "call")
        .group_by(Action.outcome)
    ).all())
    acted = func.count(distinct(Action.supporter_id))
    by_state = db.session.execute(
        select(Supporter.state, acted)
        .join(Supporter, Supporter.id == Action.supporter_id)
        .where(Action.alert_id == alert_id)
        .group_by(Supporter.state)
        .order_by(acted.desc(), Supporter.state)
    ).all()
    deliveries = dict(db.session.execute(
        select(Delivery.status, func.count()).where(Delivery.alert_id == alert_id)
        .group_by(Delivery.status)
    ).all())
    return AlertCounts(
        supporter_count=totals[0],
        action_count=totals[1],
        call_count=sum(outcomes.values()),
        calls_by_outcome={key: outcomes.get(key, 0) for key in CALL_OUTCOMES},
        supporters_by_state=[(state or "unknown", count) for state, count in by_state],
        deliveries_by_status=deliveries,
    )
