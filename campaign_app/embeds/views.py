"""The embed's routes: the host's script (/embed.js), the frame's entry
(/a/<slug>/embed), the alert's look (/a/<slug>/embed.css) and the staff page that gives
the snippets and sets the allowed sites and look."""

from pathlib import Path
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)

from ..actions.blueprint import SOURCE_KEY, live_alert
from ..alerts.loaders import alert_from_slug
from ..core.db import db
from ..core.permissions import role_required
from ..core.tokensession import dump_token, new_token_session, with_token
from ..i18n.selector import PARAMETER as LANGUAGE_PARAMETER
from ..i18n.staff import staff_gettext
from ..supporters.sources import source_from_args
from .forms import EmbedSettingsForm
from .operations import update_embed_settings
from .origins import allowed_origins, normalize_origin, organization_origins
from .style import PROPERTIES, stylesheet

bp = Blueprint("embeds", __name__)

HOST_SCRIPT = Path(__file__).resolve().parent.parent / "static" / "embed.js"


@bp.get("/embed.js")
def host_script():
    """The script the organization's page loads: it puts the iframe in place."""
    response = Response(HOST_SCRIPT.read_bytes(), mimetype="text/javascript")
    response.cache_control.public, response.cache_control.max_age = True, 300
    # Loaded by other sites: it must not be refused as cross-origin (it reads nothing).
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


def _host_origin(alert) -> str:
    """The embedding page's origin, when it is one of the allowed sites: the script says
    it (?host=), a plain iframe's request names it in its Referer."""
    allowed = allowed_origins(alert)
    for candidate in (request.args.get("host"), request.referrer):
        origin = normalize_origin(candidate) if candidate else None
        if origin is None and candidate:
            parts = urlsplit(candidate)
            origin = normalize_origin(f"{parts.scheme}://{parts.netloc}")
        if origin in allowed:
            return origin
    return ""


@bp.get("/a/<slug>/embed")
def frame_entry(slug):
    """The iframe's first address: a new cookie-less visit, in a token, then the alert's
    page inside it. The visit's source is the link's (?source=), else the host's origin."""
    alert = live_alert(slug)
    host = _host_origin(alert)
    source = source_from_args(request.args) or host or None
    visit = new_token_session(alert.id, host, {SOURCE_KEY: {str(alert.id): source}}
                              if source else {})
    target = url_for("actions.alert_page", slug=alert.slug)
    language = request.args.get(LANGUAGE_PARAMETER)
    if isinstance(language, str) and language.isalpha() and len(language) <= 8:
        target = f"{target}?{LANGUAGE_PARAMETER}={language}"
    return redirect(with_token(target, dump_token(visit)), 303)


@bp.get("/a/<slug>/embed.css")
def theme(slug):
    """The alert's look as CSS custom properties (validated when saved, and again here)."""
    alert = live_alert(slug)
    response = Response(stylesheet(alert.embed_style), mimetype="text/css")
    response.cache_control.max_age = 300
    return response


@bp.route("/staff/alerts/<slug>/embed", methods=["GET", "POST"])
@role_required("organizer")
@alert_from_slug
def settings(alert):
    form = EmbedSettingsForm.for_alert(alert)
    if form.validate_on_submit():
        update_embed_settings(alert, origins=form.chosen_origins(), style=form.chosen_style())
        db.session.commit()
        flash(staff_gettext("Embed settings saved."))
        return redirect(url_for(".settings", slug=alert.slug))
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    if alert.status == "draft" and request.method == "GET":
        flash(staff_gettext("The alert is a draft: the embed shows it once it is published."))
    return render_template(
        "embeds/settings.html", alert=alert, form=form, base=base,
        origins=allowed_origins(alert), organization=organization_origins(),
        properties=PROPERTIES), 422 if form.errors else 200
