"""Extensions created here, bound to the app in create_app (Flask-Migrate: core/migrations.py)."""

from flask_login import LoginManager

from .core.db import db

login_manager = LoginManager()

__all__ = ["db", "login_manager"]
