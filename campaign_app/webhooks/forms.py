"""The admins' webhook forms."""

from wtforms import DateTimeLocalField, SelectMultipleField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Regexp

from ..core.forms import BaseForm, PlainText, TrimmedStringField
from ..i18n.staff import lazy_staff_gettext
from .models import EVENT_TYPES


class EndpointForm(BaseForm):
    url = TrimmedStringField(lazy_staff_gettext("URL (https://…)"), validators=[
        DataRequired(lazy_staff_gettext("Please enter the URL.")), Length(max=500), PlainText(),
        Regexp(r"^https?://\S+$", message=lazy_staff_gettext("Please enter an https:// URL."))])
    events = SelectMultipleField(
        lazy_staff_gettext("Events"),
        choices=[SelectChoice(name, label) for name, label in EVENT_TYPES.items()
                 if name != "test"],
        validators=[DataRequired(lazy_staff_gettext("Please choose at least one event."))],
        widget=widgets.ListWidget(prefix_label=False),
        option_widget=widgets.CheckboxInput())


class ReplayForm(BaseForm):
    since = DateTimeLocalField(lazy_staff_gettext("From (UTC)"), validators=[DataRequired()])
    until = DateTimeLocalField(lazy_staff_gettext("Until (UTC)"), validators=[DataRequired()])


class ActionForm(BaseForm):
    """A button (test, enable): the CSRF check only."""
