"""Staff pages for mailings: choose a segment, see the count, test, send, watch, pause."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.validators import ValidationError

from ..alerts.models import Alert
from ..alerts.queries import list_alerts
from ..core.db import db
from ..core.forms import ButtonForm
from ..core.permissions import role_required
from ..delivery.mailer import PermanentMailError, TransientMailError, send_raw
from ..i18n.staff import staff_gettext
from . import operations
from .forms import SegmentForm, TestSendForm
from .messages import MailingRenderer, Recipient
from .models import Mailing
from .queries import count_audience, failures, mailings_of_alert, progress
from .tasks import queue_mailing

bp = Blueprint("mailings", __name__, url_prefix="/staff")


def _segment_form():
    form = SegmentForm()
    form.set_alert_choices(list_alerts())
    return form


@bp.route("/alerts/<int:alert_id>/mailings", methods=["GET", "POST"])
@role_required("organizer")
def alert_mailings(alert_id):
    alert = db.get_or_404(Alert, alert_id)
    form = _segment_form()
    count = None
    if form.validate_on_submit():
        try:
            segment = form.segment()
        except ValidationError as error:
            form.segment_type.errors = [*form.segment_type.errors, str(error)]
        else:
            if request.form.get("action") == "count":
                count = count_audience(segment)
            else:
                try:
                    mailing = operations.create_mailing(alert, segment, current_user)
                    db.session.commit()
                except operations.MailingError as error:
                    db.session.rollback()
                    flash(str(error))
                else:
                    flash(staff_gettext("Mailing ready for %(count)s supporters. Send a test, "
                                        "then start it.",
                                        count=format(mailing.recipient_count, ",")))
                    return redirect(url_for(".mailing", mailing_id=mailing.id))
    return render_template("mailings/new.html", alert=alert, form=form, count=count,
                           mailings=mailings_of_alert(alert.id)), 422 if form.errors else 200


@bp.get("/mailings/<int:mailing_id>")
@role_required("organizer")
def mailing(mailing_id):
    found = db.get_or_404(Mailing, mailing_id)
    return render_template("mailings/mailing.html", mailing=found, counts=progress(found.id),
                           failures=failures(found.id), confirm=ButtonForm(),
                           test_form=TestSendForm(email=current_user.email))


@bp.post("/mailings/<int:mailing_id>/test")
@role_required("organizer")
def test_send(mailing_id):
    found = db.get_or_404(Mailing, mailing_id)
    form = TestSendForm()
    if not form.validate_on_submit():
        flash(" ".join(form.error_messages))
        return redirect(url_for(".mailing", mailing_id=found.id))
    sample = Recipient(recipient_id=0, supporter_id=0, email=form.email.data,
                       first_name=current_user.name.split(" ")[0] if current_user.name else "",
                       last_name="", zip_code="", city=None, state=None, district=None)
    rendered = MailingRenderer(found, found.alert).render(sample)
    try:
        send_raw(rendered.sender, rendered.recipient,
                 rendered.data.replace(b"Subject: ", b"Subject: [TEST] ", 1))
        flash(staff_gettext("Test sent to %(data)s.", data=form.email.data))
    except (TransientMailError, PermanentMailError) as error:
        flash(staff_gettext("The test could not be sent: %(error)s", error=error))
    return redirect(url_for(".mailing", mailing_id=found.id))


@bp.post("/mailings/<int:mailing_id>/<any(start, pause, resume):command>")
@role_required("organizer")
def control(mailing_id, command):
    found = db.get_or_404(Mailing, mailing_id)
    if not ButtonForm().validate_on_submit():
        flash(staff_gettext("The form expired; please try again."))
        return redirect(url_for(".mailing", mailing_id=found.id))
    try:
        if command == "pause":
            operations.pause_mailing(found)
        else:
            operations.start_mailing(found)
        db.session.commit()
    except operations.MailingError as error:
        db.session.rollback()
        flash(str(error))
        return redirect(url_for(".mailing", mailing_id=found.id))
    if command != "pause":
        queue_mailing(found.id)
    flash({"start": "Sending.", "pause": "Paused.", "resume": "Sending again."}[command])
    return redirect(url_for(".mailing", mailing_id=found.id))
