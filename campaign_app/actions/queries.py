"""Reads of actions that more than one caller needs."""

from dataclasses import dataclass

from sqlalchemy import case, distinct, func, select

from ..alerts.models import Alert
from ..core.db import db
from ..core.forms import without_control_characters
from ..supporters.models import Submission, Supporter
from .models import Action


def _made_by(submission: Submission):
    """The actions a browser may see: all of its supporter's once it proved who it is, else
    only those it made itself."""
    if submission.is_proven:
        return Action.supporter_id == submission.supporter_id
    return Action.submission_id == submission.id


def reported_targets(alert: Alert, submission: Submission) -> dict[str, Action]:
    """The latest call report per member that this browser may see, for this alert."""
    actions = db.session.scalars(
        select(Action)
        .where(Action.alert_id == alert.id, _made_by(submission),
               Action.kind.in_(("call", "thank")))
        .order_by(Action.created_at)
    )
    return {action.bioguide_id: action for action in actions}


def emails_sent(alert: Alert, submission: Submission) -> dict[str, Action]:
    """The latest email per member that this browser may see, for this alert."""
    actions = db.session.scalars(
        select(Action)
        .where(Action.alert_id == alert.id, _made_by(submission), Action.kind == "email")
        .order_by(Action.created_at)
    )
    return {action.bioguide_id: action for action in actions}


def offices_not_emailed(alert: Alert, supporter: Supporter, targets: list) -> list:
    """The targets this supporter has not emailed yet in this alert: one email per office
    (whichever browser sent it; what a browser may see is `emails_sent`)."""
    emailed = set(db.session.scalars(select(Action.bioguide_id).where(
        Action.alert_id == alert.id, Action.supporter_id == supporter.id,
        Action.kind == "email")))
    return [target for target in targets if target.bioguide_id not in emailed]


def signature_visible(alert: Alert, submission: Submission) -> bool:
    """Whether this browser may see that its supporter signed the letter: it signed here, or
    it proved who it is."""
    if submission.signed_at is not None:
        return True
    return submission.is_proven and db.session.scalar(
        select(Action.id).where(Action.alert_id == alert.id,
                                Action.supporter_id == submission.supporter_id,
                                Action.kind == "signon")) is not None


#: The public list of signers shows this many, newest first.
PUBLIC_SIGNER_LIMIT = 50


@dataclass(frozen=True)
class PublicSigner:
    """What the public list shows of a signer, and nothing more."""

    first_name: str
    last_initial: str
    city: str | None


def signature_count(alert_id: int) -> int:
    """Supporters who signed the letter (one signature each: the database holds that)."""
    return db.session.scalar(select(func.count()).select_from(Action).where(
        Action.alert_id == alert_id, Action.kind == "signon"))


def recent_signers(alert_id: int, limit: int = PUBLIC_SIGNER_LIMIT) -> list[PublicSigner]:
    """The latest signers, reduced to first name, last initial and city (read only those)."""
    rows = db.session.execute(
        select(Supporter.first_name, Supporter.last_name, Supporter.city)
        .join(Action, Action.supporter_id == Supporter.id)
        .where(Action.alert_id == alert_id, Action.kind == "signon",
               Supporter.erased_at.is_(None))  # an erased signer still counts, unnamed
        .order_by(Action.created_at.desc(), Action.id.desc()).limit(limit))
    clean = without_control_characters
    return [PublicSigner(clean(first).strip(), _initial(last), clean(city or "") or None)
            for first, last, city in rows]


def _initial(last_name: str) -> str:
    """'Gómez' → 'G.'; 'de la Cruz' → 'D.'; nothing but punctuation → ''."""
    letter = next((char for char in last_name if char.isalpha()), "")
    return f"{letter.upper()}." if letter else ""


def member_pressure(alert_id: int) -> dict[str, list]:
    """Per member: [constituents who acted, calls, emails, last contact as ISO text], counted in
    one aggregate query (a covering index makes it an index-only scan)."""
    rows = db.session.execute(
        select(Action.bioguide_id, func.count(distinct(Action.supporter_id)),
               func.sum(case((Action.kind == "call", 1), else_=0)),
               func.sum(case((Action.kind == "email", 1), else_=0)),
               func.max(Action.created_at))
        # Signatures on the letter name no member: they are the letter's, not pressure.
        .where(Action.alert_id == alert_id, Action.bioguide_id.is_not(None))
        .group_by(Action.bioguide_id))
    return {bioguide: [constituents, int(calls), int(emails), last.isoformat() if last else None]
            for bioguide, constituents, calls, emails, last in rows}
