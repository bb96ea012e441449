"""The alert editor: create, edit, publish, close, duplicate; the revision history. The
preview and the CWC dry run are in views_preview.py, on the same blueprint (blueprint.py)."""

import re
import unicodedata

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..congress.queries import member_choices
from ..core.db import db
from ..core.forms import ButtonForm
from ..core.permissions import role_required
from ..delivery import cwc
from ..text.merge import CATALOGUE, EMAIL_ONLY
from . import views_preview  # noqa: F401 (its pages join the blueprint)
from .blueprint import bp
from .checks import text_warnings
from .forms import AlertForm, MergeDefaultsForm
from .models import Alert, AlertRevision
from .operations import (
    AlertError,
    close_alert,
    create_alert,
    duplicate_alert,
    free_slug,
    publish_alert,
    set_merge_defaults,
    update_alert,
)
from .personalize import DEFAULTABLE_FIELDS
from .queries import merge_default_rows, merge_defaults

__all__ = ["bp"]


def _slugify(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:70] or "alert"


def _editor(form: AlertForm, alert: Alert | None = None, status: int = 200):
    return render_template("alerts/edit.html", form=form, alert=alert,
                           catalogue=sorted(CATALOGUE.values()),
                           email_only={CATALOGUE[k] for k in EMAIL_ONLY},
                           defaults={CATALOGUE[k]: v for k, v in merge_defaults().items()},
                           confirm=ButtonForm()), status


def _flash_warnings(alert: Alert) -> None:
    """Warnings never stop a save or a publish; the organizer reads them on the next page."""
    for warning in text_warnings(alert):
        flash(f"Check: {warning}")


def _apply_errors(form: AlertForm, errors: dict[str, str]) -> None:
    for key, message in errors.items():
        field = form._fields.get(key) or form._fields.get(
            {"deadline": "deadline_date"}.get(key, ""))
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            flash(message)


@bp.route("/new", methods=["GET", "POST"])
@role_required("organizer")
def new():
    form = AlertForm(cwc_on=cwc.is_configured())
    form.target_ids.choices = member_choices()
    if form.validate_on_submit():
        data = form.alert_data()
        data["slug"] = data["slug"] or free_slug(_slugify(data["title"]))
        try:
            alert = create_alert(data, current_user)
            db.session.commit()
        except AlertError as error:
            db.session.rollback()
            _apply_errors(form, error.errors)
        except IntegrityError:
            db.session.rollback()
            form.slug.errors.append("Another alert uses this web address: choose another.")
        else:
            flash("Alert saved as a draft. Preview it, then publish it when it's ready.")
            _flash_warnings(alert)
            return redirect(url_for(".edit", alert_id=alert.id))
    return _editor(form, status=422 if form.errors else 200)


@bp.route("/<int:alert_id>/edit", methods=["GET", "POST"])
@role_required("organizer")
def edit(alert_id):
    alert = db.get_or_404(Alert, alert_id)
    form = AlertForm(cwc_on=cwc.is_configured())
    form.target_ids.choices = member_choices()
    if request.method == "GET":
        form.fill_from(alert)
    elif form.validate_on_submit():
        data = form.alert_data()
        data["slug"] = data["slug"] or alert.slug
        try:
            changed = update_alert(alert, data, current_user)
            db.session.commit()
        except AlertError as error:
            db.session.rollback()
            _apply_errors(form, error.errors)
        except IntegrityError:
            db.session.rollback()
            form.slug.errors.append("Another alert uses this web address: choose another.")
        else:
            flash("Saved." if changed else "Nothing changed.")
            _flash_warnings(alert)
            return redirect(url_for(".edit", alert_id=alert.id))
    return _editor(form, alert, status=422 if form.errors else 200)


@bp.post("/<int:alert_id>/publish")
@role_required("organizer")
def publish(alert_id):
    alert = db.get_or_404(Alert, alert_id)
    if ButtonForm().validate_on_submit():
        try:
            publish_alert(alert, current_user)
            db.session.commit()
            flash(f"“{alert.title}” is live at /a/{alert.slug}.")
        except AlertError as error:
            db.session.rollback()
            for message in error.errors.values():
                flash(f"Not published: {message}")
        _flash_warnings(alert)
    else:
        flash("The form expired; please try again.")
    return redirect(url_for(".edit", alert_id=alert.id))


@bp.post("/<int:alert_id>/close")
@role_required("organizer")
def close(alert_id):
    alert = db.get_or_404(Alert, alert_id)
    if ButtonForm().validate_on_submit():
        close_alert(alert, current_user)
        db.session.commit()
        flash(f"“{alert.title}” is closed: its page no longer takes actions.")
    else:
        flash("The form expired; please try again.")
    return redirect(url_for(".edit", alert_id=alert.id))


@bp.post("/<int:alert_id>/duplicate")
@role_required("organizer")
def duplicate(alert_id):
    alert = db.get_or_404(Alert, alert_id)
    if not ButtonForm().validate_on_submit():
        flash("The form expired; please try again.")
        return redirect(url_for(".edit", alert_id=alert.id))
    try:
        copy = duplicate_alert(alert, current_user)
    except AlertError as error:  # e.g. a text saved before today's length limits
        db.session.rollback()
        for message in error.errors.values():
            flash(f"Not duplicated: {message}")
        return redirect(url_for(".edit", alert_id=alert.id))
    db.session.commit()
    flash(f"This is a draft copy of “{alert.title}”.")
    _flash_warnings(copy)
    return redirect(url_for(".edit", alert_id=copy.id))


@bp.get("/<int:alert_id>/history")
@role_required("organizer")
def history(alert_id):
    alert = db.get_or_404(Alert, alert_id)
    return render_template("alerts/history.html", alert=alert, revisions=alert.revisions)


@bp.get("/<int:alert_id>/history/<int:revision_id>")
@role_required("organizer")
def revision(alert_id, revision_id):
    alert = db.get_or_404(Alert, alert_id)
    found = db.first_or_404(select(AlertRevision).where(AlertRevision.alert_id == alert.id,
                                                        AlertRevision.id == revision_id))
    return render_template("alerts/revision.html", alert=alert, revision=found)


@bp.route("/merge-fields", methods=["GET", "POST"])
@role_required("organizer")
def merge_field_defaults():
    """The organization's default per merge field, for readers without a value."""
    rows = merge_default_rows()
    form = MergeDefaultsForm(data={key: rows[key].fallback for key in DEFAULTABLE_FIELDS
                                   if key in rows})
    if form.validate_on_submit():
        changed = set_merge_defaults(form.defaults(), current_user)
        db.session.commit()
        flash("Defaults saved." if changed else "Nothing changed.")
        return redirect(url_for(".merge_field_defaults"))
    return render_template("alerts/merge_defaults.html", form=form,
                           fields=DEFAULTABLE_FIELDS), 422 if form.errors else 200
