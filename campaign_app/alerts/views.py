"""The alert editor: create, edit, preview, publish, close, duplicate; the revision history."""

import re
import unicodedata

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from ..congress.queries import lookup_zip, member_choices
from ..core.db import db
from ..core.permissions import role_required
from ..delivery import cwc
from ..text.merge import CATALOGUE, EMAIL_ONLY
from .checks import text_warnings
from .cwc_check import check_with_cwc
from .forms import AlertForm, ConfirmForm, CwcCheckForm, MergeDefaultsForm, PreviewForm
from .models import Alert
from .operations import (
    AlertError,
    close_alert,
    create_alert,
    duplicate_alert,
    publish_alert,
    set_merge_defaults,
    update_alert,
)
from .personalize import DEFAULTABLE_FIELDS
from .preview import SampleSupporter, anonymous_texts, preview_texts
from .queries import (
    get_alert,
    get_revision,
    merge_default_rows,
    merge_defaults,
    signed_member_ids,
)

bp = Blueprint("alerts", __name__, url_prefix="/staff/alerts")


def _slugify(title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:70] or "alert"


def _editor(form: AlertForm, alert: Alert | None = None, status: int = 200):
    return render_template("alerts/edit.html", form=form, alert=alert,
                           catalogue=sorted(CATALOGUE.values()),
                           email_only={CATALOGUE[k] for k in EMAIL_ONLY},
                           defaults={CATALOGUE[k]: v for k, v in merge_defaults().items()},
                           confirm=ConfirmForm()), status


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


def _owned_alert(alert_id: int) -> Alert:
    alert = get_alert(alert_id)
    if alert is None:
        abort(404)
    return alert


@bp.route("/new", methods=["GET", "POST"])
@role_required("organizer")
def new():
    form = AlertForm(cwc_on=cwc.is_configured())
    form.target_ids.choices = member_choices()
    if form.validate_on_submit():
        data = form.alert_data()
        data["slug"] = data["slug"] or _free_slug(_slugify(data["title"]))
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


def _free_slug(base: str) -> str:
    from .operations import _free_slug as free

    return free(base)


@bp.route("/<int:alert_id>/edit", methods=["GET", "POST"])
@role_required("organizer")
def edit(alert_id):
    alert = _owned_alert(alert_id)
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
    alert = _owned_alert(alert_id)
    if ConfirmForm().validate_on_submit():
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
    alert = _owned_alert(alert_id)
    if ConfirmForm().validate_on_submit():
        close_alert(alert, current_user)
        db.session.commit()
        flash(f"“{alert.title}” is closed: its page no longer takes actions.")
    else:
        flash("The form expired; please try again.")
    return redirect(url_for(".edit", alert_id=alert.id))


@bp.post("/<int:alert_id>/duplicate")
@role_required("organizer")
def duplicate(alert_id):
    alert = _owned_alert(alert_id)
    if not ConfirmForm().validate_on_submit():
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


def _highlight_missing(key: str, fallback: str) -> str:
    """Marks what the visitor reads where a field has no value: its fallback (the text's own,
    else the organization's default), or nothing. Preview texts are HTML: `fallback` comes
    already escaped."""
    name = CATALOGUE[key]
    if not fallback:
        return (f'<mark class="missing empty" title="No value for {name}, and no fallback: '
                f'visitors read nothing here"></mark>')
    return f'<mark class="missing" title="No value for {name}">{fallback}</mark>'


@bp.get("/<int:alert_id>/preview")
@role_required("organizer")
def preview(alert_id):
    """The alert as a visitor we don't know reads it (`?visitor=anonymous`), or as a sample
    supporter."""
    alert = _owned_alert(alert_id)
    if request.args.get("visitor") == "anonymous":
        return render_template("alerts/preview_anonymous.html", alert=alert,
                               texts=anonymous_texts(alert, _highlight_missing))
    form = PreviewForm(request.args)
    sample, lookup = _sample_from(form) if form.validate() else (None, None)
    texts = preview_texts(alert, sample, lookup, _highlight_missing,
                          signed_member_ids(alert.id)) if sample else None
    check_form = CwcCheckForm(formdata=None, data=_sample_fields(form))
    return _render_preview(alert, form, sample, lookup, texts, check_form)


#: What names the sample supporter, on the preview form and the CWC dry-run form alike.
SAMPLE_FIELDS = ("first_name", "last_name", "zip_code", "city")


def _sample_fields(form) -> dict:
    return {name: form[name].data for name in SAMPLE_FIELDS}


def _sample_from(form):
    """The sample supporter the form names, and their lookup (None without a ZIP); a ZIP the
    data doesn't know is an error on the form."""
    sample = SampleSupporter(first_name=form.first_name.data or "",
                             last_name=form.last_name.data or "",
                             zip_code=form.zip_code.data or "", city=form.city.data or None)
    lookup = lookup_zip(sample.zip_code) if sample.zip_code else None
    if lookup is not None and not lookup.found:
        form.zip_code.errors.append(f"ZIP {sample.zip_code} is not in the lookup data.")
    return sample, lookup


def _render_preview(alert, form, sample, lookup, texts, check_form, checks=None, status=200):
    return render_template(
        "alerts/preview.html", alert=alert, form=form, sample=sample, lookup=lookup,
        texts=texts, check_form=check_form, checks=checks,
        cwc_ready="email" in alert.channels and cwc.is_configured()), status


@bp.post("/<int:alert_id>/preview/cwc")
@role_required("organizer")
def check_cwc(alert_id):
    """'Validate with CWC': the sample's email to each of their members, as a dry run."""
    alert = _owned_alert(alert_id)
    check_form = CwcCheckForm()
    form = PreviewForm(data=_sample_fields(check_form))
    checks, sample, lookup, texts = None, None, None, None
    if check_form.validate_on_submit():
        sample, lookup = _sample_from(check_form)
        if lookup.found and not cwc.is_configured():
            flash("CWC is not configured (CWC_BASE_URL and CWC_API_KEY).")
        elif lookup.found:  # an unknown ZIP is already an error on the form
            signed = signed_member_ids(alert.id)
            texts = preview_texts(alert, sample, lookup, _highlight_missing, signed)
            checks = check_with_cwc(alert, sample, lookup, street=check_form.street.data,
                                    email=current_user.email, signed=signed)
    status = 422 if check_form.errors else 200
    return _render_preview(alert, form, sample, lookup, texts, check_form, checks, status)


@bp.get("/<int:alert_id>/history")
@role_required("organizer")
def history(alert_id):
    alert = _owned_alert(alert_id)
    return render_template("alerts/history.html", alert=alert, revisions=alert.revisions)


@bp.get("/<int:alert_id>/history/<int:revision_id>")
@role_required("organizer")
def revision(alert_id, revision_id):
    alert = _owned_alert(alert_id)
    found = get_revision(alert, revision_id)
    if found is None:
        abort(404)
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
