"""The staff form that creates an API key."""

from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from ..core.forms import BaseForm, PlainText, TrimmedStringField
from .models import SCOPE_LABELS


class ApiKeyForm(BaseForm):
    name = TrimmedStringField("Name (who uses it, for what)", validators=[
        DataRequired("Please name the key."), Length(max=100), PlainText()])
    scope = SelectField("Scope", choices=[SelectChoice(value, label)
                                          for value, label in SCOPE_LABELS.items()],
                        default="viewer")
