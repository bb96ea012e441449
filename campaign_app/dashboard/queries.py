"""Aggregate reads for the staff pages: counted in SQL, never by loading rows."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import distinct, func, select

from ..actions.models import CALL_OUTCOMES, Action
from ..core.db import db
from ..core.sqltime import day_bucket, hour_bucket
from ..core.time import utcnow
from ..delivery.cwc import office_code
from ..delivery.models import Delivery
from ..delivery.refusals import advice, refusal_reasons
from ..supporters.models import Supporter
from .models import DashboardSnapshot


@dataclass
class PlaceCount:
    state: str
    district: int | None
    supporter_count: int
    action_count: int


@dataclass
class AlertCounts:
    supporter_count: int
    action_count: int
    call_count: int
    calls_by_outcome: dict[str, int]
    supporters_by_state: list[tuple[str, int]]
    deliveries_by_status: dict[str, int]
    by_district: list[PlaceCount]


def actions_by_district(alert_id: int) -> list[PlaceCount]:
    """Actions counted per supporter first (an index-only scan), then joined to supporters:
    far cheaper than joining every action to its supporter."""
    per_supporter = (
        select(Action.supporter_id, func.count().label("actions"))
        .where(Action.alert_id == alert_id)
        .group_by(Action.supporter_id)
        .subquery()
    )
    supporters = func.count()
    rows = db.session.execute(
        select(Supporter.state, Supporter.district, supporters,
               func.sum(per_supporter.c.actions))
        .join(per_supporter, per_supporter.c.supporter_id == Supporter.id)
        .group_by(Supporter.state, Supporter.district)
        .order_by(supporters.desc(), Supporter.state, Supporter.district)
    ).all()
    return [PlaceCount(state or "unknown", district, count, int(actions))
            for state, district, count, actions in rows]


def alert_counts(alert_id: int) -> AlertCounts:
    places = actions_by_district(alert_id)
    # A supporter has one state and district, so per-state and total counts are exact sums.
    by_state: dict[str, int] = {}
    for place in places:
        by_state[place.state] = by_state.get(place.state, 0) + place.supporter_count
    outcomes = dict(db.session.execute(
        select(Action.outcome, func.count())
        .where(Action.alert_id == alert_id, Action.kind == "call")
        .group_by(Action.outcome)
    ).all())
    deliveries = dict(db.session.execute(
        select(Delivery.status, func.count()).where(Delivery.alert_id == alert_id)
        .group_by(Delivery.status)
    ).all())
    return AlertCounts(
        supporter_count=sum(place.supporter_count for place in places),
        action_count=sum(place.action_count for place in places),
        call_count=sum(outcomes.values()),
        calls_by_outcome={key: outcomes.get(key, 0) for key in CALL_OUTCOMES},
        supporters_by_state=sorted(by_state.items(), key=lambda item: (-item[1], item[0])),
        deliveries_by_status=deliveries,
        by_district=places,
    )


#: How many buckets the chart shows at most: two days of hours, or four months of days.
MAX_BUCKETS = {"hour": 48, "day": 120}


def _label(value, pattern: str) -> str:
    """Buckets come back as text from SQLite and as timestamps from PostgreSQL."""
    return value if isinstance(value, str) else value.strftime(pattern)


def activity_over_time(alert_id: int, unit: str = "day") -> list[tuple[str, int, int]]:
    """(bucket, actions, supporters) per UTC hour or day, gaps filled with zeros."""
    bucket = (hour_bucket if unit == "hour" else day_bucket)(Action.created_at)
    rows = db.session.execute(
        select(bucket, func.count(Action.id), func.count(distinct(Action.supporter_id)))
        .where(Action.alert_id == alert_id)
        .group_by(bucket).order_by(bucket.desc()).limit(MAX_BUCKETS[unit])
    ).all()
    if not rows:
        return []
    pattern, step = ("%Y-%m-%d %H:00", timedelta(hours=1)) if unit == "hour" else (
        "%Y-%m-%d", timedelta(days=1))
    found = {_label(value, pattern): (actions, supporters)
             for value, actions, supporters in rows}
    moment, last = (datetime.strptime(_label(rows[-1][0], pattern), pattern),
                    datetime.strptime(_label(rows[0][0], pattern), pattern))
    points = []
    while moment <= last:
        label = moment.strftime(pattern)
        actions, supporters = found.get(label, (0, 0))
        points.append((label, actions, supporters))
        moment += step
    return points[-MAX_BUCKETS[unit]:]


def deliveries_summary(alert_id: int) -> tuple[list[tuple[str, str, int]], list[tuple[str, int]]]:
    """(kind, status, count) rows, and the most common reasons of failed deliveries."""
    by_status = db.session.execute(
        select(Delivery.kind, Delivery.status, func.count())
        .where(Delivery.alert_id == alert_id)
        .group_by(Delivery.kind, Delivery.status).order_by(Delivery.kind, Delivery.status)
    ).all()
    reason = func.coalesce(func.substr(Delivery.last_error, 1, 200), "unknown")
    failures = db.session.execute(
        select(reason, func.count())
        .where(Delivery.alert_id == alert_id, Delivery.status == "failed")
        .group_by(reason).order_by(func.count().desc()).limit(10)
    ).all()
    return [tuple(row) for row in by_status], [tuple(row) for row in failures]


def actions_by_language(alert_id: int) -> list[tuple[str | None, int, int]]:
    """(language, actions, supporters) of the alert, most actions first; None: actions older
    than languages."""
    rows = db.session.execute(
        select(Action.language, func.count(), func.count(distinct(Action.supporter_id)))
        .where(Action.alert_id == alert_id)
        .group_by(Action.language).order_by(func.count().desc())
    ).all()
    return [tuple(row) for row in rows]


def referral_counts(alert_id: int, limit: int = 20) -> list[tuple[str, int]]:
    rows = db.session.execute(
        select(Action.referral_code, func.count(distinct(Action.supporter_id)))
        .where(Action.alert_id == alert_id, Action.referral_code.is_not(None))
        .group_by(Action.referral_code)
        .order_by(func.count(distinct(Action.supporter_id)).desc()).limit(limit)
    ).all()
    return [tuple(row) for row in rows]


def source_counts(alert_id: int, limit: int = 50) -> list[tuple[str | None, int, int]]:
    """(source code, actions, supporters) per source, most actions first; None: no source
    (a link without a code, or actions older than source codes)."""
    rows = db.session.execute(
        select(Action.source_code, func.count(), func.count(distinct(Action.supporter_id)))
        .where(Action.alert_id == alert_id)
        .group_by(Action.source_code).order_by(func.count().desc()).limit(limit)
    ).all()
    return [tuple(row) for row in rows]


def fresh_snapshot(alert_id: int, max_age_seconds: int):
    """The alert's snapshot when it is recent enough to show, else None."""
    snapshot = db.session.get(DashboardSnapshot, alert_id)
    if snapshot is None or (utcnow() - snapshot.computed_at).total_seconds() > max_age_seconds:
        return None
    return snapshot


