"""Telephony's forms: 'Call me' on the call step, and the staff's block list."""

from flask_babel import lazy_gettext as _l
from wtforms.validators import DataRequired, Length, Optional

from ..core.forms import BaseForm, TrimmedStringField
from ..i18n.staff import lazy_staff_gettext


class CallMeForm(BaseForm):
    phone = TrimmedStringField(_l("Your phone number"), render_kw={"type": "tel",
                                                                   "autocomplete": "tel"},
                               validators=[DataRequired(), Length(max=30)])


class BlockNumberForm(BaseForm):
    phone = TrimmedStringField(lazy_staff_gettext("Phone number"),
                               validators=[DataRequired(), Length(max=30)])
    reason = TrimmedStringField(lazy_staff_gettext("Why (for the other staff)"),
                                validators=[Optional(), Length(max=200)])
