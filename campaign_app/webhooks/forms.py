"""The admins' webhook forms."""

from wtforms import DateTimeLocalField, SelectMultipleField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Regexp

from ..core.forms import BaseForm, PlainText, TrimmedStringField
from .models import EVENT_TYPES


class EndpointForm(BaseForm):
    url = TrimmedStringField("URL (https://…)", validators=[
        DataRequired("Please enter the URL."), Length(max=500), PlainText(),
        Regexp(r"^https?://\S+$", message="Please enter an https:// URL.")])
    events = SelectMultipleField(
        "Events", choices=[SelectChoice(name, label) for name, label in EVENT_TYPES.items()
                           if name != "test"],
        validators=[DataRequired("Please choose at least one event.")],
        widget=widgets.ListWidget(prefix_label=False),
        option_widget=widgets.CheckboxInput())


class ReplayForm(BaseForm):
    since = DateTimeLocalField("From (UTC)", validators=[DataRequired()])
    until = DateTimeLocalField("Until (UTC)", validators=[DataRequired()])


class ActionForm(BaseForm):
    """A button (test, enable): the CSRF check only."""