@dataclass
class Refusal:
    """A message to Congress that failed for good: to whom, why, and what to do."""

    office: str
    member: str
    reasons: list[str]
    advice: list[str]
    at: datetime


def cwc_refusals(alert_id: int, limit: int = 100) -> tuple[list[tuple[str, int, str]],
                                                            list[Refusal]]:
    """Messages to Congress that failed for good: (reason, messages, what to do) counted per
    reason, and the latest refusals one by one. Grouped by error in SQL first: many messages
    share one."""
    failed = (Delivery.alert_id == alert_id, Delivery.kind == "congress_email",
              Delivery.status == "failed")
    counts: dict[str, int] = {}
    for error, count in db.session.execute(
            select(Delivery.last_error, func.count()).where(*failed)
            .group_by(Delivery.last_error)):
        for reason in dict.fromkeys(refusal_reasons(error)):
            counts[reason] = counts.get(reason, 0) + count
    by_reason = [(reason, count, advice(reason)) for reason, count in
                 sorted(counts.items(), key=lambda item: (-item[1], item[0]))]
    latest = []
    for delivery in db.session.scalars(
            select(Delivery).where(*failed).order_by(Delivery.updated_at.desc(),
                                                     Delivery.id.desc()).limit(limit)):
        member = delivery.legislator
        reasons = refusal_reasons(delivery.last_error)
        latest.append(Refusal(
            office=office_code(member.chamber, member.state, member.district,
                               member.senate_class),
            member=member.titled_name, reasons=reasons,
            advice=list(dict.fromkeys(advice(reason) for reason in reasons)),
            at=delivery.updated_at))
    return by_reason, latest
