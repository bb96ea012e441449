"""What the editor's pages tell the organizer after a save: the operation's errors on the
form's fields, and the texts' warnings (views.py and views_translations.py alike)."""

from flask import flash
from flask_wtf import FlaskForm

from ..i18n.staff import staff_gettext
from .checks import text_warnings
from .models import Alert


def flash_warnings(alert: Alert) -> None:
    """Warnings never stop a save or a publish; the organizer reads them on the next page."""
    for warning in text_warnings(alert):
        flash(staff_gettext("Check: %(warning)s", warning=warning))


def apply_errors(form: FlaskForm, errors: dict[str, str]) -> None:
    """Each error on its field (the deadline's on its date), else flashed."""
    for key, message in errors.items():
        field = form._fields.get(key) or form._fields.get(
            {"deadline": "deadline_date"}.get(key, ""))
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            flash(message)
