"""The alert editor: create, edit, publish, close, duplicate; the revision history. The
preview and the CWC dry run are in views_preview.py, the texts in other languages in
views_translations.py, on the same blueprint (blueprint.py)."""

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
from ..i18n.languages import default_language, offered_languages
from ..i18n.staff import staff_gettext
from ..text.merge import CATALOGUE, EMAIL_ONLY
from . import views_preview, views_translations  # noqa: F401 (their pages join the blueprint)
from .blueprint import bp
from .defaults import DEFAULTABLE_FIELDS
from .feedback import apply_errors, flash_warnings
from .forms import AlertForm, merge_defaults_form
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
from .queries import merge_defaults, merge_defaults_page
from .texts import field_list

__all__ = ["bp"]


def _slugify(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:70] or "alert"


def _editor(form: AlertForm, alert: Alert | None = None, status: int = 200):
    return render_template("alerts/edit.html", form=form, alert=alert,
                           **field_list(),
                           email_only={CATALOGUE[k] for k in EMAIL_ONLY},
                           defaults={CATALOGUE[k]: v for k, v in merge_defaults(
                               alert.language if alert else default_language()).items()},
                           confirm=ButtonForm()), status


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
            apply_errors(form, error.errors)
        except IntegrityError:
            db.session.rollback()
            form.slug.errors.append(staff_gettext("Another alert uses this web address: "
                                                   "choose another."))
        else:
            flash(staff_gettext(
                "Alert saved as a draft. Preview it, then publish it when it's ready."))
            flash_warnings(alert)
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
            apply_errors(form, error.errors)
        except IntegrityError:
            db.session.rollback()
            form.slug.errors.append(staff_gettext("Another alert uses this web address: "
                                                   "choose another."))
        else:
            flash(staff_gettext("Saved.") if changed else staff_gettext("Nothing changed."))
            flash_warnings(alert)
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
            flash(staff_gettext("“%(title)s” is live at /a/%(slug)s.",
                                title=alert.title, slug=alert.slug))
        except AlertError as error:
            db.session.rollback()
            for message in error.errors.values():
                flash(staff_gettext("Not published: %(message)s", message=message))
        flash_warnings(alert)
    else:
        flash(staff_gettext("The form expired; please try again."))
    return redirect(url_for(".edit", alert_id=alert.id))


@bp.post("/<int:alert_id>/close")
@role_required("organizer")
def close(alert_id):
    alert = db.get_or_404(Alert, alert_id)
    if ButtonForm().validate_on_submit():
        close_alert(alert, current_user)
        db.session.commit()
        flash(staff_gettext("“%(title)s” is closed: its page no longer takes actions.",
                            title=alert.title))
    else:
        flash(staff_gettext("The form expired; please try again."))
    return redirect(url_for(".edit", alert_id=alert.id))


@bp.post("/<int:alert_id>/duplicate")
@role_required("organizer")
def duplicate(alert_id):
    alert = db.get_or_404(Alert, alert_id)
    if not ButtonForm().validate_on_submit():
        flash(staff_gettext("The form expired; please try again."))
        return redirect(url_for(".edit", alert_id=alert.id))
    try:
        copy = duplicate_alert(alert, current_user)
    except AlertError as error:  # e.g. a text saved before today's length limits
        db.session.rollback()
        for message in error.errors.values():
            flash(staff_gettext("Not duplicated: %(message)s", message=message))
        return redirect(url_for(".edit", alert_id=alert.id))
    db.session.commit()
    flash(staff_gettext("This is a draft copy of “%(title)s”.", title=alert.title))
    flash_warnings(copy)
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
    """The organization's default per merge field and language, for readers without a
    value."""
    languages = (default_language(),
                 *(language for language in offered_languages() if language != default_language()))
    values, placeholders = merge_defaults_page(languages)
    form = merge_defaults_form(languages, placeholders, data=values)
    if form.validate_on_submit():
        changed = [key for language in languages
                   for key in set_merge_defaults(form.defaults(language), current_user,
                                                 language=language)]
        db.session.commit()
        flash(staff_gettext("Defaults saved.") if changed else staff_gettext("Nothing changed."))
        return redirect(url_for(".merge_field_defaults"))
    return render_template("alerts/merge_defaults.html", form=form, languages=languages,
                           fields=DEFAULTABLE_FIELDS, names=CATALOGUE,
                           default_language=default_language()), 422 if form.errors else 200
