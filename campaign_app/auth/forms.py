"""Login, password and user-management forms."""

from wtforms import HiddenField, PasswordField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from ..core.forms import BaseForm, PersonName, PlainText, TrimmedStringField
from ..i18n.staff import lazy_staff_gettext, staff_gettext
from .models import ROLE_LABELS

#: Long passphrases beat complexity rules; scrypt makes guessing slow.
PASSWORD_MIN_LENGTH = 12
ROLE_CHOICES = [SelectChoice(role, label) for role, label in ROLE_LABELS.items()]


class LoginForm(BaseForm):
    email = TrimmedStringField(lazy_staff_gettext("Email"), validators=[
        DataRequired(lazy_staff_gettext("Please enter your email.")), Length(max=254), PlainText()])
    password = PasswordField(lazy_staff_gettext("Password"), validators=[
        DataRequired(lazy_staff_gettext("Please enter your password.")), Length(max=200)])


def _new_password_validators():
    return [DataRequired(lazy_staff_gettext("Please enter a new password.")),
            Length(min=PASSWORD_MIN_LENGTH, max=200,
                   message=lazy_staff_gettext("Please use %(min)d to %(max)d characters."))]


class PasswordChangeForm(BaseForm):
    current_password = PasswordField(lazy_staff_gettext("Current password"), validators=[
        DataRequired(lazy_staff_gettext("Please enter your current password.")), Length(max=200)])
    new_password = PasswordField(lazy_staff_gettext("New password"),
                                 validators=_new_password_validators())
    confirm_password = PasswordField(lazy_staff_gettext("New password again"), validators=[
        DataRequired(lazy_staff_gettext("Please enter the new password again.")),
        EqualTo("new_password", message=lazy_staff_gettext("The two new passwords differ."))])

    def validate_new_password(self, field):
        if field.data and field.data == self.current_password.data:
            raise ValidationError(staff_gettext("Please choose a password different from the "
                                                "current one."))


class NewUserForm(BaseForm):
    email = TrimmedStringField(lazy_staff_gettext("Email"), validators=[
        DataRequired(lazy_staff_gettext("Please enter an email.")), Length(max=254), PlainText(),
        Email(lazy_staff_gettext("Please enter a valid email address."),
              check_deliverability=False)])
    name = TrimmedStringField(lazy_staff_gettext("Name"), validators=[Length(max=100),
                                                                      PersonName()])
    role = SelectField(lazy_staff_gettext("Role"), choices=ROLE_CHOICES, default="viewer")
    password = PasswordField(lazy_staff_gettext("First password"),
                             validators=_new_password_validators())


class RoleForm(BaseForm):
    role = SelectField(lazy_staff_gettext("Role"), choices=ROLE_CHOICES)


class EnabledForm(BaseForm):
    #: '1' to enable the account, '0' to disable it.
    is_enabled = HiddenField(validators=[DataRequired()])

    def validate_is_enabled(self, field):
        if field.data not in {"0", "1"}:
            raise ValidationError(staff_gettext("Unknown choice."))
