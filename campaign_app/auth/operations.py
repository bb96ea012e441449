"""Writes on staff users."""

import logging

from sqlalchemy import select

from ..core.db import db
from ..core.time import utcnow
from .models import ROLES, User

log = logging.getLogger(__name__)


def create_user(email: str, password: str, role: str, name: str = "") -> User:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    user = User(email=email.strip().lower(), role=role, name=name)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    log.info("user %s created with role %s", user.id, role)
    return user


def set_password(user: User, password: str) -> None:
    user.set_password(password)
    db.session.flush()


def authenticate(email: str, password: str) -> User | None:
    user = db.session.scalars(select(User).where(User.email == email.strip().lower())).first()
    if user is None or not user.is_enabled or not user.check_password(password):
        return None
    user.last_login_at = utcnow()
    db.session.flush()
    return user
