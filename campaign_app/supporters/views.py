"""Public supporter pages: one-click unsubscribe; the bounce webhook of the mail provider."""

import hmac

from flask import Blueprint, abort, current_app, jsonify, render_template, request

from ..core.db import db
from .models import Supporter
from .operations import mark_undeliverable, unsubscribe
from .proof import remember_proof
from .tokens import read_unsubscribe_token

bp = Blueprint("supporters", __name__)


@bp.route("/u/<token>", methods=["GET", "POST"])
def unsubscribe_page(token):
    """GET asks (link scanners prefetch GETs); POST unsubscribes — also RFC 8058's one-click
    POST from mail clients, which carries no CSRF token: the signed token is the credential."""
    supporter_id = read_unsubscribe_token(token)
    supporter = db.session.get(Supporter, supporter_id) if supporter_id else None
    if supporter is None:
        return render_template("supporters/unsubscribe.html", invalid=True), 404
    # The link came in the supporter's own email: this browser may opt in again.
    remember_proof(supporter)
    done = False
    if request.method == "POST":
        unsubscribe(supporter)
        db.session.commit()
        done = True
    return render_template("supporters/unsubscribe.html", invalid=False, done=done,
                           subscribed=supporter.is_subscribed, token=token)


@bp.post("/hooks/bounces")
def bounce_webhook():
    """A mail provider reports a hard bounce or complaint: JSON {"email", "type", "reason"},
    header `X-Alerta-Webhook-Secret`. The supporter gets no more mail."""
    secret = current_app.config["BOUNCE_WEBHOOK_SECRET"]
    given = request.headers.get("X-Alerta-Webhook-Secret", "")
    if not secret:
        abort(404)
    if not hmac.compare_digest(secret.encode(), given.encode()):
        abort(403)
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict) or not isinstance(payload.get("email"), str) \
            or len(payload["email"]) > 254 or payload.get("type") not in ("bounce", "complaint"):
        return jsonify(error='expected JSON {"email": …, "type": "bounce" or "complaint"}'), 400
    reason = f"{payload['type']}: {str(payload.get('reason', ''))[:150]}"
    supporter = mark_undeliverable(payload["email"], reason)
    db.session.commit()
    return jsonify(ok=True, known=supporter is not None)
