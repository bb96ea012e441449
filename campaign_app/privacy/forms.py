"""The admin's forms for finding and erasing a supporter."""

from wtforms.validators import DataRequired, Email, Length

from ..core.forms import BaseForm, PlainText, TrimmedStringField
from ..i18n.staff import lazy_staff_gettext


class FindSupporterForm(BaseForm):
    # Sent in the body, never in the URL: no supporter data in URLs or access logs.
    email = TrimmedStringField(lazy_staff_gettext("Supporter's email"), validators=[
        DataRequired(lazy_staff_gettext("Please enter an email.")), Length(max=254), PlainText(),
        Email(lazy_staff_gettext("Please enter a valid email address."),
              check_deliverability=False)])


class EraseForm(BaseForm):
    """The confirm step: the admin types the supporter's email again."""

    confirm_email = TrimmedStringField(
        lazy_staff_gettext("Type the supporter's email to confirm"), validators=[
            DataRequired(lazy_staff_gettext("Please type the supporter's email to confirm.")),
            Length(max=254), PlainText()])
