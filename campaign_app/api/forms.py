"""The staff form that creates an API key."""

from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from ..core.forms import BaseForm, PlainText, TrimmedStringField
from ..i18n.staff import lazy_staff_gettext
from .models import SCOPE_LABELS


class ApiKeyForm(BaseForm):
    name = TrimmedStringField(lazy_staff_gettext("Name (who uses it, for what)"), validators=[
        DataRequired(lazy_staff_gettext("Please name the key.")), Length(max=100), PlainText()])
    scope = SelectField(lazy_staff_gettext("Scope"), choices=[SelectChoice(value, label)
                                          for value, label in SCOPE_LABELS.items()],
                        default="viewer")
