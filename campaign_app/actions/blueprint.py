"""The public action pages' blueprint (/a/<slug>…), the rate limit of their POSTs, and what
every page of it reads from the request: the live alert, the referral, the personal link.
The pages are in views.py, views_district.py and views_call.py."""

from flask import Blueprint, abort, current_app, request, session

from ..alerts.live import read_alert
from ..alerts.models import Alert
from ..alerts.translations import alert_languages
from ..core.db import db
from ..core.ratelimit import hit, limit_key
from ..i18n.selector import limit_languages
from ..supporters.models import Submission, Supporter
from ..supporters.referrals import valid_code
from ..supporters.sources import source_from_args
from ..supporters.tokens import read_personal_token

bp = Blueprint("actions", __name__)

#: The session remembers, per alert, whose share link brought this browser here.
REFERRAL_KEY = "referred_by"
#: … and the first source code it arrived with (later links do not replace it).
SOURCE_KEY = "sources"


@bp.before_request
def _limit_posts():
    """Public POSTs per IP address: generous for a campus or an office, short for a flood."""
    if request.method != "POST":
        return None
    config = current_app.config
    key = limit_key("action-ip", request.remote_addr or "unknown")
    if hit(key, config["ACTION_LIMIT_PER_IP"], config["ACTION_LIMIT_WINDOW"]):
        abort(429)
    db.session.commit()
    return None


def live_alert(slug: str) -> Alert:
    alert = read_alert(slug)
    if alert is None or alert.status == "draft":
        abort(404)
    limit_languages(alert_languages(alert))  # the page is in one of the alert's languages
    return alert


def remember_referral(alert: Alert) -> None:
    code = valid_code(request.args.get("r"))
    if code:
        referred = dict(session.get(REFERRAL_KEY, {}))
        referred[str(alert.id)] = code
        session[REFERRAL_KEY] = referred


def remember_source(alert: Alert, code: str | None = None) -> None:
    """The first source this browser arrived with on the alert: the link's (or `code`)."""
    code = code or source_from_args(request.args)
    sources = session.get(SOURCE_KEY, {})
    if code and str(alert.id) not in sources:
        session[SOURCE_KEY] = {**sources, str(alert.id): code}


def first_source(alert: Alert) -> str | None:
    return session.get(SOURCE_KEY, {}).get(str(alert.id))


def referral_for(alert: Alert, submission: Submission) -> str | None:
    """The code of whoever sent this browser here — never the supporter's own (loaded only
    when there is a code to compare)."""
    code = session.get(REFERRAL_KEY, {}).get(str(alert.id))
    return code if code and code != submission.supporter.referral_code else None


def supporter_from_link() -> Supporter | None:
    """The supporter named by a personal link (?t=…); a forged or expired one is ignored."""
    supporter_id = read_personal_token(request.args.get("t"))
    supporter = db.session.get(Supporter, supporter_id) if supporter_id else None
    # An erased supporter's old emails still carry links: they greet no one.
    return supporter if supporter is not None and supporter.erased_at is None else None
