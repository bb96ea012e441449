"""What makes an action page an embedded one: the token's checks before the view, the
framing headers after it, and what the layout needs (the host to talk to, the actions to
announce, the look)."""

import hashlib
import json

from flask import Flask, g, render_template, request
from flask_babel import gettext as _
from sqlalchemy import select

from ..actions.models import Action
from ..actions.visitor import current_submission
from ..alerts.models import Alert
from ..alerts.queries import get_alert_by_slug
from ..core.db import db
from ..core.security import allow_framing
from ..core.tokensession import current_token_session, spend_nonce
from .origins import allowed_origins

#: The session counts the actions already announced to the host page.
ANNOUNCED_KEY = "announced"


def _refusal(problem: str):
    messages = {
        "forged": _("This form's link is not valid, so nothing was sent. Please reload the "
                    "page to start again."),
        "expired": _("This form was open too long, so nothing was sent. Please reload the "
                     "page to start again."),
        "replayed": _("This form was already sent once; nothing was sent again. Please reload "
                      "the page if you want to act again."),
    }
    return render_template("errors/error.html", code=400, title=_("Please start again"),
                           message=messages[problem]), 409 if problem == "replayed" else 400


def _page_alert() -> Alert | None:
    slug = (request.view_args or {}).get("slug")
    return get_alert_by_slug(slug) if isinstance(slug, str) else None


def _check_token():
    """before_request: a token that is forged, expired, of another alert or already spent
    stops the request before the view, so nothing is written."""
    token_session = current_token_session()
    if token_session is None:
        return None
    alert = g.embed_alert = _page_alert()
    if token_session.problem is None and (alert is None or alert.id != token_session.scope):
        token_session.problem = "forged"
    if token_session.problem:
        return _refusal(token_session.problem)
    if request.method == "POST" and not spend_nonce(token_session):
        token_session.problem = "replayed"
        return _refusal("replayed")
    if request.method == "GET":
        g.embed_events = _new_actions(alert, token_session)
    return None


def _new_actions(alert: Alert, token_session) -> list[str]:
    """The kinds of the actions this visit recorded since the last page: each is announced
    once to the host page (only the kind: no supporter data leaves the frame)."""
    submission = current_submission(alert)
    if submission is None:
        return []
    kinds = list(db.session.scalars(select(Action.kind).where(
        Action.submission_id == submission.id).order_by(Action.id)))
    announced = token_session.get(ANNOUNCED_KEY, 0)
    if len(kinds) > announced:
        token_session[ANNOUNCED_KEY] = len(kinds)
    return kinds[announced:]


def _frame_headers(response):
    """after_request: an embedded page (or its refusal) may be framed by the alert's
    allowed sites, and only by them."""
    if current_token_session() is not None:
        alert = g.get("embed_alert") or _page_alert()
        allow_framing(response, allowed_origins(alert) if alert is not None else [])
    return response


def embedded_page() -> dict | None:
    """For the layout: None on a normal page; on an embedded one, the host origin to talk
    to, the actions to announce and the alert's look."""
    token_session = current_token_session()
    alert = g.get("embed_alert")
    if token_session is None or alert is None:
        return None
    style = alert.embed_style or {}
    version = hashlib.sha256(json.dumps(style, sort_keys=True).encode()).hexdigest()[:10]
    return {"host": token_session.origin if token_session.origin in allowed_origins(alert)
            else "", "events": g.get("embed_events", []), "slug": alert.slug,
            "style_version": version}


def init_embedded_pages(app: Flask) -> None:
    app.before_request(_check_token)
    app.after_request(_frame_headers)
    app.jinja_env.globals["embedded_page"] = embedded_page
