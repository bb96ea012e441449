"""Reads of staff users."""

from sqlalchemy import select

from ..core.db import db
from .models import User


def list_users() -> list[User]:
    return list(db.session.scalars(select(User).order_by(User.email)))
