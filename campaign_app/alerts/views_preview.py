"""The alert's preview, as a sample supporter or a visitor we don't know reads it, and the
CWC dry run of the sample's emails."""

from flask import flash, render_template, request
from flask_babel import force_locale
from flask_login import current_user
from markupsafe import escape

from ..congress.queries import lookup_zip
from ..core.db import db
from ..core.permissions import role_required
from ..delivery import cwc
from ..i18n.staff import staff_gettext
from ..text.merge import CATALOGUE
from .blueprint import bp
from .cwc_check import check_with_cwc
from .forms import CwcCheckForm, PreviewForm
from .models import Alert
from .preview import SampleSupporter, anonymous_texts, preview_texts
from .queries import signed_member_ids
from .translations import alert_languages


def _highlight_missing(key: str, fallback: str) -> str:
    """Marks what the visitor reads where a field has no value: its fallback (the text's own,
    else the organization's default), or nothing. Preview texts are HTML: `fallback` comes
    already escaped."""
    name = CATALOGUE[key]
    if not fallback:
        title = staff_gettext("No value for %(field)s, and no fallback: visitors read nothing "
                              "here", field=name)
        return f'<mark class="missing empty" title="{escape(title)}"></mark>'
    title = staff_gettext("No value for %(field)s", field=name)
    return f'<mark class="missing" title="{escape(title)}">{fallback}</mark>'


@bp.get("/<int:alert_id>/preview")
@role_required("organizer")
def preview(alert_id):
    """The alert as a visitor we don't know reads it (`?visitor=anonymous`), or as a sample
    supporter."""
    alert = db.get_or_404(Alert, alert_id)
    # Each of the alert's languages is previewed on its own (?lang=es): the staff page stays
    # in English, the alert's texts are rendered as a supporter reading that language sees them.
    language = request.args.get("lang")
    language = language if language in alert_languages(alert) else alert.language
    if request.args.get("visitor") == "anonymous":
        with force_locale(language):
            texts = anonymous_texts(alert, _highlight_missing)
        return render_template("alerts/preview_anonymous.html", alert=alert, texts=texts,
                               language=language)
    form = PreviewForm(request.args)
    sample, lookup = _sample_from(form) if form.validate() else (None, None)
    with force_locale(language):
        texts = preview_texts(alert, sample, lookup, _highlight_missing,
                              signed_member_ids(alert.id)) if sample else None
    check_form = CwcCheckForm(formdata=None, data=_sample_fields(form))
    return _render_preview(alert, form, sample, lookup, texts, check_form, language=language)


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
        form.zip_code.errors.append(staff_gettext("ZIP %(zip)s is not in the lookup data.",
                                                   zip=sample.zip_code))
    return sample, lookup


def _render_preview(alert, form, sample, lookup, texts, check_form, checks=None, status=200,
                    language=None):
    return render_template(
        "alerts/preview.html", alert=alert, form=form, sample=sample, lookup=lookup,
        language=language or alert.language, texts=texts, check_form=check_form, checks=checks,
        cwc_ready="email" in alert.channels and cwc.is_configured()), status


@bp.post("/<int:alert_id>/preview/cwc")
@role_required("organizer")
def check_cwc(alert_id):
    """'Validate with CWC': the sample's email to each of their members, as a dry run."""
    alert = db.get_or_404(Alert, alert_id)
    check_form = CwcCheckForm()
    form = PreviewForm(data=_sample_fields(check_form))
    checks, sample, lookup, texts = None, None, None, None
    if check_form.validate_on_submit():
        sample, lookup = _sample_from(check_form)
        if lookup.found and not cwc.is_configured():
            flash(staff_gettext("CWC is not configured (CWC_BASE_URL and CWC_API_KEY)."))
        elif lookup.found:  # an unknown ZIP is already an error on the form
            signed = signed_member_ids(alert.id)
            texts = preview_texts(alert, sample, lookup, _highlight_missing, signed)
            checks = check_with_cwc(alert, sample, lookup, street=check_form.street.data,
                                    email=current_user.email, signed=signed)
    status = 422 if check_form.errors else 200
    return _render_preview(alert, form, sample, lookup, texts, check_form, checks, status)
