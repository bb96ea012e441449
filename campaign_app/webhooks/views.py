"""The admins' webhook pages: register endpoints (secret shown once), the delivery log,
send a test event, replay a time range, re-enable."""

from datetime import UTC

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from ..core.db import db
from ..core.permissions import role_required
from ..i18n.staff import staff_gettext
from .forms import ActionForm, EndpointForm, ReplayForm
from .models import EVENT_TYPES, WebhookAttempt, WebhookEndpoint
from .operations import enable_endpoint, register_endpoint, replay, send_test_event
from .safety import UnsafeUrl
from .tasks import queue_webhooks

bp = Blueprint("webhooks", __name__, url_prefix="/staff/webhooks")
LOG_SIZE = 100


def _index(form: EndpointForm, secret: str | None = None, status: int = 200):
    endpoints = db.session.scalars(select(WebhookEndpoint).order_by(WebhookEndpoint.id)).all()
    return render_template("webhooks/index.html", form=form, endpoints=endpoints,
                           secret=secret, event_types=EVENT_TYPES), status


@bp.get("/")
@role_required("admin")
def index():
    return _index(EndpointForm())


@bp.post("/")
@role_required("admin")
def create():
    form = EndpointForm()
    if not form.validate_on_submit():
        return _index(form, status=422)
    try:
        _, secret = register_endpoint(form.url.data, form.events.data, by=current_user)
    except (UnsafeUrl, ValueError) as error:
        form.url.errors.append(str(error))
        return _index(form, status=422)
    db.session.commit()
    page, _ = _index(EndpointForm(formdata=None), secret=secret)
    return page, 201, {"Cache-Control": "no-store"}


def _endpoint(endpoint_id: int) -> WebhookEndpoint:
    endpoint = db.session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None:
        abort(404)
    return endpoint


@bp.get("/<int:endpoint_id>")
@role_required("admin")
def show(endpoint_id):
    endpoint = _endpoint(endpoint_id)
    attempts = db.session.scalars(select(WebhookAttempt).where(
        WebhookAttempt.endpoint_id == endpoint.id).order_by(WebhookAttempt.id.desc())
        .limit(LOG_SIZE)).all()
    return render_template("webhooks/show.html", endpoint=endpoint, attempts=attempts,
                           replay_form=ReplayForm(), button=ActionForm())


@bp.post("/<int:endpoint_id>/test")
@role_required("admin")
def test(endpoint_id):
    endpoint = _endpoint(endpoint_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    deliveries = send_test_event(endpoint)
    db.session.commit()
    queue_webhooks([delivery.id for delivery in deliveries])
    flash(staff_gettext("A test event is on its way; its try shows below in a moment."))
    return redirect(url_for(".show", endpoint_id=endpoint.id))


@bp.post("/<int:endpoint_id>/enable")
@role_required("admin")
def enable(endpoint_id):
    endpoint = _endpoint(endpoint_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    enable_endpoint(endpoint, by=current_user)
    db.session.commit()
    flash(staff_gettext("Enabled: waiting deliveries go out within a minute."))
    return redirect(url_for(".show", endpoint_id=endpoint.id))


@bp.post("/<int:endpoint_id>/replay")
@role_required("admin")
def replay_range(endpoint_id):
    endpoint = _endpoint(endpoint_id)
    form = ReplayForm()
    if not form.validate_on_submit() or form.since.data > form.until.data:
        flash(staff_gettext("Please give a time range, the start before the end."))
        return redirect(url_for(".show", endpoint_id=endpoint.id))
    ids = replay(endpoint, form.since.data.replace(tzinfo=UTC),
                 form.until.data.replace(tzinfo=UTC), by=current_user)
    db.session.commit()
    queue_webhooks(ids)
    flash(staff_gettext("%(count)s events are on their way again.", count=len(ids)))
    return redirect(url_for(".show", endpoint_id=endpoint.id))
