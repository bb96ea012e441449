"""/healthz (liveness) and /readyz (readiness), JSON for load balancers and monitors.

Neither reads or writes the session, so no cookie is set; neither is rate limited (the
limiter is applied per view, on public form posts) nor takes a form, so CSRF doesn't apply.
"""

from flask import Blueprint, jsonify

from .checks import readiness

bp = Blueprint("health", __name__)


@bp.route("/healthz")
def liveness():
    """The process answers requests; nothing else is touched, so a database or broker
    outage never makes the process manager restart healthy web processes."""
    return _no_store(jsonify(status="ok"))


@bp.route("/readyz")
def readiness_probe():
    """Ready to serve: 200, or 503 naming the failing checks."""
    report = readiness()
    return _no_store(jsonify(report)), 503 if report["failing"] else 200


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response
