"""Extensions created here, bound to the app in create_app."""

from flask_login import LoginManager
from flask_migrate import Migrate

from .core.db import db

migrate = Migrate()
login_manager = LoginManager()

__all__ = ["db", "migrate", "login_manager"]
