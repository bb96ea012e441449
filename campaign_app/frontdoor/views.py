"""The home page (or a redirect to the organization's site), robots.txt and security.txt."""

from datetime import UTC

from flask import Blueprint, Response, abort, current_app, redirect, render_template

from .queries import live_alerts
from .settings import check_settings, parse_expires

bp = Blueprint("frontdoor", __name__)
bp.record_once(lambda state: check_settings(state.app.config))

#: Kept out of search engines: staff pages, the login, unsubscribe links, the API, and
#: personal links (?t=…, which greet one supporter by name), wherever they point.
ROBOTS_DISALLOW = ("/staff/", "/login", "/u/", "/api/", "/hooks/", "/*?t=", "/*&t=",
                   "/healthz", "/readyz")


@bp.route("/")
def home():
    url = current_app.config.get("ROOT_REDIRECT_URL")
    if url:
        return redirect(url, code=302)
    return render_template("frontdoor/index.html", alerts=live_alerts())


@bp.route("/robots.txt")
def robots():
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    return _text("\n".join(lines) + "\n")


@bp.route("/.well-known/security.txt")
def security_txt():
    """RFC 9116, from SECURITY_CONTACT and SECURITY_EXPIRES (checked at start-up)."""
    config = current_app.config
    contact = config.get("SECURITY_CONTACT")
    if not contact:
        abort(404)
    expires = parse_expires(config["SECURITY_EXPIRES"])
    base = config["PUBLIC_BASE_URL"].rstrip("/")
    lines = [f"Contact: {contact}",
             f"Expires: {expires.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}",
             "Preferred-Languages: en",
             f"Canonical: {base}/.well-known/security.txt"]
    return _text("\n".join(lines) + "\n")


def _text(body: str) -> Response:
    response = Response(body, mimetype="text/plain")
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
