"""The alert's texts in other languages (/staff/alerts/<id>/texts/<language>), and the
language of its own texts. On the editor's blueprint (blueprint.py)."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..core.db import db
from ..core.permissions import role_required
from ..i18n.languages import language_name
from ..i18n.staff import staff_gettext
from .blueprint import bp
from .feedback import apply_errors, flash_warnings
from .forms import AlertLanguageForm, TranslationForm
from .models import Alert
from .operations import AlertError, save_translation, set_alert_language
from .texts import field_list
from .translations import TRANSLATED_TEXTS, translation


@bp.route("/<int:alert_id>/texts/<language>", methods=["GET", "POST"])
@role_required("organizer")
def translation_editor(alert_id, language):
    """The alert's texts in one more language, checked and previewed on their own."""
    alert = db.get_or_404(Alert, alert_id)
    if language == alert.language or language not in current_app.config["LANGUAGES"]:
        abort(404)
    form = TranslationForm()
    row = translation(alert, language)
    if request.method == "GET" and row is not None:
        form.process(data={key: getattr(row, key) for key in TRANSLATED_TEXTS})
    elif form.validate_on_submit():
        try:
            saved = save_translation(alert, language, form.data, current_user)
            db.session.commit()
        except AlertError as error:
            db.session.rollback()
            apply_errors(form, error.errors)
        else:
            flash(staff_gettext("Saved.") if saved is not None
                  else staff_gettext("The texts in this language are removed."))
            flash_warnings(alert)
            return redirect(url_for(".translation_editor", alert_id=alert.id,
                                    language=language))
    return render_template("alerts/translation.html", alert=alert, form=form,
                           language=language, language_form=_language_form(alert),
                           **field_list()), 422 if form.errors else 200


def _language_form(alert: Alert, formdata=None) -> AlertLanguageForm:
    form = AlertLanguageForm(formdata=formdata, data={"language": alert.language})
    form.language.choices = [(code, language_name(code))
                             for code in current_app.config["LANGUAGES"]]
    return form


@bp.post("/<int:alert_id>/language")
@role_required("organizer")
def alert_language(alert_id):
    """Which language the main editor's texts are in (an alert in Spanish only: 'es')."""
    alert = db.get_or_404(Alert, alert_id)
    form = _language_form(alert, request.form)
    if not form.validate_on_submit():
        flash(staff_gettext("The form expired; please try again."))
    else:
        try:
            set_alert_language(alert, form.language.data, current_user)
            db.session.commit()
            flash(staff_gettext("Saved."))
        except AlertError as error:
            db.session.rollback()
            flash(" ".join(error.errors.values()))
    return redirect(url_for(".edit", alert_id=alert.id))
