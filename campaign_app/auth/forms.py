"""Login form."""

from wtforms import PasswordField
from wtforms.validators import DataRequired, Length

from ..core.forms import BaseForm, PlainText, TrimmedStringField


class LoginForm(BaseForm):
    email = TrimmedStringField("Email", validators=[
        DataRequired("Please enter your email."), Length(max=254), PlainText()])
    password = PasswordField("Password", validators=[
        DataRequired("Please enter your password."), Length(max=200)])


class LogoutForm(BaseForm):
    pass
